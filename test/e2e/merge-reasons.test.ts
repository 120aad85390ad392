/**
 * An event page in Chromium lists the reasons of a merge decision as the API gives them: one line per
 * reason with its name in words, its points (+ for, − against) and what the merger saw; and the
 * events table says "More than 1,000 events match" when the API's total is a lower bound. Over a real
 * server (the built dashboard, web/dist) and a PGlite store written through the store API.
 */
import { expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { TOTAL_CAP } from '../../src/store/queries.js';
import { startServer } from '../server/helpers.js';
import { makeArticle, makeEvents } from '../store/backends.js';
import { E2E_TIMEOUT_MS, launchBrowser, shot } from './harness.js';

it('lists merge reasons on the event page and a capped total in the table', async () => {
  const s = await startServer('pglite', { webRoot: undefined });
  const browser = await launchBrowser();
  try {
    const a = makeArticle('m1');
    const b = makeArticle('m2', { sentences: ['Gunmen killed 6 villagers near Kidal on 3 March 2023, residents said.'] });
    const [ea, eb] = [makeEvents(a), makeEvents(b)];
    await s.store.putArticle(a, ea);
    await s.store.putArticle(b, eb);
    const [x, y] = [ea[0]!.event_id, eb[0]!.event_id];
    await s.store.createCanonical({ id: 'merged-1', event: ea[0]!, members: [x] });
    const reasons = [
      { name: 'same_day', weight: 2, detail: '2023-03-03' },
      { name: 'other_sub_type', weight: -1.5, detail: 'Attack vs Armed clash' },
      { name: 'shared_evidence', weight: 3.2, detail: 'killed villagers Kidal' },
    ];
    const d = await s.store.recordMergeDecision({ kind: 'pair', events: [y, x], canonicalId: 'merged-1', score: 3.7, reasons: { joined: y, into: 'merged-1', partner: x, reasons } });
    await s.store.addMembers('merged-1', [y], { decisionId: d.id });
    const [template] = makeEvents(makeArticle('tmpl'));
    const many: SitrepEvent[] = Array.from({ length: TOTAL_CAP + 5 }, (_, i) => ({ ...template!, event_id: `bulk-${i}` }));
    await s.store.putCanonicals(many.map((event) => ({ id: event.event_id, event })));

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.base}/#/event/merged-1`);
    await page.waitForSelector('ul.reasons li', { timeout: E2E_TIMEOUT_MS });
    const lines = await page.locator('ul.reasons li').allInnerTexts();
    expect(lines.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(['same day +2 2023-03-03', 'other sub type \u22121.5 Attack vs Armed clash', 'shared evidence +3.2 killed villagers Kidal']);
    await expect(page.locator('.reason-points.against').innerText()).resolves.toBe('\u22121.5');
    await page.locator('ul.reasons').scrollIntoViewIfNeeded();
    await shot(page, '10-merge-reasons');

    await page.goto(`${s.base}/#/`);
    await page.waitForFunction(() => document.querySelector('.results')?.textContent?.startsWith('More than'), null, { timeout: E2E_TIMEOUT_MS });
    await expect(page.locator('.results').innerText()).resolves.toBe('More than 1,000 events match; showing 1–50.');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await s.close();
  }
}, E2E_TIMEOUT_MS);
