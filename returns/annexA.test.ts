import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annexA, annexAWorkbook, readWorkbook } from './annexA';
import { cinReturn } from './cin/fromCases';
import { generatedYear } from './cin/year';

/**
 * Ofsted's Annex A lists from the same cases as the Children in Need census: the spreadsheet is
 * read back with the library that wrote it (exceljs) and opened in LibreOffice (Debian's, which
 * `npm test`'s setup installs), its sheets' rows counting what the census counts for the same children.
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

test('opens in LibreOffice, which finds the same sheets with the same rows', async () => {
  const lists = annexA(cases, { inspectionDate: '2026-03-31', months: 12 });
  const dir = mkdtempSync(join(tmpdir(), 'annex-a-'));
  try {
    writeFileSync(join(dir, 'annex-a.xlsx'), await annexAWorkbook(lists));
    // Every sheet to CSV (the filter's last option, -1), with a profile of its own.
    await new Promise<void>((resolve, reject) =>
      execFile(
        'soffice',
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
          '--outdir',
          join(dir, 'out'),
          join(dir, 'annex-a.xlsx'),
        ],
        { timeout: 120_000 },
        (err, _out, stderr) =>
          err ? reject(new Error(`LibreOffice could not open it: ${stderr}`)) : resolve(),
      ),
    );
    const opened = Object.fromEntries(
      readdirSync(join(dir, 'out'))
        .sort()
        .map((f) => [
          f.replace(/^annex-a-/, '').replace(/\.csv$/, ''),
          readFileSync(join(dir, 'out', f), 'utf8')
            .trimEnd()
            .split('\n').length - 1,
        ]),
    );
    expect(opened).toEqual(Object.fromEntries(lists.sheets.map((s) => [s.name, s.rows.length])));
    expect(opened['List 3 Referrals']).toBe(episodes.filter((e) => e.CINreferralDate >= '2025-04-01').length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
