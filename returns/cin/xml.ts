import { z } from 'zod';
import {
  ASSESSMENT_FACTOR,
  CATEGORY_OF_ABUSE,
  DISABILITY,
  ETHNICITY,
  PRIMARY_NEED,
  REASON_FOR_CLOSURE,
  REFERRAL_SOURCE,
  SEX,
  UPN_UNKNOWN,
  codesOf,
} from './codes';

/**
 * The Children in Need census return as a typed model, and a pure writer from it to the census's
 * XML. Field names are the census's element names, and the nesting is the one the DfE's validator
 * (csc-validator-be-cin, cin_validator/ingress.py) reads: Message > Header > CollectionDetails and
 * Source; Message > Children > Child > ChildIdentifiers, ChildCharacteristics (with Disabilities)
 * and CINdetails (with Assessments, CINPlanDates, Section47 and ChildProtectionPlans with Reviews).
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const Header = z.object({
  Collection: z.literal('CIN'),
  /** The year the collection ends: 2026 for 2025-26. */
  Year: z.string().regex(/^\d{4}$/),
  /** 31 March of Year (rule 100). */
  ReferenceDate: date,
  SourceLevel: z.literal('L'),
  /** The local authority's three-digit code. */
  LEA: z.string().regex(/^\d{3}$/),
  SoftwareCode: z.string().min(1),
  Release: z.string().min(1),
  SerialNo: z.string().regex(/^\d+$/),
  /** When the file was made, as an ISO date-time without a zone: 2026-04-01T09:00:00. */
  DateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
});
export type Header = z.infer<typeof Header>;

export const ChildIdentifiers = z
  .object({
    /** Up to 20 letters and digits (rules 1570, 1580). */
    LAchildID: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
    UPN: z.string().optional(),
    FormerUPN: z.string().optional(),
    UPNunknown: z.enum(codesOf(UPN_UNKNOWN)).optional(),
    PersonBirthDate: date.optional(),
    ExpectedPersonBirthDate: date.optional(),
    Sex: z.enum(codesOf(SEX)),
    PersonDeathDate: date.optional(),
  })
  .refine((c) => c.PersonBirthDate === undefined || c.ExpectedPersonBirthDate === undefined, {
    message: 'a date of birth or an expected date of birth, not both (8525Q)',
  });
export type ChildIdentifiers = z.infer<typeof ChildIdentifiers>;

export const ChildCharacteristics = z.object({
  Ethnicity: z.enum(codesOf(ETHNICITY)),
  Disabilities: z.array(z.enum(codesOf(DISABILITY))),
});
export type ChildCharacteristics = z.infer<typeof ChildCharacteristics>;

export const Assessment = z.object({
  AssessmentActualStartDate: date,
  AssessmentInternalReviewDate: date.optional(),
  /** When the assessment was completed and signed off; factors are only for completed ones (8614). */
  AssessmentAuthorisationDate: date.optional(),
  AssessmentFactors: z.array(z.enum(codesOf(ASSESSMENT_FACTOR))),
});
export type Assessment = z.infer<typeof Assessment>;

export const CINPlanDates = z.object({
  CINPlanStartDate: date,
  CINPlanEndDate: date.optional(),
});
export type CINPlanDates = z.infer<typeof CINPlanDates>;

export const Section47 = z.object({
  S47ActualStartDate: date,
  InitialCPCtarget: date.optional(),
  DateOfInitialCPC: date.optional(),
  ICPCnotRequired: z.boolean().optional(),
});
export type Section47 = z.infer<typeof Section47>;

export const ChildProtectionPlan = z.object({
  CPPstartDate: date,
  CPPendDate: date.optional(),
  /** Required by the census; absent only on a plan recorded before the service asked for it (a gap). */
  InitialCategoryOfAbuse: z.enum(codesOf(CATEGORY_OF_ABUSE)).optional(),
  LatestCategoryOfAbuse: z.enum(codesOf(CATEGORY_OF_ABUSE)).optional(),
  NumberOfPreviousCPP: z.number().int().min(0),
  /** Dates of the plan's review conferences. */
  Reviews: z.array(date),
});
export type ChildProtectionPlan = z.infer<typeof ChildProtectionPlan>;

export const CINdetails = z.object({
  CINreferralDate: date,
  ReferralSource: z.enum(codesOf(REFERRAL_SOURCE)),
  PrimaryNeedCode: z.enum(codesOf(PRIMARY_NEED)).optional(),
  CINclosureDate: date.optional(),
  ReasonForClosure: z.enum(codesOf(REASON_FOR_CLOSURE)).optional(),
  /** An initial conference held without a section 47 enquiry in this episode (never both: 2884). */
  DateOfInitialCPC: date.optional(),
  ReferralNFA: z.boolean(),
  Assessments: z.array(Assessment),
  CINPlanDates: z.array(CINPlanDates),
  Section47: z.array(Section47),
  ChildProtectionPlans: z.array(ChildProtectionPlan),
});
export type CINdetails = z.infer<typeof CINdetails>;

export const Child = z.object({
  ChildIdentifiers,
  ChildCharacteristics,
  CINdetails: z.array(CINdetails).min(1),
});
export type Child = z.infer<typeof Child>;

export const CinCensus = z.object({ Header, Children: z.array(Child) });
export type CinCensus = z.infer<typeof CinCensus>;

/** The census's XML for a return, checked against the model first (throws a ZodError if it does not fit). */
export function cinCensusXml(census: CinCensus): string {
  const { Header: header, Children: children } = CinCensus.parse(census);
  const message = node('Message', [
    node('Header', [
      node('CollectionDetails', [
        leaf('Collection', header.Collection),
        leaf('Year', header.Year),
        leaf('ReferenceDate', header.ReferenceDate),
      ]),
      node('Source', [
        leaf('SourceLevel', header.SourceLevel),
        leaf('LEA', header.LEA),
        leaf('SoftwareCode', header.SoftwareCode),
        leaf('Release', header.Release),
        leaf('SerialNo', header.SerialNo),
        leaf('DateTime', header.DateTime),
      ]),
    ]),
    node('Children', children.map(childNode)),
  ]);
  return `<?xml version="1.0" encoding="utf-8"?>\n${render(message, 0)}`;
}

function childNode(child: Child): XmlNode {
  const ids = child.ChildIdentifiers;
  const traits = child.ChildCharacteristics;
  return node('Child', [
    node('ChildIdentifiers', [
      leaf('LAchildID', ids.LAchildID),
      leaf('UPN', ids.UPN),
      leaf('FormerUPN', ids.FormerUPN),
      leaf('UPNunknown', ids.UPNunknown),
      leaf('PersonBirthDate', ids.PersonBirthDate),
      leaf('ExpectedPersonBirthDate', ids.ExpectedPersonBirthDate),
      leaf('Sex', ids.Sex),
      leaf('PersonDeathDate', ids.PersonDeathDate),
    ]),
    node('ChildCharacteristics', [
      leaf('Ethnicity', traits.Ethnicity),
      traits.Disabilities.length > 0
        ? node(
            'Disabilities',
            traits.Disabilities.map((code) => leaf('Disability', code)),
          )
        : undefined,
    ]),
    ...child.CINdetails.map(cinDetailsNode),
  ]);
}

function cinDetailsNode(episode: CINdetails): XmlNode {
  return node('CINdetails', [
    leaf('CINreferralDate', episode.CINreferralDate),
    leaf('ReferralSource', episode.ReferralSource),
    leaf('PrimaryNeedCode', episode.PrimaryNeedCode),
    leaf('CINclosureDate', episode.CINclosureDate),
    leaf('ReasonForClosure', episode.ReasonForClosure),
    leaf('DateOfInitialCPC', episode.DateOfInitialCPC),
    leaf('ReferralNFA', String(episode.ReferralNFA)),
    ...episode.Assessments.map((a) =>
      node('Assessments', [
        leaf('AssessmentActualStartDate', a.AssessmentActualStartDate),
        leaf('AssessmentInternalReviewDate', a.AssessmentInternalReviewDate),
        leaf('AssessmentAuthorisationDate', a.AssessmentAuthorisationDate),
        a.AssessmentFactors.length > 0
          ? node(
              'FactorsIdentifiedAtAssessment',
              a.AssessmentFactors.map((code) => leaf('AssessmentFactors', code)),
            )
          : undefined,
      ]),
    ),
    ...episode.CINPlanDates.map((p) =>
      node('CINPlanDates', [
        leaf('CINPlanStartDate', p.CINPlanStartDate),
        leaf('CINPlanEndDate', p.CINPlanEndDate),
      ]),
    ),
    ...episode.Section47.map((s) =>
      node('Section47', [
        leaf('S47ActualStartDate', s.S47ActualStartDate),
        leaf('InitialCPCtarget', s.InitialCPCtarget),
        leaf('DateOfInitialCPC', s.DateOfInitialCPC),
        leaf('ICPCnotRequired', s.ICPCnotRequired === undefined ? undefined : String(s.ICPCnotRequired)),
      ]),
    ),
    ...episode.ChildProtectionPlans.map((p) =>
      node('ChildProtectionPlans', [
        leaf('CPPstartDate', p.CPPstartDate),
        leaf('CPPendDate', p.CPPendDate),
        leaf('InitialCategoryOfAbuse', p.InitialCategoryOfAbuse),
        leaf('LatestCategoryOfAbuse', p.LatestCategoryOfAbuse),
        leaf('NumberOfPreviousCPP', String(p.NumberOfPreviousCPP)),
        // One Reviews element per review date: the validator reads each Reviews[CPPreviewDate].
        ...p.Reviews.map((d) => node('Reviews', [leaf('CPPreviewDate', d)])),
      ]),
    ),
  ]);
}

/** An element with either child elements or text; leaves without a value are left out. */
interface XmlNode {
  name: string;
  children?: XmlNode[];
  text?: string;
}

function node(name: string, children: (XmlNode | undefined)[]): XmlNode {
  return { name, children: children.filter((c): c is XmlNode => c !== undefined) };
}

function leaf(name: string, text: string | undefined): XmlNode | undefined {
  return text === undefined ? undefined : { name, text };
}

function render(n: XmlNode, depth: number): string {
  const pad = '  '.repeat(depth);
  if (n.text !== undefined) return `${pad}<${n.name}>${escapeText(n.text)}</${n.name}>\n`;
  const inner = n.children ?? [];
  if (inner.length === 0) return `${pad}<${n.name} />\n`;
  return `${pad}<${n.name}>\n${inner.map((c) => render(c, depth + 1)).join('')}${pad}</${n.name}>\n`;
}

/** Escapes text for an element's content: &, < and > (quotes need no escaping outside attributes). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
