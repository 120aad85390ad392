/**
 * Weapon mentions, in the schema's weapon classes. Every explosive sub-class also implies
 * "explosives", so that scorers that only know the broad class (GTD) see it.
 *
 * When a text names no weapon at all but tells of an armed assault ("gunmen attacked",
 * "assailants abducted", "the ensuing clash", "ambushed a convoy"), firearms are implied: that is
 * how such attacks are carried out, and how coders (GTD, ACLED) read them. The implied mention
 * spans the phrase that implies it.
 */
import type { Weapon, WeaponMention } from '../core/types.js';
import { Lexicon } from './lexicon.js';

const TABLE: [Weapon[], string[]][] = [
  [['firearms'], ['gun(?:s|fire|shot|shots)?', 'gun(?:man|men)', 'shot (?:dead|and killed|to death)', 'shot', 'shooting(?:s)?', 'opened fire', 'open fire', 'fir(?:ed|ing) (?:on|at|upon|shots)', 'rifle(?:s)?', 'ak ?47(?:s)?', 'kalashnikov(?:s)?', 'small arms', 'firearm(?:s)?', '(?:automatic|heavy) weapons', 'machine ?gun(?:s)?', 'bullet(?:s)?', 'sniper(?:s)?', 'pistol(?:s)?', 'armed (?:assailants|men|gunmen|attackers|individuals)', 'gun ?battle(?:s)?', 'firefight(?:s)?', 'exchange of fire', 'exchanged fire', 'ammunition']],
  [['explosives'], ['explosive(?:s)?', 'explosion(?:s)?', 'bomb(?:s|ed|ing|ings)?', 'blast(?:s)?', 'detonat(?:e|ed|ion)', 'dynamite', 'tnt', 'blew up']],
  [['explosives', 'ied'], ['ied(?:s)?', 'improvised explosive(?: device)?(?:s)?', 'explosive device(?:s)?', 'roadside bomb(?:s)?', 'homemade bomb(?:s)?', 'car bomb(?:s|ing)?', 'vbied(?:s)?', 'booby ?trap(?:s|ped)?', 'sticky bomb(?:s)?', 'magnetic bomb(?:s)?', 'parcel bomb(?:s)?']],
  [['explosives', 'landmine'], ['land ?mine(?:s)?', '(?:anti personnel|anti tank|a|with|by|on) mines?', 'mine (?:blast|explosion)s?', 'unexploded ordnance', 'uxo']],
  [['explosives', 'suicide'], ['suicide (?:bomb|bomber|bombers|bombing|bombings|attack|attacker|attackers|vest|belt|car bomb)s?', 'blew (?:himself|herself|themselves) up', 'self detonat(?:ed|ing)']],
  [['explosives', 'artillery'], ['artillery', 'shell(?:ed|ing|ings|s)?', 'projectile(?:s)?', 'mortar(?:s)?', 'rocket(?:s)?', 'rpg(?:s)?', 'rocket propelled grenade(?:s)?', 'missile(?:s)?', 'howitzer(?:s)?', 'grad', 'mlrs', 'katyusha(?:s)?']],
  [['explosives'], ['grenade(?:s)?', 'hand grenade(?:s)?']],
  [['explosives', 'airstrike'], ['air ?strike(?:s)?', 'air ?raid(?:s)?', 'warplane(?:s)?', 'fighter jet(?:s)?', 'aerial (?:bombardment|bombing|attack|strike)s?', 'helicopter gunship(?:s)?', 'gunship(?:s)?']],
  [['explosives', 'drone'], ['drone(?:s)?', 'uav(?:s)?', 'unmanned aerial vehicle(?:s)?']],
  [['incendiary'], ['set (?:on )?fire', 'set ablaze', 'torch(?:ed|ing)', 'burn(?:ed|t|ing) (?:down|alive|to death)', 'burn(?:ed|t)', 'arson', 'molotov(?: cocktail)?(?:s)?', 'petrol bomb(?:s)?', 'fire ?bomb(?:s|ed)?', 'incendiary', 'gasoline', 'doused']],
  [['melee'], ['knife', 'knives', 'machete(?:s)?', 'stabb(?:ed|ing)', 'stab', 'hack(?:ed)? to death', 'axe(?:s)?', 'club(?:s|bed)', 'sticks', 'beat(?:en|ing)? to death', 'beaten', 'bludgeon(?:ed)?', 'strangl(?:ed|ing)', 'hanged', 'slit', 'beheaded', 'stoned', 'blunt (?:object|weapon)s?', 'sword(?:s)?', 'spear(?:s)?', 'bow and arrows?', 'arrows?', 'flogg(?:ed|ing)', 'whipp(?:ed|ing)', 'lash(?:ed|es|ing)', 'cut off (?:the |his |her |their )?(?:fingers?|hands?|ears?|noses?|tongues?)', 'cut (?:the |his |her |their )?(?:fingers?|hands?|ears?|noses?) off']],
  [['vehicle'], ['ran over', 'run over', 'rammed', 'ramming', 'vehicle attack']],
  [['chemical'], ['chemical (?:weapon|agent|attack)s?', 'sarin', 'chlorine', 'nerve agent', 'poison(?:ous)? gas', 'mustard gas', 'acid attack', 'acid', 'poison(?:ed|ing|s)?', 'toxic (?:gas|substance|chemical)s?']],
  [['other'], ['sabotag(?:e|ed)', 'cyber ?attack']],
];

let lexicon: Lexicon<Weapon[]> | null = null;

/** People who carry arms, as the subject of an assault. */
const ARMED = String.raw`(?:assailants?|gunm[ae]n|militants?|attackers?|insurgents?|rebels?|bandits?|jihadists?|terrorists?|fighters?|kidnappers?|armed (?:men|individuals|groups?|elements))`;

/**
 * Phrases that imply firearms when no weapon is named: an armed group attacking, raiding, abducting
 * or killing; a clash, a firefight, an ambush. Never after "no" or "not" ("no clashes were reported").
 * Every alternative starts at a word boundary, and the `\b` comes before the look-behind: a
 * look-behind tried at every position scanned each run of whitespace back to its start, so 50 KB
 * of spaces cost seconds (test/reliability/shapes.test.ts).
 */
const IMPLIED_FIREARMS = new RegExp(
  String.raw`\b(?<!\b(?:no|not|without|any)\s+(?:\w+\s+)?)(?:\b${ARMED}\s+(?:(?:also|reportedly|allegedly|then|later|had|have)\s+)?(?:attack(?:ed|ing)?|assault(?:ed|ing)?|raid(?:ed|ing)?|storm(?:ed|ing)|ambush(?:ed|ing)?|abduct(?:ed|ing)?|kidnapp(?:ed|ing)|seiz(?:ed|ing)|kill(?:ed|ing)|execut(?:ed|ing)|assassinat(?:ed|ing)|overr(?:an|un)|took)\b|\b(?:the )?(?:ensuing|armed|heavy|fierce) (?:clash(?:es)?|fighting|battles?)\b|\bclash(?:ed|es)? with\b|\bambush(?:ed|es)?\b)`,
  'giu',
);

export function annotateWeapons(text: string): WeaponMention[] {
  if (!lexicon) lexicon = new Lexicon(TABLE.flatMap(([weapons, forms]) => forms.map((pattern) => ({ pattern, payload: weapons }))));
  const out: WeaponMention[] = [];
  for (const m of lexicon.match(text)) {
    for (const weapon of m.payload) out.push({ start: m.start, end: m.end, text: m.text, weapon });
  }
  out.push(...impliedFirearms(text, out));
  out.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * Implied firearms: the first phrase that implies them, when the text names no weapon at all. A named
 * weapon anywhere says how this text's violence was done, so nothing is implied next to it.
 */
function impliedFirearms(text: string, named: readonly WeaponMention[]): WeaponMention[] {
  if (named.length) return [];
  IMPLIED_FIREARMS.lastIndex = 0;
  const m = IMPLIED_FIREARMS.exec(text);
  return m ? [{ start: m.index, end: m.index + m[0].length, text: m[0], weapon: 'firearms' }] : [];
}
