/**
 * Quality floor on the bundled samples (samples/index.json): the first event's country should be the
 * sample's `expect.country`, and some event should have its `expect.event_type`. Runs in-process, the
 * way `sitrep demo` reads each sample. The floors only go up: when the shares printed below rise past
 * the next 0.05, raise the floor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArticleFile } from '../../src/ingest/read.js';
import { extractFromArticle } from '../../src/pipeline/extract.js';
import { ROOT } from './run.js';

interface Sample {
  file: string;
  published?: string | null;
  title?: string | null;
  url?: string | null;
  expect: { country: string; event_type: string };
}

/** Measured when this test was written: country 36/36 = 1.00, event type 26/36 = 0.72. */
const COUNTRY_FLOOR = 1.0;
const EVENT_TYPE_FLOOR = 0.7;

const dir = join(ROOT, 'samples');
const samples = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Sample[];

interface Outcome {
  file: string;
  country: string | null;
  types: string[];
  countryOk: boolean;
  typeOk: boolean;
}

function judge(sample: Sample): Outcome {
  const article = readArticleFile(join(dir, sample.file), {
    published: sample.published ?? undefined,
    title: sample.title ?? undefined,
    url: sample.url ?? undefined,
  });
  const { events } = extractFromArticle(article);
  const country = events[0]?.country ?? null;
  const types: string[] = events.map((e) => e.event_type);
  return { file: sample.file, country, types, countryOk: country === sample.expect.country, typeOk: types.includes(sample.expect.event_type) };
}

describe('bundled samples', () => {
  it('every sample in index.json has a file and an expectation', () => {
    expect(samples.length).toBeGreaterThanOrEqual(30);
    for (const s of samples) {
      expect(typeof s.expect.country, s.file).toBe('string');
      expect(typeof s.expect.event_type, s.file).toBe('string');
    }
  });

  it('finds the expected country and event type in most samples', () => {
    const outcomes = samples.map(judge);
    const countryShare = outcomes.filter((o) => o.countryOk).length / outcomes.length;
    const typeShare = outcomes.filter((o) => o.typeOk).length / outcomes.length;

    const byFile = new Map(samples.map((s) => [s.file, s]));
    const misses = outcomes
      .filter((o) => !o.countryOk || !o.typeOk)
      .map((o) => {
        const want = byFile.get(o.file)?.expect;
        const parts = [];
        if (!o.countryOk) parts.push(`country ${o.country ?? 'none'} (expected ${want?.country})`);
        if (!o.typeOk) parts.push(`types [${o.types.join(', ')}] (expected ${want?.event_type})`);
        return `  ${o.file}: ${parts.join('; ')}`;
      });
    console.log(
      `samples: country right in ${countryShare.toFixed(3)} (floor ${COUNTRY_FLOOR}), ` +
        `event type right in ${typeShare.toFixed(3)} (floor ${EVENT_TYPE_FLOOR}) of ${outcomes.length}\n${misses.join('\n')}`,
    );

    expect(countryShare).toBeGreaterThanOrEqual(COUNTRY_FLOOR);
    expect(typeShare).toBeGreaterThanOrEqual(EVENT_TYPE_FLOOR);
  }, 120_000);
});
