/**
 * The Children in Need (CIN) census's code lists, for the 2025-26 collection, in one place. Each
 * code has a plain-English label: forms show the label, the return carries only the code.
 *
 * Where the codes come from: the DfE's own validation rules as published in csc-validator-be-cin
 * 0.1.13 (ruleset cin2025_26, which carries the 2024-25 rules forward unchanged), each list naming
 * the rule that checks it. The labels follow the DfE's CIN census guide and code set; they are for
 * people, and only the codes are checked by the validator. Before a label goes on a form, check it
 * against the 2025-26 guide: those of assessment factors 8B to 8F and of UPN reasons UN2 to UN6 are
 * the least certain here.
 */

export const COLLECTION_YEAR = '2025-26';

export interface CodeList<C extends string> {
  /** What the list is, as the census calls it. */
  name: string;
  /** The XML element that carries a code from the list. */
  element: string;
  /** Where the codes were taken from. */
  source: string;
  collectionYear: typeof COLLECTION_YEAR;
  labels: Readonly<Record<C, string>>;
}

function codeList<C extends string>(
  name: string,
  element: string,
  source: string,
  labels: Record<C, string>,
): CodeList<C> {
  // Shared by every case on a worker (the front door's schemas use it), so frozen.
  return Object.freeze({
    name,
    element,
    source,
    collectionYear: COLLECTION_YEAR,
    labels: Object.freeze(labels),
  });
}

/**
 * The codes of a list, in its order, as a non-empty tuple (what z.enum takes). An object puts
 * keys that look like whole numbers ("4", "10") first, so codes that start with a number are put
 * back in the list's own order: by that number, then by the letter after it (1A, 1B, ..., 4, 5A, ..., 10).
 */
export function codesOf<C extends string>(list: CodeList<C>): [C, ...C[]] {
  const codes = Object.keys(list.labels) as C[];
  if (!codes.every((c) => /^\d/.test(c))) return codes as [C, ...C[]];
  const order = (c: string) => [parseInt(c, 10), c.replace(/^\d+/, '')] as const;
  return codes.sort((a, b) => {
    const [na, ra] = order(a);
    const [nb, rb] = order(b);
    return na - nb || ra.localeCompare(rb);
  }) as [C, ...C[]];
}

/** The label of a code, for forms and reports. */
export function labelOf<C extends string>(list: CodeList<C>, code: C): string {
  return list.labels[code];
}

const RULES = 'csc-validator-be-cin 0.1.13, ruleset cin2025_26';

export const REFERRAL_SOURCE = codeList('Source of referral', 'ReferralSource', `${RULES}, rule 8866`, {
  '1A': 'Individual: family member, relative or carer',
  '1B': 'Individual: acquaintance (including neighbours and childminders)',
  '1C': 'Individual: self',
  '1D': 'Individual: other (including strangers, MPs and councillors)',
  '2A': 'Schools',
  '2B': 'Education services',
  '3A': 'Health services: GP',
  '3B': 'Health services: health visitor',
  '3C': 'Health services: school nurse',
  '3D': 'Health services: other primary health services',
  '3E': 'Health services: A&E (emergency department)',
  '3F': 'Health services: other (for example a hospice)',
  '4': 'Housing (local authority housing or a housing association)',
  '5A': 'Local authority services: social care (for example adult social care)',
  '5B': 'Local authority services: other internal',
  '5C': 'Local authority services: external (for example another local authority)',
  '5D': 'Local authority services: early help',
  '6': 'Police',
  '7': 'Other legal agency (including courts, probation, immigration, Cafcass and prisons)',
  '8': 'Other',
  '9': 'Anonymous',
  '10': 'Unknown',
});
export type ReferralSource = keyof typeof REFERRAL_SOURCE.labels;

export const PRIMARY_NEED = codeList('Primary need', 'PrimaryNeedCode', `${RULES}, rules 8650 and 8610`, {
  N0: 'Not stated',
  N1: 'Abuse or neglect',
  N2: "Child's disability or illness",
  N3: "Parent's disability or illness",
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
  N9: 'Cases other than children in need',
});
export type PrimaryNeed = keyof typeof PRIMARY_NEED.labels;

/**
 * Factors identified at the end of an assessment. The validator also knows 18A and 19A, which the
 * DfE has retired (it queries them: 8945Q, 8950Q), so they are not offered here. 21 stands alone
 * (8869).
 */
export const ASSESSMENT_FACTOR = codeList(
  'Factors identified at the end of assessment',
  'AssessmentFactors',
  `${RULES}, rules 8897Q, 8869, 8898, 8945Q and 8950Q`,
  {
    '1A': 'Alcohol misuse: concerns about the child',
    '1B': 'Alcohol misuse: concerns about a parent or carer',
    '1C': 'Alcohol misuse: concerns about another person living in the household',
    '2A': 'Drug misuse: concerns about the child',
    '2B': 'Drug misuse: concerns about a parent or carer',
    '2C': 'Drug misuse: concerns about another person living in the household',
    '3A': 'Domestic abuse: concerns about the child being the subject',
    '3B': 'Domestic abuse: concerns about a parent or carer being the subject',
    '3C': 'Domestic abuse: concerns about another person living in the household being the subject',
    '4A': 'Mental health: concerns about the child',
    '4B': 'Mental health: concerns about a parent or carer',
    '4C': 'Mental health: concerns about another person living in the household',
    '5A': 'Learning disability: concerns about the child',
    '5B': 'Learning disability: concerns about a parent or carer',
    '5C': 'Learning disability: concerns about another person living in the household',
    '6A': 'Physical disability or illness: concerns about the child',
    '6B': 'Physical disability or illness: concerns about a parent or carer',
    '6C': 'Physical disability or illness: concerns about another person living in the household',
    '7A': 'Young carer',
    '8B': 'Privately fostered: overseas child, parents intend to return',
    '8C': 'Privately fostered: overseas child, parents intend to remain',
    '8D': 'Privately fostered: UK child in an educational placement',
    '8E': 'Privately fostered: UK child, family making alternative arrangements',
    '8F': 'Privately fostered: other',
    '9A': 'Unaccompanied asylum-seeking child',
    '10A': 'Going or being missing',
    '11A': 'Child sexual exploitation',
    '12A': 'Trafficking',
    '13A': 'Gangs',
    '14A': 'Socially unacceptable behaviour',
    '15A': 'Self-harm',
    '16A': 'Abuse or neglect: neglect',
    '17A': 'Abuse or neglect: emotional abuse',
    '18B': 'Abuse or neglect: sexual abuse by an adult',
    '18C': 'Abuse or neglect: sexual abuse by another child',
    '19B': 'Abuse or neglect: physical abuse by an adult',
    '19C': 'Abuse or neglect: physical abuse by another child',
    '20': 'Female genital mutilation',
    '21': 'No factors identified',
    '22A': 'Faith or belief',
    '23A': 'Child criminal exploitation',
    '24A': 'Other',
  },
);
export type AssessmentFactor = keyof typeof ASSESSMENT_FACTOR.labels;

export const CATEGORY_OF_ABUSE = codeList(
  'Category of abuse',
  'InitialCategoryOfAbuse, LatestCategoryOfAbuse',
  `${RULES}, rules 8905 and 8910`,
  {
    NEG: 'Neglect',
    PHY: 'Physical abuse',
    SAB: 'Sexual abuse',
    EMO: 'Emotional abuse',
    MUL: 'Multiple (more than one category)',
  },
);
export type CategoryOfAbuse = keyof typeof CATEGORY_OF_ABUSE.labels;

export const REASON_FOR_CLOSURE = codeList(
  'Reason for closure',
  'ReasonForClosure',
  `${RULES}, rules 8640, 8825Q and 2990`,
  {
    RC1: 'Adopted',
    RC2: 'Died',
    RC3: 'Child arrangements order',
    RC4: 'Special guardianship order',
    RC5: 'Transferred to the services of another local authority',
    RC6: 'Transferred to adult social care services',
    RC7: 'Services ceased for any other reason, including the child no longer being in need',
    RC8: 'Case closed after assessment, no further action',
    RC9: 'Case closed after assessment, referred to early help',
  },
);
export type ReasonForClosure = keyof typeof REASON_FOR_CLOSURE.labels;

/** Why a child has no UPN. The validator checks UN1 (8770Q) and UN7 (8772) by name. */
export const UPN_UNKNOWN = codeList('Reason UPN unknown', 'UPNunknown', `${RULES}, rules 8770Q and 8772`, {
  UN1: 'Child is aged under 6 and has not yet been given a UPN',
  UN2: 'Child has never attended a state school in England',
  UN3: 'Child is educated at home',
  UN4: 'Child has arrived in England recently and has no UPN yet',
  UN5: 'The sources holding UPNs disagree about this child',
  UN6: 'Child is unborn',
  UN7: 'Referral with no further action',
});
export type UpnUnknown = keyof typeof UPN_UNKNOWN.labels;

/** Sex as the census records it: U for an unborn child (8750) or where it is not known. */
export const SEX = codeList('Sex', 'Sex', `${RULES}, rules 4180 and 8750`, {
  M: 'Male',
  F: 'Female',
  U: 'Not known, or the child is unborn',
});
export type Sex = keyof typeof SEX.labels;

export const ETHNICITY = codeList('Ethnicity', 'Ethnicity', `${RULES}, rule 4220`, {
  WBRI: 'White: English, Welsh, Scottish, Northern Irish or British',
  WIRI: 'White: Irish',
  WIRT: 'White: Traveller of Irish heritage',
  WROM: 'White: Gypsy or Roma',
  WOTH: 'White: any other White background',
  MWBC: 'Mixed: White and Black Caribbean',
  MWBA: 'Mixed: White and Black African',
  MWAS: 'Mixed: White and Asian',
  MOTH: 'Mixed: any other mixed background',
  AIND: 'Asian or Asian British: Indian',
  APKN: 'Asian or Asian British: Pakistani',
  ABAN: 'Asian or Asian British: Bangladeshi',
  AOTH: 'Asian or Asian British: any other Asian background',
  BCRB: 'Black or Black British: Caribbean',
  BAFR: 'Black or Black British: African',
  BOTH: 'Black or Black British: any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
});
export type Ethnicity = keyof typeof ETHNICITY.labels;

/** NONE stands alone (8790); a code appears once per child (8794). */
export const DISABILITY = codeList('Disability', 'Disability', `${RULES}, rules 8540, 8790 and 8794`, {
  NONE: 'No disability',
  MOB: 'Mobility',
  HAND: 'Hand function',
  PC: 'Personal care',
  INC: 'Incontinence',
  COMM: 'Communication',
  LD: 'Learning',
  HEAR: 'Hearing',
  VIS: 'Vision',
  BEH: 'Behaviour',
  CON: 'Consciousness',
  AUT: 'Autism or Asperger syndrome',
  DDA: 'Other disability under the Equality Act',
});
export type Disability = keyof typeof DISABILITY.labels;

/**
 * Family group decision making offered at pre-proceedings (the 2025-26 pre-proceedings items). The
 * validator (0.1.13) has no element or rule for these yet, so the codes are this service's own and
 * are recorded on the case, not written into the census XML, until the DfE's schema names them.
 */
export const FAMILY_GROUP_DECISION_MAKING = codeList(
  'Family group decision making at pre-proceedings',
  '(none yet in the census XML)',
  "this service's own codes; no rule in csc-validator-be-cin 0.1.13, ruleset cin2025_26",
  {
    HELD: 'Offered, and a family group conference was held',
    DECLINED: 'Offered, and the family declined',
    NOTOFFERED: 'Not offered',
  },
);
export type FamilyGroupDecisionMaking = keyof typeof FAMILY_GROUP_DECISION_MAKING.labels;

const UPN_CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The check letter of a UPN's 12 digits: each digit weighted by its place (2 to 13), modulo 23. */
export function upnCheckLetter(digits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i + 2);
  return UPN_CHECK_LETTERS[sum % 23]!;
}

/** A permanent UPN: its check letter, then 12 digits (rules 1510 to 1550). */
export function isValidUpn(upn: string): boolean {
  return /^[A-Z]\d{12}$/.test(upn) && upnCheckLetter(upn.slice(1)) === upn[0];
}

/** Every list, for checks that walk them all. */
export const CODE_LISTS = Object.freeze([
  REFERRAL_SOURCE,
  PRIMARY_NEED,
  ASSESSMENT_FACTOR,
  CATEGORY_OF_ABUSE,
  REASON_FOR_CLOSURE,
  UPN_UNKNOWN,
  SEX,
  ETHNICITY,
  DISABILITY,
  FAMILY_GROUP_DECISION_MAKING,
] as const);
