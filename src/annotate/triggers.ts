/**
 * Event triggers: the words that say something happened ("killed", "ambushed", "shelled", "abducted").
 * Each trigger carries a coarse action (used by the assembler to pick ACLED's type and sub-type), the
 * weapons it implies, and whether it is negated or hypothetical in its sentence.
 */
import type { Trigger, TriggerAction, Weapon } from '../core/types.js';
import { Lexicon, type LexiconEntry } from './lexicon.js';

interface TriggerDef {
  label: string;
  action: TriggerAction;
  weapons?: Weapon[];
  /** Patterns (see Lexicon): each becomes one lexicon entry. */
  forms: string[];
}

const DEFS: TriggerDef[] = [
  { label: 'kill', action: 'kill', forms: ['dismembered', 'bod(?:y|ies) of (?:a|an|the|two|three|\\d+) (?:[\\p{L}-]+ ){0,3}?(?:was|were) (?:found|discovered|recovered)', '(?:was|were) found (?:dead|murdered|killed|shot|strangled|floating|with (?:gunshot|stab|signs))', 'decapitat(?:ed|ing|ion)', 'beheaded', 'burned alive', 'burnt alive','kill(?:s|ed|ing|ings)?', 'slain', 'slew', 'murder(?:s|ed|ing)?', 'assassinat(?:e|ed|es|ing|ion|ions)', 'execut(?:e|ed|es|ing)', 'extrajudicial(?:ly)? (?:killing|execution)s?', 'behead(?:ed|ing|ings)?', 'died', 'dead', 'death(?:s)?', 'death toll', 'lost (?:their|his|her) li(?:fe|ves)', 'fatalit(?:y|ies)', 'neutrali[sz](?:e|ed|es|ing)', 'eliminat(?:ed|ing)', 'lynch(?:ed|ing)', 'bod(?:y|ies) (?:of|were|was) (?:found|discovered|recovered)', '(?:found|discovered) dead'] },
  { label: 'massacre', action: 'massacre', forms: ['massacre(?:s|d)?'] },
  { label: 'injure', action: 'injure', forms: ['wound(?:s|ed|ing)?', 'injur(?:e|ed|es|ing|y|ies)', 'hurt'] },
  { label: 'shots', action: 'clash', weapons: ['firearms'], forms: ['shots? involving', 'bursts? of fire involving'] },
  { label: 'fire', action: 'attack', forms: ['fir(?:ed|ing)(?:,? [\\p{L}\\p{N}\\-/.]+){0,14}?,? (?:at|on|upon|towards|toward|into|against)', 'fir(?:ed|ing) (?:warning )?shots', 'shots? (?:were )?fired', 'bursts? of (?:gun)?fire', 'small arms fire', 'gunfire', 'gun ?shots?'] },
  { label: 'projectile', action: 'shelling', weapons: ['explosives', 'artillery'], forms: ['projectiles?', 'anti tank guided missiles?', 'atgms?', 'grenade launchers?', 'shells? (?:fell|landed|hit)'] },
  { label: 'attack', action: 'attack', forms: ['stab ?wounded', 'beat (?:[\\p{L}-]+ ){1,3}?to death', 'stabb(?:ed|ing)(?: to death)?', 'cut (?:off )?(?:the|his|her|their) (?:ear|ears|hand|hands|nose|throat)', 'mutilat(?:ed|ing)', 'beat(?:en|ing)? (?:to death|up)', 'beaten', 'tortur(?:e|ed|ing)', 'whipp(?:ed|ing)', 'flogg(?:ed|ing)', 'attack(?:s|ed|ing|ers)?', 'assault(?:s|ed|ing)?', 'raid(?:s|ed|ing)?', 'storm(?:ed|ing)', 'opened fire', 'open(?:ed)? fire', 'fir(?:ed|ing) (?:on|at|upon)', 'shot', 'shoot(?:s|ing|ings)?', 'gunned down', 'targeted', 'target(?:ing|s)', 'struck', 'strik(?:e|es|ing)', 'hit', 'overran'], weapons: [] },
  { label: 'clash', action: 'clash', forms: ['clash(?:es|ed|ing)?', 'fighting', 'fought', 'battle(?:s|d)?', 'gun ?battle(?:s)?', 'firefight(?:s)?', 'fire ?fight(?:s)?', 'exchange(?:s)? of fire', 'exchanged fire', 'exchang(?:ed|ing) (?:heavy )?(?:gunfire|artillery|shelling|shots|mortar fire|rocket fire)', 'skirmish(?:es)?', 'engag(?:ed|ement|ements)', 'combat', 'confrontation(?:s)?', 'repel(?:led|s)?', 'repuls(?:ed|e)', 'rout(?:ed|ing)', 'counter ?attack(?:s|ed)?', 'offensive', 'shoot ?out(?:s)?', 'hostilities', 'encounter(?:s)?', 'incursions?'] },
  { label: 'ambush', action: 'ambush', forms: ['ambush(?:es|ed|ing)?'] },
  { label: 'explosion', action: 'explosion', weapons: ['explosives'], forms: ['set off (?:an? )?(?:explosives?|bombs?|charges?|devices?)','explosion(?:s)?', 'explod(?:e|ed|es|ing)', 'blast(?:s)?', 'bomb(?:s|ed|ing|ings)?', 'detonat(?:e|ed|es|ing|ions?)', 'blew up', 'blown up'] },
  { label: 'ied', action: 'explosion', weapons: ['explosives', 'ied'], forms: ['ied(?:s)?', 'improvised explosive device(?:s)?', 'improvised explosive', 'explosive device(?:s)?', 'roadside bomb(?:s)?', 'homemade bomb(?:s)?', 'home made bomb(?:s)?', 'car bomb(?:s|ing|ings)?', 'vbied(?:s)?', 'booby ?trap(?:s|ped)?', 'sticky bomb(?:s)?', 'magnetic bomb(?:s)?', 'dynamite'] },
  { label: 'landmine', action: 'explosion', weapons: ['explosives', 'landmine'], forms: ['land ?mine(?:s)?', '(?:anti personnel|anti tank|a|with|by|on|the) mines?', 'mine (?:blast|explosion)(?:s)?', 'unexploded ordnance', 'uxo'] },
  { label: 'shelling', action: 'shelling', weapons: ['explosives', 'artillery'], forms: ['(?:subjected to|came under) (?:indirect|mortar|rocket|artillery|heavy)(?:(?:/| )(?:mortar|rocket))* fire', '(?:mortar|rocket|indirect|artillery)(?:/(?:mortar|rocket))? fire (?:against|on|at|targeting|hit)', 'shell(?:ed|ing|ings|s)', 'artillery', 'mortar(?:s|ed)?', 'rocket(?:s)?', 'rocket propelled grenade(?:s)?', 'rpg(?:s)?', 'missile(?:s)?', 'bombard(?:ed|ment|ments)', 'howitzer(?:s)?', 'mlrs', 'grad rockets?', 'ballistic'] },
  { label: 'airstrike', action: 'airstrike', weapons: ['explosives', 'airstrike'], forms: ['air ?strike(?:s)?', 'air ?raid(?:s)?', 'aerial (?:bombardment|bombing|attack|strike)s?', 'warplane(?:s)?', 'fighter jet(?:s)?', 'jets? (?:bombed|struck)', 'helicopter gunship(?:s)?', 'gunship(?:s)?', 'bombed from the air', 'air force (?:bombed|struck|strikes?)', 'airborne attack'] },
  { label: 'drone', action: 'airstrike', weapons: ['explosives', 'drone'], forms: ['drone strike(?:s)?', 'drone attack(?:s)?', 'drone(?:s)?', 'uav(?:s)?', 'unmanned aerial vehicle(?:s)?', 'kamikaze drone(?:s)?'] },
  { label: 'suicide', action: 'suicide', weapons: ['explosives', 'suicide'], forms: ['suicide bomb(?:er|ers|ing|ings)?', 'suicide attack(?:s|er|ers)?', 'suicide car bomb(?:s|er|ers)?', 'suicide vest(?:s)?', 'blew (?:himself|herself|themselves) up', 'self detonat(?:ed|ing)', 'detonated (?:his|her|their) (?:explosive )?(?:vest|belt)s?', 'suicide'] },
  { label: 'grenade', action: 'grenade', weapons: ['explosives'], forms: ['grenade(?:s)?', 'hand grenade(?:s)?', 'threw (?:a |an |two |several )?(?:hand )?grenades?'] },
  { label: 'throw', action: 'attack', weapons: ['incendiary'], forms: ['threw (?:a |an |two |several )?(?:molotov cocktails?|petrol bombs?|fire ?bombs?|incendiary devices?)'] },
  { label: 'abduct', action: 'abduct', forms: ['abduct(?:s|ed|ing|ion|ions)?', 'kidnap(?:s|ped|ping|pings|ed|ing)?', 'taken hostage', 'taken as hostages?', 'took (?:\\w+ )?hostage(?:s)?', 'hostage(?:s)?', 'held captive', 'taken captive', '(?:forcibly )?disappeared', 'forced disappearance(?:s)?', 'carried off', 'taken away'] },
  { label: 'arrest', action: 'arrest', forms: ['arrest(?:s|ed|ing)?', 'detain(?:s|ed|ing)?', 'detention(?:s)?', 'apprehend(?:ed|s)?', 'rounded up', 'taken into custody', 'in custody', 'captured'] },
  { label: 'loot', action: 'loot', forms: ['seiz(?:ed|ing)(?: [\\p{L}\\p{N}-]+){0,5}? (?:lands?|livestock|cattle|cows|goats|sheep|camels|donkeys|animals|vehicles?|trucks?|cars?|motorbikes?|motorcycles?|goods|belongings|property|food|supplies|fuel|money|cash|phones?|heads of|ambulances?)', '(?:vehicles?|trucks?|cars?|motorbikes?|motorcycles?|ambulances?|livestock|cattle|goods|belongings|money)(?: (?:and|of|their|his|her|the) [\\p{L}-]+){0,3} (?:was|were) (?:seized|stolen|taken away)', 'carjack(?:ed|ing)?', 'stripp(?:ed|ing)(?: [\\p{L}-]+){0,3}? of (?:their|his|her) (?:belongings|possessions|goods|money|valuables)', 'made an incursion', 'extort(?:ed|ing)','loot(?:s|ed|ing)?', 'pillag(?:e|ed|ing)', 'plunder(?:ed|ing)?', 'ransack(?:ed|ing)?', 'stole', 'stolen', 'steal(?:ing)?', 'rob(?:bed|bery|beries)', 'rustl(?:ed|ing)', 'hijack(?:ed|ing|s)?', 'extort(?:ed|ion)'] },
  { label: 'destroy', action: 'destroy', weapons: [], forms: ['burn(?:ed|t|ing)?(?: down)?', 'uproot(?:ed|ing)', 'cut down', 'chopped down', 'torch(?:ed|ing)', 'set (?:on )?fire', 'set (?:[\\p{L}\\p{N}-]+ ){1,5}?on fire', 'set ablaze', 'raz(?:ed|ing)', 'destroy(?:ed|ing|s)?', 'destruction', 'smash(?:ed|ing)', 'evict(?:ed|ion|ing)', 'imposed (?:[\\p{L}-]+ ){0,2}(?:royalties|taxes|levies|fees|fines)', 'damag(?:ed|ing) (?:a|an|the|two|several|their|his|her|\\d+)', 'clos(?:ed|ing) down', 'demolish(?:ed|ing)', 'vandali[sz](?:ed|ing|m)', 'sabotag(?:e|ed|ing)', 'arson'] },
  { label: 'protest', action: 'protest', forms: ['protest(?:s|ed|ing|ers|ors)?', 'demonstrat(?:ion|ions|ors|ed)', 'rall(?:y|ies|ied)', 'sit in', 'marched', 'march(?:es)? (?:against|for|to|through)', 'strike(?:s)? (?:against|over|to demand)', 'picket(?:ed|s)?', 'went on strike'] },
  { label: 'riot', action: 'riot', forms: ['riot(?:s|ed|ing|ers)?', 'violent (?:demonstration|protest)s?', 'burn(?:ed|ing|t)? tires', 'burn(?:ed|ing|t)? tyres', 'barricad(?:e|es|ed)', 'threw stones', 'stone pelting', 'pelted'] },
  { label: 'mob', action: 'mob', forms: ['mob(?:s)?', 'lynch mob(?:s)?', 'vigilante(?:s)?', 'mob justice', 'jungle justice'] },
  { label: 'capture', action: 'capture', forms: ['(?:seized|took|taken|gained|assumed) control', 'captur(?:ed|ing) the (?:town|city|village|base|district|area|post)', 'overr(?:an|un)', 'fell to', 'took over', 'taken over', 'occupied'] },
  { label: 'retake', action: 'retake', forms: ['retook', 'retaken', 'recaptur(?:e|ed|ing)', 'regain(?:ed)? control', 'liberat(?:ed|ing)', 'reclaim(?:ed)?', 'back under (?:government|army) control'] },
  { label: 'defuse', action: 'defuse', weapons: ['explosives'], forms: ['defus(?:e|ed|ing)', 'dismantl(?:ed|ing) (?:an?|the|two|three|several)? ?(?:explosive|bomb|device|ied)s?', 'controlled detonation', 'foil(?:ed|s)', 'thwart(?:ed|s)', 'intercept(?:ed|s)', 'shot down', 'disarmed'] },
  { label: 'seize', action: 'seize', forms: ['cache of (?:explosives|weapons|arms|ammunition|munitions)', 'seiz(?:ed|ing)(?: [\\p{L}\\p{N}-]+){0,4}? (?:munitions|weapons|arms|ammunition|explosives|rifles|grenades|drugs|narcotics|marijuana|cocaine|heroin)', '(?:weapons|arms|ammunition) cache(?:s)?', 'seiz(?:ed|ure) (?:of )?(?:weapons|arms|ammunition|explosives)', 'confiscat(?:ed|ion)'] },
  { label: 'agreement', action: 'agreement', forms: ['releas(?:ed|ing) (?:\\d+ |[\\p{L}-]+ ){0,3}?(?:prisoners|detainees|hostages|captives)', 'ceasefire', 'cease fire', 'truce', 'peace (?:deal|agreement|accord|talks)', 'agreement', 'accord', 'surrender(?:ed|s)?', 'prisoner (?:swap|exchange)', 'laid down (?:their|his) (?:arms|weapons)'] },
  { label: 'sexual', action: 'sexual', forms: ['rap(?:e|ed|es|ing)', 'sexual(?:ly)? (?:violence|assault|assaulted|abuse|abused)', 'gang raped?'] },
  { label: 'chemical', action: 'chemical', weapons: ['chemical'], forms: ['chemical (?:weapon|attack|agent)s?', 'sarin', 'chlorine gas', 'nerve agent', 'poison gas', 'mustard gas'] },
  // Threats and intimidation of people (ACLED: strategic developments, "Other"); "threatened to attack" is a threat of the attack, not one.
  { label: 'threat', action: 'threat', forms: ['threaten(?:ed|ing) (?:the )?(?:[\\p{L}-]+ ){0,2}?(?:locals|residents|inhabitants|villagers|civilians|population|voters|election (?:workers|officials|agents)|polling (?:staff|agents)|teachers|traders|journalists|officials|families)', 'intimidat(?:ed|ing) (?:the )?(?:[\\p{L}-]+ ){0,2}?(?:locals|residents|inhabitants|villagers|civilians|population|voters)'] },
  { label: 'displace', action: 'displace', forms: ['evacuat(?:ed|ion)', 'displac(?:ed|ement)', 'fled (?:their|the) (?:homes|villages|area)', 'forced to flee'] },
  { label: 'base', action: 'base', forms: ['(?:set up|established|establish|installed|built) (?:a |an )?(?:new |temporary |military |forward )*(?:base|camp|headquarters|outpost|fortification|position)s?'] },
  { label: 'movement', action: 'movement', forms: ['deploy(?:ed|ment)', 'recruit(?:ed|ment|ing)', 'defect(?:ed|ion|ors?)', 'withdr(?:ew|awn|awal)', 'redeploy(?:ed|ment)', '(?:military )?reinforcements', 'patrol(?:s|led|ling)?', 'fortifications?', 'joined the', 'curfew', 'lockdown', 'security measures', 'state of emergency', 'mobili[sz](?:ed|ation)', 'convoy (?:arrived|entered)', 'set up (?:a )?checkpoints?', 'military outposts?', 'troop movements?', 'brought (?:in )?(?:military )?reinforcements', 'military (?:column|convoy)s?', 'reconnaissance flights?', 'imposed (?:a |an )?(?:blockade|siege|curfew|ban)', '(?:military|combing|security|clearance|counter ?terrorism|counter ?insurgency|mopping up|search|sweep(?:ing)?) operations?', 'encircl(?:ed|ing)', 'surround(?:ed|ing) the', 'announced (?:the )?(?:creation|founding|formation|establishment) of', 'officially join(?:ed|ing)', 'joined forces', 'blockade', 'besieg(?:ed|ing)', 'siege'] },
];

let lexicon: Lexicon<TriggerDef> | null = null;

function getLexicon(): Lexicon<TriggerDef> {
  if (!lexicon) {
    const entries: LexiconEntry<TriggerDef>[] = [];
    for (const def of DEFS) for (const form of def.forms) entries.push({ pattern: form, payload: def });
    lexicon = new Lexicon(entries);
  }
  return lexicon;
}

/** Words in the preceding context (same clause) that make a trigger negated or hypothetical. */
const NEGATION_NEAR = /(?:\b(?:no|not|never|nobody|none|without|stop|stopping|halt|end|ending|cease|renounce|suspend|abandon)\b|n't\b)[^.;,:]{0,14}$|\bto\s+(?:[a-z]+ly\s+)?$/i;
const NEGATION_MODAL =
  /\b(?:will|shall|would|should|must|going to|wants? to|wanted to|seeks? to|sought to|ready to|willing to|capable of|call(?:ed|s|ing)? for|in order to|order(?:ed|s)? to|urge[sd]? to|demand(?:ed|s)? (?:an? )?end to|denie[sd]|deny|denying|threat(?:en|ens|ened)? to|vow(?:s|ed)? to|plan(?:s|ned|ning)? to|plot(?:s|ted|ting)? to|would|could|might|intend(?:s|ed)? to|aim(?:s|ed)? to|prevent(?:s|ed)?|avert(?:ed)?|fear(?:s|ed)?|warn(?:s|ed)? (?:of|against)|risk of|fail(?:s|ed)? to|protect(?:ed|ing)? from|to avoid|unless|counter[- ]?terrorism|threat of|possible|potential)\b[^.;,:]{0,40}$/i;
/** "anti-kidnapping unit", "anti-riot police": the prefix of the trigger itself, not a word before it ("the anti-poaching brigade's guide assassinated"). */
const ANTI_PREFIX = /\banti[- ]?$/i;
const NEGATION = { test: (s: string): boolean => NEGATION_NEAR.test(s) || NEGATION_MODAL.test(s) || ANTI_PREFIX.test(s) };

/** Words in the following context that undo the trigger ("attack was foiled", "no one was killed" comes before). */
const FOLLOWING_NEGATION = /^[^.;]{0,25}\b(?:was|were) (?:foiled|thwarted|averted|prevented)\b/i;

/** Nouns that, right before "attack"/"strike", make it something else ("heart attack", "hunger strike"). */
const NON_VIOLENT_PREFIX = /\b(?:heart|panic|hunger|general|labour|labor|teachers'?|workers'?|cyber|verbal|lucky|political|legal|media|diplomatic|price|goal|penalty|free)[\s-]+$/i;

/** Irregular past forms and phrases that report a single occurrence by themselves. */
const PAST_FORMS = /^(?:shot|fought|slew|slain|struck|hit|stole|stolen|blew up|blown up|dead|died|overran|overrun|retook|retaken|took over|taken over|fell to|burnt|set fire|set ablaze|set on fire|held captive|taken hostage|took \S+ ?hostages?|hurt|opened fire|open fire|gunned down|rounded up|laid down)$/i;

/** Irregular past tenses that may begin a longer trigger ("took control", "brought reinforcements"). */
const PAST_HEADS = new Set(['took', 'taken', 'fell', 'threw', 'thrown', 'overran', 'overrun', 'shot', 'hit', 'struck', 'stole', 'stolen', 'blew', 'blown', 'fought', 'slew', 'slain', 'set', 'held', 'cut', 'beat', 'beaten', 'brought', 'sent', 'led', 'broke', 'broken', 'built', 'ran', 'dismembered']);

/** Event nouns: specific when a determiner or a number stands right before them ("an attack", "the blast", "two explosions"). */
const DETERMINER_BEFORE = /\b(?:a|an|this|that|yesterday's|today's|last night's|sunday's|monday's|tuesday's|wednesday's|thursday's|friday's|saturday's|latest|deadly|fatal|bloody|heavy|violent|\d+|two|three|four|five|several|multiple|simultaneous|coordinated|twin|carried out|conducted|launched|staged|mounted|perpetrated|committed|claimed|reported|signed|concluded|reached|renewed|sporadic|intermittent|fresh)\s+["“”']?(?:[\p{L}-]+\s+){0,2}(?:\p{L}+-)?$/iu;

/** A verb of occurrence after an event noun: "clashes erupted", "an explosion occurred", "fighting broke out". */
const OCCURRED_AFTER = /^\s+(?:(?:also|reportedly|again)\s+)?(?:(?:was|were)\s+(?:launched|staged|mounted|reported|heard)|took place|erupted|broke out|occurred|happened|hit|rocked|struck|left|killed|claimed|continued|ensued|resumed|were reported|was reported|raged|targeted|injured|wounded|between|fired|launched|dropped|fell|landed|arrived|reached|entered|involving)\b/i;

/** Nouns of war in general: they report one occurrence only with a verb of occurrence ("fighting broke out"). */
const GENERIC_NOUNS = /^(?:offensive|incursions?|combat|war|wars|fighting|fight|hostilities|violence|battle|battles|confrontations?|engagements?|encounters?|killings|murders|massacres|assassinations|kidnappings|abductions|executions|bombings|shootings|attacks|ambushes|raids|assaults)$/;

/** "the" before a singular event noun ("the attack on the base") refers to one occurrence. */
const THE_BEFORE = /\bthe\s+(?:[\p{L}-]+\s+){0,2}$/iu;

/** Where a sentence or a heading opens: a headline or a log entry ("Ambush targeting GATIA near Kidal.", "DETONATION: Detonation in Kidal"). */
const OPENING = /(?:^|[.!?]["”']?\s+|:\s*|\n\s*)$/;

function isSpecific(form: string, before: string, after: string): boolean {
  const f = form.toLowerCase();
  if (OCCURRED_AFTER.test(after)) return true;
  // A singular event noun that opens a sentence, as a headline or an analyst's log reports one occurrence.
  if (OPENING.test(before) && !/s$/.test(f) && !GENERIC_NOUNS.test(f) && /^\p{Lu}/u.test(form) && /^\s+(?:\p{Ll}|\d|\(|by\b|on\b|in\b|at\b|against\b)/u.test(after)) return true;
  if (PAST_FORMS.test(f)) return true;
  const head = f.split(/[\s-]+/)[0] ?? f;
  if (PAST_HEADS.has(head) && head !== f) return true;
  if (/(?:ed|en)$/.test(head) && !/^(?:wounds|hostilities)$/.test(head)) return true;
  // A passive that ends the trigger ("vehicles and money were seized") reports what was done.
  if (/\b(?:was|were)\s+(?:\w+\s+)?\w+(?:ed|en)$/.test(f)) return true;
  if (/^fir(?:ed|ing)\b/.test(f) || /^(?:shots?|bursts?) /.test(f)) return true;
  // Verbs in -ing after a clause ("..., killing 14") report an occurrence.
  if (/ing$/.test(f) && /,\s*$/.test(before)) return true;
  if (GENERIC_NOUNS.test(f) && !/\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several)\s+(?:[\p{L}-]+\s+){0,1}$/iu.test(before)) return false;
  if (DETERMINER_BEFORE.test(before)) return true;
  return !/s$/.test(f) && THE_BEFORE.test(before);
}

export function annotateTriggers(text: string): Trigger[] {
  const out: Trigger[] = [];
  for (const m of getLexicon().match(text)) {
    const def = m.payload;
    const before = text.slice(Math.max(0, m.start - 60), m.start);
    if ((def.action === 'attack' || def.action === 'protest') && NON_VIOLENT_PREFIX.test(before)) continue;
    // "mine" alone is too ambiguous: the lexicon demands a preposition or determiner before it.
    const negated = NEGATION.test(before) || FOLLOWING_NEGATION.test(text.slice(m.end, m.end + 40));
    out.push({
      start: m.start,
      end: m.end,
      text: m.text,
      label: def.label,
      action: def.action,
      weapons: def.weapons ?? [],
      negated,
      specific: isSpecific(m.text, before, text.slice(m.end, m.end + 40)),
    });
  }
  return out;
}
