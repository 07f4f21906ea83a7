import { annexA, annexAWorkbook, readWorkbook } from './annexA';
import { cinReturn } from './cin/fromCases';
import { generatedYear } from './cin/year';

/**
 * Ofsted's Annex A lists from the same cases as the Children in Need census. LibreOffice is not
 * installed here, so the spreadsheet is read back with the library that wrote it (exceljs): its
 * sheets and their rows, which must count what the census counts for the same children.
 */

const cases = generatedYear({ collectionYear: '2025-26', children: 180, seed: 31 }).flatMap((c) => c.cases);
const census = cinReturn(cases, {
  collectionYear: '2025-26',
  lea: '825',
  madeAt: '2026-04-10T09:00:00',
}).census;
const episodes = census.Children.flatMap((c) => c.CINdetails);

test('one sheet per list, read back from the file: the counts are those of the census for the same children', async () => {
  // An inspection on the census date, looking back over the whole year: the census's own period.
  const lists = annexA(cases, { inspectionDate: '2026-03-31', months: 12 });
  expect(lists.period).toEqual({ start: '2025-04-01', end: '2026-03-31' });
  const sheets = await readWorkbook(await annexAWorkbook(lists));

  const referred = episodes.filter((e) => e.CINreferralDate >= '2025-04-01');
  const rows = Object.fromEntries(sheets.map((s) => [s.name, s.rows]));
  expect(rows).toEqual({
    'List 1 Contacts': referred.length,
    'List 3 Referrals': referred.length,
    'List 4 Assessments': episodes.flatMap((e) => e.Assessments).length,
    'List 5 Section 47': episodes.flatMap((e) => e.Section47).length,
    'List 6 Children in need': episodes.filter((e) => !e.ReferralNFA && !e.CINclosureDate).length,
    'List 7 Child protection': episodes.flatMap((e) => e.ChildProtectionPlans).length,
  });
  for (const count of Object.values(rows)) expect(count).toBeGreaterThan(0);
  expect(sheets[0]!.header.slice(0, 3)).toEqual(['Child ID', 'Sex', 'Ethnicity']);
});

test('the lists are in words, and dates are dates', async () => {
  const lists = annexA(cases, { inspectionDate: '2026-02-10' });
  expect(lists.period).toEqual({ start: '2025-08-11', end: '2026-02-10' });
  const referrals = lists.sheets.find((s) => s.name === 'List 3 Referrals')!;
  const source = referrals.columns.indexOf('Source');
  expect(referrals.rows.every((r) => typeof r[source] === 'string' && !/^\d+[A-F]?$/.test(r[source]))).toBe(
    true,
  );
  // Nothing after the inspection date is listed.
  const date = referrals.columns.indexOf('Referral date');
  expect(referrals.rows.every((r) => (r[date] as string) <= '2026-02-10')).toBe(true);
  const book = await readWorkbook(await annexAWorkbook(lists));
  expect(book.map((s) => s.name)).toEqual(lists.sheets.map((s) => s.name));
  const read = book.find((s) => s.name === 'List 3 Referrals')!;
  expect(read.first[read.header.indexOf('Referral date')]).toBeInstanceOf(Date);
  expect(read.first[read.header.indexOf('Referral date')]).toEqual(
    new Date(`${referrals.rows[0]![date] as string}T00:00:00Z`),
  );
});
