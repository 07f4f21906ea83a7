import ExcelJS from 'exceljs';
import { addDays, addMonths, ageOn, daysBetween, isWorkingDay } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { codeName } from '../machines/plainEnglish';
import {
  ASSESSMENT_FACTOR,
  CATEGORY_OF_ABUSE,
  DISABILITY,
  ETHNICITY,
  PRIMARY_NEED,
  REASON_FOR_CLOSURE,
  REFERRAL_SOURCE,
  SEX,
  labelOf,
  type CodeList,
} from './cin/codes';
import { childrenFor, type CaseEpisode, type CaseForReturn } from './cin/fromCases';
import type { Child } from './cin/xml';

/**
 * Ofsted's Annex A lists for an inspection of children's services, from the same cases and the
 * same episodes as the Children in Need census: contacts, referrals, assessments, section 47
 * enquiries, children in need and child protection, for the months before the inspection date
 * (six by default) and as at that date. Codes are given in words, as people read them.
 */

export interface AnnexAOptions {
  /** The inspection date: lists run up to it, and "open" means open on it. */
  inspectionDate: string;
  /** How many months back the lists of activity reach (Ofsted asks for six). */
  months?: number;
}

export type Cell = string | number | undefined;
export interface Sheet {
  name: string;
  /** What the list holds, in a line. */
  about: string;
  columns: string[];
  rows: Cell[][];
}

export interface AnnexA {
  period: { start: string; end: string };
  sheets: Sheet[];
}

const label = <C extends string>(list: CodeList<C>, code: C | undefined) =>
  code === undefined ? undefined : labelOf(list, code);
const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'Yes' : 'No');

/** The lists, from the front door's cases. */
export function annexA(cases: readonly CaseForReturn[], options: AnnexAOptions): AnnexA {
  const end = options.inspectionDate;
  const start = addDays(addMonths(end, -(options.months ?? 6)), 1);
  const { children, episodes } = childrenFor(cases, { start, end });
  const childOf = new Map(children.map((c) => [c.ChildIdentifiers.LAchildID, c]));
  const inPeriod = (d: string | undefined) => d !== undefined && d >= start && d <= end;
  const person = (e: CaseEpisode): Cell[] => {
    const c = childOf.get(e.child)!;
    const ids = c.ChildIdentifiers;
    const born = ids.PersonBirthDate;
    return [
      e.child,
      label(SEX, ids.Sex),
      label(ETHNICITY, c.ChildCharacteristics.Ethnicity),
      born ?? (ids.ExpectedPersonBirthDate ? `unborn, due ${ids.ExpectedPersonBirthDate}` : undefined),
      born ? ageOn(born, end) : undefined,
      c.ChildCharacteristics.Disabilities.map((d) => labelOf(DISABILITY, d)).join('; ') || undefined,
    ];
  };
  const PERSON = ['Child ID', 'Sex', 'Ethnicity', 'Date of birth', 'Age at inspection date', 'Disability'];

  const referred = episodes.filter((e) => inPeriod(e.details.CINreferralDate));
  const contacts: Sheet = {
    name: 'List 1 Contacts',
    about: `Contacts received from ${start} to ${end}, and the decision on each`,
    columns: [...PERSON, 'Case', 'Contact date', 'Source', 'Decision', 'Decision date'],
    rows: referred.map((e) => [
      ...person(e),
      e.caseId,
      e.details.CINreferralDate,
      label(REFERRAL_SOURCE, e.details.ReferralSource),
      e.decision ? codeName(e.decision.code) : 'Awaiting a decision',
      e.decision?.on,
    ]),
  };
  const referrals: Sheet = {
    name: 'List 3 Referrals',
    about: `Referrals from ${start} to ${end}`,
    columns: [
      ...PERSON,
      'Case',
      'Referral date',
      'Source',
      'No further action',
      'Referred again within 12 months',
      'Primary need',
    ],
    rows: referred.map((e) => [
      ...person(e),
      e.caseId,
      e.details.CINreferralDate,
      label(REFERRAL_SOURCE, e.details.ReferralSource),
      yesNo(e.details.ReferralNFA),
      yesNo(referredBefore(childOf.get(e.child)!, e)),
      label(PRIMARY_NEED, e.details.PrimaryNeedCode),
    ]),
  };
  const assessments: Sheet = {
    name: 'List 4 Assessments',
    about: `Assessments under way or completed from ${start} to ${end}`,
    columns: [
      ...PERSON,
      'Case',
      'Assessment start date',
      'Assessment completed',
      'Working days to complete',
      'Factors identified',
    ],
    rows: episodes.flatMap((e) =>
      e.details.Assessments.map((a) => [
        ...person(e),
        e.caseId,
        a.AssessmentActualStartDate,
        a.AssessmentAuthorisationDate,
        a.AssessmentAuthorisationDate
          ? workingDaysBetween(a.AssessmentActualStartDate, a.AssessmentAuthorisationDate)
          : undefined,
        a.AssessmentFactors.map((f) => labelOf(ASSESSMENT_FACTOR, f)).join('; ') || undefined,
      ]),
    ),
  };
  const enquiries: Sheet = {
    name: 'List 5 Section 47',
    about: `Section 47 enquiries and initial child protection conferences from ${start} to ${end}`,
    columns: [
      ...PERSON,
      'Case',
      'Strategy discussion and enquiry start',
      'Initial conference due',
      'Initial conference held',
      'Conference not needed',
      'Working days to conference',
    ],
    rows: episodes.flatMap((e) =>
      e.details.Section47.map((s) => [
        ...person(e),
        e.caseId,
        s.S47ActualStartDate,
        s.InitialCPCtarget,
        s.DateOfInitialCPC,
        yesNo(s.ICPCnotRequired),
        s.DateOfInitialCPC ? workingDaysBetween(s.S47ActualStartDate, s.DateOfInitialCPC) : undefined,
      ]),
    ),
  };
  const open = episodes.filter((e) => !e.details.ReferralNFA && e.details.CINclosureDate === undefined);
  const childrenInNeed: Sheet = {
    name: 'List 6 Children in need',
    about: `Children open to children's social care on ${end}`,
    columns: [
      ...PERSON,
      'Case',
      'Referral date',
      'Primary need',
      'Child in need plan since',
      'Case open (days)',
    ],
    rows: open.map((e) => [
      ...person(e),
      e.caseId,
      e.details.CINreferralDate,
      label(PRIMARY_NEED, e.details.PrimaryNeedCode),
      e.details.CINPlanDates.find((p) => !p.CINPlanEndDate)?.CINPlanStartDate,
      daysBetween(e.details.CINreferralDate, end),
    ]),
  };
  const protection: Sheet = {
    name: 'List 7 Child protection',
    about: `Child protection plans open on ${end}, or that ended from ${start}`,
    columns: [
      ...PERSON,
      'Case',
      'Plan start date',
      'Plan end date',
      'Initial category of abuse',
      'Latest category of abuse',
      'Previous plans',
      'Last review',
      'Reason for closure',
    ],
    rows: episodes.flatMap((e) =>
      e.details.ChildProtectionPlans.map((p) => [
        ...person(e),
        e.caseId,
        p.CPPstartDate,
        p.CPPendDate,
        label(CATEGORY_OF_ABUSE, p.InitialCategoryOfAbuse),
        label(CATEGORY_OF_ABUSE, p.LatestCategoryOfAbuse),
        p.NumberOfPreviousCPP,
        p.Reviews.at(-1),
        p.CPPendDate ? label(REASON_FOR_CLOSURE, e.details.ReasonForClosure) : undefined,
      ]),
    ),
  };
  return {
    period: { start, end },
    sheets: [contacts, referrals, assessments, enquiries, childrenInNeed, protection],
  };
}

/** Another referral of the same child in the 12 months before this one. */
function referredBefore(child: Child, e: CaseEpisode): boolean {
  const yearBefore = addMonths(e.details.CINreferralDate, -12);
  return child.CINdetails.some(
    (other) => other.CINreferralDate < e.details.CINreferralDate && other.CINreferralDate >= yearBefore,
  );
}

function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, shippedHolidays)) n++;
  return n;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The lists as a spreadsheet: one sheet per list, a header row, dates as dates. */
export async function annexAWorkbook(a: AnnexA): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'reconnect-cases';
  for (const sheet of a.sheets) {
    const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((header) => ({ header, width: Math.max(12, header.length + 2) }));
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) {
      const added = ws.addRow(
        row.map((v) => (typeof v === 'string' && ISO_DATE.test(v) ? dateOf(v) : (v ?? null))),
      );
      added.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'dd/mm/yyyy';
      });
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A local date as the spreadsheet's date (midnight UTC, which it counts in whole days). */
function dateOf(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** A spreadsheet read back: each sheet's name, header, how many rows below it, and the first of them. */
export async function readWorkbook(
  bytes: Buffer,
): Promise<{ name: string; header: string[]; rows: number; first: unknown[] }[]> {
  const book = new ExcelJS.Workbook();
  // exceljs declares its own Buffer (an ArrayBuffer): hand it the bytes as one.
  await book.xlsx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  return book.worksheets.map((ws) => ({
    name: ws.name,
    header: (ws.getRow(1).values as unknown[]).slice(1).map(String),
    first: ws.actualRowCount > 1 ? (ws.getRow(2).values as unknown[]).slice(1) : [],
    rows: ws.actualRowCount - 1,
  }));
}
