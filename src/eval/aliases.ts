/**
 * Actor names that stand for the same armed group, for scoring only.
 *
 * Each group lists spellings of one actor: ACLED's long "ABBR: Full name" form, the bare acronym,
 * translations and transliterations that news text and other data sets (GTD, UCDP) use. The table is
 * general knowledge about well-known groups, not fitted to any gold row; the scorer normalises every
 * entry with `normalizeActor` before looking names up, so spelling here need not be normalised.
 *
 * Keep acronyms that are ambiguous across regions (ADF, FLN, ...) out: an alias match is exact and
 * must not join two different groups.
 */
export const ACTOR_ALIAS_GROUPS: readonly (readonly string[])[] = [
  // Sahel
  [
    'JNIM: Group for Support of Islam and Muslims',
    'JNIM',
    'GSIM',
    'Group for Support of Islam and Muslims',
    'Group to Support Islam and Muslims',
    "Jama'at Nusrat al-Islam wal-Muslimin",
    'Jamaat Nusrat al-Islam wa al-Muslimin',
    'Groupe de soutien a l Islam et aux musulmans',
  ],
  [
    'Islamic State (Greater Sahara)',
    'ISGS',
    'IS Sahel',
    'IS-Sahel',
    'Islamic State Sahel Province',
    'Islamic State (Sahel)',
    // ACLED's name for the same group while it counted it as a faction of ISWAP (2019-2022).
    'Islamic State (West Africa) - Greater Sahara Faction',
    'Islamic State in the Greater Sahara',
    'EIGS',
    'Etat islamique au Grand Sahara',
  ],
  [
    'Islamic State (West Africa)',
    'ISWAP',
    'Islamic State West Africa Province',
    'IS West Africa',
    'Islamic State (West Africa) - Lake Chad Faction',
  ],
  [
    'Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad',
    'Boko Haram',
    'JAS',
    "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad",
  ],
  [
    'AQIM: Al Qaeda in the Islamic Maghreb',
    'AQIM',
    'Al-Qaeda in the Islamic Maghreb',
    'Al Qaida in the Islamic Maghreb',
  ],
  ['Katiba Macina', 'Macina Liberation Front', 'Front de Liberation du Macina', 'FLM', 'Katiba Massina'],
  ['Ansaroul Islam', 'Ansarul Islam', 'Ansar ul Islam', 'Ansar al-Islam (Burkina Faso)'],
  ['Dan Na Ambassagou', 'Dana Ambassagou', 'Dan na Amassagou'],
  [
    'CMA: Coordination of Azawad Movements',
    'CMA',
    'Coordination of Azawad Movements',
    'Coordination des Mouvements de l Azawad',
  ],
  [
    'MNLA: National Movement for the Liberation of Azawad',
    'MNLA',
    'National Movement for the Liberation of Azawad',
  ],
  [
    'GATIA: Imghad Tuareg and Allies Self-Defense Group',
    'GATIA',
    'Imghad Tuareg and Allies Self-Defense Group',
  ],
  ['MSA: Movement for the Salvation of Azawad', 'MSA', 'Movement for the Salvation of Azawad'],
  [
    'MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali',
    'MINUSMA',
    'United Nations Multidimensional Integrated Stabilization Mission in Mali',
  ],
  ['Wagner Group', 'Wagner', 'Wagner PMC'],
  // Horn of Africa, Middle East, South Asia
  ['Al Shabaab', 'Al-Shabaab', 'Al Shabab', 'Harakat al-Shabaab al-Mujahideen'],
  [
    'Islamic State (Afghanistan)',
    'Khorasan Chapter of the Islamic State',
    'Islamic State Khorasan Province',
    'Islamic State Khorasan',
    'ISKP',
    'ISIS-K',
    'IS-K',
    'ISKP: Islamic State Khorasan Province',
  ],
  ['Taliban', 'Afghan Taliban', 'Islamic Emirate of Afghanistan'],
  ['TTP: Tehreek-i-Taliban Pakistan', 'TTP', 'Tehrik-i-Taliban Pakistan', 'Pakistani Taliban'],
  ['Houthi Movement', 'Houthis', 'Houthi', 'Ansar Allah', 'Ansarallah'],
  ['PKK: Kurdistan Workers Party', 'PKK', "Kurdistan Workers' Party"],
  ['SDF: Syrian Democratic Forces', 'SDF', 'Syrian Democratic Forces'],
  ['HTS: Hayat Tahrir al Sham', 'HTS', 'Hayat Tahrir al-Sham', 'Tahrir al-Sham'],
  ['Hamas Movement', 'Hamas'],
  ['Hezbollah', 'Hizbollah', 'Hizballah'],
  // Americas, Asia
  ['ELN: National Liberation Army', 'ELN', 'National Liberation Army (Colombia)'],
  ['FARC: Revolutionary Armed Forces of Colombia', 'FARC', 'Revolutionary Armed Forces of Colombia'],
  ['NPA: New Peoples Army', 'NPA', "New People's Army"],
  ['Shining Path', 'Sendero Luminoso', 'SL: Shining Path'],
  ['FMLN: Farabundo Marti National Liberation Front', 'FMLN', 'Farabundo Marti National Liberation Front'],
];
