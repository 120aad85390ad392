/**
 * The extraction pipeline: read → clean → annotate → assemble. Pure functions of the input; no store,
 * no network. The list of annotators, in order, is in `annotate()`.
 */
import type { Article, ArticleInput, Doc, ExtractResult } from '../core/types.js';
import { annotateActors } from '../annotate/actors.js';
import { annotateAttributions } from '../annotate/attribution.js';
import { annotateDates } from '../annotate/dates.js';
import { annotatePlaces } from '../annotate/places.js';
import { annotateQuantities } from '../annotate/quantities.js';
import { splitSentences } from '../annotate/sentences.js';
import { annotateTriggers } from '../annotate/triggers.js';
import { annotateWeapons } from '../annotate/weapons.js';
import { assembleEvents } from '../assemble/index.js';
import { explainPlaces } from '../geo/resolve.js';
import { toArticle } from '../ingest/read.js';

export interface PipelineOptions {
  /** false: no place mentions and no geoparsing (no gazetteer is loaded; events carry no place fields). */
  geoparse?: boolean;
}

/** Run every annotator over the cleaned text. */
export function annotate(article: Article, opts: PipelineOptions = {}): Doc {
  const text = article.text;
  const weapons = annotateWeapons(text);
  // "a Grad rocket", "Katyusha rockets": a name the weapon lexicon knows names the weapon, not a place.
  const places = opts.geoparse === false ? [] : annotatePlaces(text).filter((p) => !weapons.some((w) => p.start >= w.start && p.end <= w.end));
  return {
    article,
    text,
    sentences: splitSentences(text),
    quantities: annotateQuantities(text),
    dates: annotateDates(text, article.published),
    places,
    actors: annotateActors(text),
    triggers: annotateTriggers(text),
    weapons,
    attributions: annotateAttributions(text),
  };
}

export function extractFromArticle(article: Article, opts: PipelineOptions & { explain?: boolean } = {}): ExtractResult & { explain?: ReturnType<typeof explainPlaces> } {
  const doc = annotate(article, opts);
  const events = assembleEvents(doc, opts);
  return opts.explain ? { article, events, explain: explainPlaces(doc) } : { article, events };
}

/** Read, clean and extract one article given as JSON-shaped input. Throws InputError for unreadable input. */
export function extractArticle(input: ArticleInput, name = input.source ?? input.id ?? 'article', opts: PipelineOptions = {}): ExtractResult {
  return extractFromArticle(toArticle(input, name), opts);
}
