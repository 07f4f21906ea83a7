import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cinReturn } from './fromCases';
import { validateCinFile, type CinIssue, type CinValidation } from './validate';
import { cinCensusXml } from './xml';
import { generatedYear, YEAR_ROUTES, type GeneratedChild } from './year';

/**
 * A made-up year at the front door, driven through the front door's machine event by event,
 * exported as the census from the cases, and checked by the DfE's own rules (csc-validator-be-cin,
 * installed by `setup.sh --test`). Pure: the year's dates are fixed, and no clock is read.
 */

const CHILDREN = 360;
/** The queries this year raises, and why each is expected (README: "Statutory returns"). */
const EXPECTED_QUERIES: Record<string, string> = {
  '2991Q':
    "an enquiry begun before 1 April whose assessment was signed off before it: the assessment was in last year's return",
};

const folder = mkdtempSync(join(tmpdir(), 'cin-year-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let year: GeneratedChild[];
let result: CinValidation;
let xml: string;
let timings: { generate: number; export: number; validate: number };

beforeAll(async () => {
  let t = performance.now();
  year = generatedYear({ collectionYear: '2025-26', children: CHILDREN, seed: 2026 });
  const generate = performance.now() - t;
  t = performance.now();
  const r = cinReturn(
    year.flatMap((c) => c.cases),
    { collectionYear: '2025-26', lea: '825', madeAt: '2026-04-10T09:00:00' },
  );
  xml = cinCensusXml(r.census);
  const exported = performance.now() - t;
  expect(r.gaps).toEqual([]);
  const file = join(folder, 'year.xml');
  writeFileSync(file, xml);
  t = performance.now();
  result = await validateCinFile(file, 'cin2025_26');
  timings = { generate, export: exported, validate: performance.now() - t };
  console.info(
    `CIN census 2025-26, a generated year: ${r.census.Children.length} children, ${r.episodes.length} episodes; ` +
      `${result.rules} rules (${result.errorRules} errors, ${result.queryRules} queries); generated in ` +
      `${Math.round(timings.generate)} ms, exported in ${Math.round(timings.export)} ms, validated in ` +
      `${Math.round(timings.validate)} ms`,
  );
});

const all = (v: CinValidation): CinIssue[] => [...v.issues, ...v.returnLevel];

test('several hundred children take every route through the front door, each case moved by its events', () => {
  expect(year.length).toBe(CHILDREN);
  expect(new Set(year.map((c) => c.route))).toEqual(new Set(YEAR_ROUTES));
  const events = year.flatMap((c) => c.cases).flatMap((c) => c.timeline);
  expect(events.length).toBeGreaterThan(CHILDREN * 4);
  // Re-referrals are second cases for the same child within 12 months.
  const again = year.filter((c) => c.route === 'reReferral');
  expect(again.every((c) => c.cases.length === 2)).toBe(true);
});

test("the year's census passes the DfE's rules for 2025-26 with no errors", () => {
  expect(result.rules).toBeGreaterThan(100);
  expect(result.crashed).toEqual([]);
  expect(all(result).filter((i) => i.type === 'ERROR')).toEqual([]);
});

test('the only queries are those expected, each with its reason', () => {
  const queries = [
    ...new Set(
      all(result)
        .filter((i) => i.type === 'QUERY')
        .map((i) => i.rule),
    ),
  ].sort();
  expect(queries.filter((q) => !(q in EXPECTED_QUERIES))).toEqual([]);
});

test('every route is in the return: unborn children, turning 18, proceedings, episodes begun before the year', () => {
  expect(xml).toContain('<ExpectedPersonBirthDate>');
  expect(xml).toContain('<ReasonForClosure>RC6</ReasonForClosure>'); // to adult social care at 18
  expect(xml).toContain('<ReasonForClosure>RC5</ReasonForClosure>'); // moved to another authority
  expect(xml).toContain('<ReasonForClosure>RC8</ReasonForClosure>'); // closed after assessment
  expect(xml).toContain('<ICPCnotRequired>true</ICPCnotRequired>');
  expect(xml).toContain('<ReferralNFA>true</ReferralNFA>');
  expect(xml).toMatch(/<CINreferralDate>2025-0[1-3]-/);
  expect(xml).toMatch(/<NumberOfPreviousCPP>0<\/NumberOfPreviousCPP>/);
});

test('an initial conference moved before the strategy discussion that began its enquiry is reported as rule 8615', async () => {
  const moved = xml.replace(
    /<S47ActualStartDate>(\d{4}-\d{2}-\d{2})<\/S47ActualStartDate>(\s*)<InitialCPCtarget>(\d{4}-\d{2}-\d{2})<\/InitialCPCtarget>(\s*)<DateOfInitialCPC>\d{4}-\d{2}-\d{2}<\/DateOfInitialCPC>/,
    (_, start: string, a: string, target: string, b: string) =>
      `<S47ActualStartDate>${start}</S47ActualStartDate>${a}<InitialCPCtarget>${target}</InitialCPCtarget>${b}<DateOfInitialCPC>${dayBefore(start)}</DateOfInitialCPC>`,
  );
  expect(moved).not.toBe(xml);
  const file = join(folder, 'moved.xml');
  writeFileSync(file, moved);
  const v = await validateCinFile(file, 'cin2025_26');
  expect(
    all(v)
      .filter((i) => i.type === 'ERROR')
      .map((i) => i.rule),
  ).toContain('8615');
});

function dayBefore(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
