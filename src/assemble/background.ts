/**
 * Background detection: sentences that tell history or context rather than the reported event
 * ("Since 2012, Mali has suffered…", "the coups of 2020 and 2021", "a UN report covering June to
 * December 2022"). They produce no event, and their numbers are not claims about the event.
 */
import type { DateMention, Doc, Sentence } from '../core/types.js';
import { daysBetween } from './util.js';

/** Days before the anchor after which a stated date is history, not news. */
const STALE_DAYS = 45;

const HISTORY_CUES =
  /\b(?:since (?:\d{4}|the (?:start|beginning)|then|last year|early|late)|in recent (?:years|months|weeks)|(?:over|in|during) the (?:past|last) (?:few |several |two |three )?(?:years|months|decades?)|so far this year|this year alone|last year|a decade|for years|has been (?:plagued|hit|rocked|gripped|battling|fighting)|have been (?:plagued|hit|rocked)|has suffered|have suffered|came to power|seized power|took power|the coup|a coup|coups|(?:previous|earlier|past|similar|recent) (?:attacks|incidents|violence)|is the (?:latest|deadliest|worst)|was the (?:deadliest|worst)|deadliest (?:since|in)|recurrent|regularly|frequently|repeatedly|every year|each year)\b/i;

const REPORT_CUES =
  /\b(?:(?:a|the|its|their|latest|annual|new|quarterly) (?:report|study|survey|tally|count|database|analysis|index)\b|report (?:submitted|published|released|issued|covering)|according to (?:a|the) (?:report|study|tally|count)|the report (?:says|said|stresses|notes|found)|figures compiled|data compiled|statistics|casualty figures|acled|human rights watch|amnesty international)/i;

/**
 * The date the article's news is about: the date of the first dated sentence that reports an action,
 * else the latest day, week or month it states on or before the anchor (publication date), else the
 * anchor. Dates long before it are history.
 */
export function referenceDate(doc: Doc, anchor: string | null): string | null {
  // The lead event's date: the first dated sentence that reports an action.
  for (const s of doc.sentences) {
    if (!doc.triggers.some((t) => t.start >= s.start && t.end <= s.end && !t.negated)) continue;
    const d = doc.dates.find((x) => x.start >= s.start && x.end <= s.end && x.date && x.kind !== 'dateline' && x.granularity !== 'year' && !(anchor && daysBetween(x.date, anchor) < -2));
    if (d?.date) return d.date;
  }
  let latest: string | null = null;
  for (const d of doc.dates) {
    if (!d.date || d.granularity === 'year') continue;
    if (anchor && daysBetween(d.date, anchor) < -2) continue;
    if (!latest || d.date > latest) latest = d.date;
  }
  return latest ?? anchor;
}

/** "The violence has killed more than 2,500 people", "the insurgency has spread ..., killing tens of thousands": a running toll. */
const CUMULATIVE_TOLL =
  /\b(?:violence|conflict|insurgency|insurgencies|war|crisis|unrest|fighting|bloodshed|attacks|campaign)\b[^.;]{0,60}\b(?:has|have) (?:(?:also|now|since|already) )?(?:killed|left|claimed|displaced|forced|spread|cost)\b/i;

export function isBackgroundSentence(doc: Doc, sentence: Sentence, anchor: string | null): boolean {
  const text = doc.text.slice(sentence.start, sentence.end);
  // "On 27 April 2020, ... fighting ... has forced 500 villagers to flee": a sentence that opens with
  // its day reports that day, whatever its tense.
  if (CUMULATIVE_TOLL.test(text) && !datedOpening(doc, sentence)) return true;
  // A question asks; it does not report ("Does a war kill more people than ...?").
  if (/\?["”']?\s*$/.test(text)) return true;
  const dates = doc.dates.filter((d) => d.start >= sentence.start && d.end <= sentence.end);
  const recent = dates.some((d) => isRecent(d, anchor));
  const stale = dates.some((d) => isStale(d, anchor));
  if (stale && !recent) return true;
  if (REPORT_CUES.test(text)) return true;
  if (HISTORY_CUES.test(text) && !hasDayDate(dates, anchor)) return true;
  return false;
}

function hasDayDate(dates: DateMention[], anchor: string | null): boolean {
  return dates.some((d) => d.granularity === 'day' && isRecent(d, anchor));
}

function isRecent(d: DateMention, anchor: string | null): boolean {
  if (!d.date) return d.kind === 'relative' && d.granularity !== 'year';
  if (d.granularity === 'year') return false;
  if (!anchor) return true;
  const days = daysBetween(d.end_date ?? d.date, anchor);
  return days <= STALE_DAYS && days >= -3;
}

function isStale(d: DateMention, anchor: string | null): boolean {
  if (!d.date) return false;
  if (d.granularity === 'year') {
    // "since 2012", "in 2020": history unless it is the anchor's own year.
    return !anchor || d.date.slice(0, 4) !== anchor.slice(0, 4) || /\bsince\b/i.test(d.text);
  }
  if (!anchor) return false;
  return daysBetween(d.end_date ?? d.date, anchor) > STALE_DAYS;
}

/**
 * "On 9 May 2020, ...", "Around 5 May 2020 (as reported), ...", "Non-violent activity: On 30 April
 * 2020, ...": a sentence opening with its day (after a heading, if any).
 */
export function datedOpening(doc: Doc, s: Sentence): boolean {
  const d = doc.dates.find((x) => x.start >= s.start && x.start - s.start <= 48 && x.granularity === 'day' && x.kind !== 'dateline');
  return d !== undefined && /^(?:[A-Z][\w '/-]{0,30}:\s*)?(?:on|around|as reported on|between|from|in the night of)?\s*$/i.test(doc.text.slice(s.start, d.start));
}
