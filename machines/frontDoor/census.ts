import { localDate } from '../../calendar/calendar';
import {
  ASSESSMENT_FACTOR,
  CATEGORY_OF_ABUSE,
  DISABILITY,
  ETHNICITY,
  FAMILY_GROUP_DECISION_MAKING,
  PRIMARY_NEED,
  REASON_FOR_CLOSURE,
  REFERRAL_SOURCE,
  SEX,
  UPN_UNKNOWN,
  codesOf,
  isValidUpn,
  type CodeList,
} from '../../returns/cin/codes';
import { z } from '../../validation/zod';

/**
 * The Children in Need census's fields as the front door records them. Every one is optional:
 * cases opened before the census fields were asked for have none, and what the pathway already
 * knows (the referral's date, the enquiry's start, the closure after an assessment) is derived
 * for the return (returns/cin/fromCases.ts), never asked again. Values are the census's codes
 * (returns/cin/codes.ts); forms show each code's label, never the code.
 */

/**
 * A choice from one of the census's code lists. Its codes and their labels travel with the schema,
 * in the list's order, for forms and, as the extension `x-labels`, in the API's contract.
 */
export function censusCode<C extends string>(list: CodeList<C>) {
  const codes = codesOf(list);
  const labels: CodeLabel[] = codes.map((code) => ({ code, label: list.labels[code] }));
  return z.enum(codes).meta({ description: list.name, [LABELS]: labels });
}

/** A code and its label, in a list's order (an object would put codes such as "4" and "10" first). */
export interface CodeLabel {
  code: string;
  label: string;
}

/** Where a schema of codes keeps its codes' labels (read by web/forms.ts). */
export const LABELS = 'x-labels';

/**
 * A unique pupil number as written: a letter and 12 digits, kept in capitals. Its check letter
 * (the DfE's rules 1510 to 1550) is a rule, as every rule the contract's schema cannot state is:
 * a referral with a wrong one opens no case, and a record of one is refused, saying why.
 */
export const Upn = z
  .string()
  .regex(/^[A-Za-z]\d{12}$/, 'a UPN is a letter and 12 digits')
  .overwrite((written) => written.toUpperCase())
  .meta({ description: 'a letter and 12 digits, for example A845200000001' });

/** What is wrong with a UPN's check letter, in words, if anything. */
export const UPN_CHECK_LETTER_WRONG = "the UPN's check letter does not match its digits";
export const upnCheckLetterHolds = (upn: string | undefined) => upn === undefined || isValidUpn(upn);

/**
 * A list of codes, each once, where one code (none, no factors) stands alone: checked here, and
 * stated in the contract's JSON Schema too, so what the document allows the API accepts.
 */
const eachOnceAlone = (alone: string) => ({
  uniqueItems: true,
  anyOf: [{ not: { contains: { const: alone } } }, { maxItems: 1 }],
});

const disabilities = z
  .array(censusCode(DISABILITY))
  .max(13)
  .refine((list) => new Set(list).size === list.length, 'each disability once')
  .refine((list) => !list.includes('NONE') || list.length === 1, '"no disability" stands alone')
  .meta(eachOnceAlone('NONE'));

const childShape = {
  sex: censusCode(SEX).optional(),
  ethnicity: censusCode(ETHNICITY).optional(),
  disabilities: disabilities.optional(),
  upn: Upn.optional(),
  upnUnknown: censusCode(UPN_UNKNOWN).optional(),
};

const upnOrReason = <T extends { upn?: string; upnUnknown?: string }>(c: T) => !(c.upn && c.upnUnknown);
const UPN_OR_REASON = { message: 'either a UPN or why it is not known, not both', path: ['upnUnknown'] };
/** The same, as the contract's JSON Schema says it. */
const NOT_BOTH = { not: { required: ['upn', 'upnUnknown'] } };

/** What the census asks about the child, recorded when it is known. */
export const ChildCensusDetails = z.object(childShape).refine(upnOrReason, UPN_OR_REASON).meta(NOT_BOTH);
export type ChildCensusDetails = z.infer<typeof ChildCensusDetails>;

/** The census's fields on a referral: the child's, and the source of the referral as the census counts it. */
export const ReferralCensus = z
  .object({ referralSource: censusCode(REFERRAL_SOURCE).optional(), ...childShape })
  .refine(upnOrReason, UPN_OR_REASON)
  .meta(NOT_BOTH);
export type ReferralCensus = z.infer<typeof ReferralCensus>;

/** The child's details recorded later (a birth, a UPN found, a disability assessed). */
export const childDetailsFields = Object.freeze({
  ...childShape,
  /** When an unborn child is born, or a date of birth is first known. */
  dateOfBirth: localDate.optional(),
});

/** Factors identified at the end of an assessment: each once, and "no factors" (21) alone. */
export const AssessmentFactors = z
  .array(censusCode(ASSESSMENT_FACTOR))
  .max(20)
  .refine((list) => new Set(list).size === list.length, 'each factor once')
  .refine((list) => !list.includes('21') || list.length === 1, '"no factors identified" stands alone')
  .meta(eachOnceAlone('21'));

export const PrimaryNeed = censusCode(PRIMARY_NEED);
export const CategoryOfAbuse = censusCode(CATEGORY_OF_ABUSE);
export const CensusClosureReason = censusCode(REASON_FOR_CLOSURE);
export const FamilyGroupDecisionMaking = censusCode(FAMILY_GROUP_DECISION_MAKING);
