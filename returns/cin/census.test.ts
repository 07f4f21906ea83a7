import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_LISTS } from './codes';
import { ROUTES, sampleCensus } from './sample';
import { validateCinFile, type CinValidation } from './validate';
import { cinCensusXml, type CinCensus } from './xml';

/**
 * The census XML for made-up children, checked by the DfE's own rules (csc-validator-be-cin,
 * installed by `setup.sh --test`): no errors for a good return, and the right rule named for a bad one.
 */

const folder = mkdtempSync(join(tmpdir(), 'cin-census-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function validate(name: string, census: CinCensus): Promise<CinValidation> {
  const file = join(folder, `${name}.xml`);
  writeFileSync(file, cinCensusXml(census));
  return validateCinFile(file, 'cin2025_26');
}

const errorsOf = (v: CinValidation) => [...v.issues, ...v.returnLevel].filter((i) => i.type === 'ERROR');
const queriesOf = (v: CinValidation) => [...v.issues, ...v.returnLevel].filter((i) => i.type === 'QUERY');

test('a return of 49 children through every route passes the DfE rules with no errors', async () => {
  const { census, children } = sampleCensus({ collectionYear: '2025-26', children: 49, seed: 2026 });
  expect(new Set(children.map((c) => c.route))).toEqual(new Set(ROUTES));

  const result = await validate('good', census);

  expect(result.rules).toBeGreaterThan(100);
  expect(result.crashed).toEqual([]);
  expect(errorsOf(result)).toEqual([]);
  // Queries ask for a fix or a reason; those a made-up return raises are listed, not failed on.
  const queries = [...new Set(queriesOf(result).map((q) => `${q.rule} ${q.message}`))];
  if (queries.length > 0) console.info(`CIN census queries (not errors):\n${queries.join('\n')}`);
});

test('an initial conference before its section 47 enquiry started is reported as rule 8615', async () => {
  const { census, children } = sampleCensus({ collectionYear: '2025-26', children: 14, seed: 7 });
  const index = children.findIndex((c) => c.route === 'childProtection');
  const episode = census.Children[index]!.CINdetails[0]!;
  const s47 = episode.Section47[0]!;
  // The conference is recorded on the working day before the enquiry began.
  s47.DateOfInitialCPC = previousWeekday(s47.S47ActualStartDate);

  const result = await validate('conference-before-enquiry', census);

  const child = census.Children[index]!.ChildIdentifiers.LAchildID;
  expect(
    errorsOf(result)
      .filter((e) => e.rule === '8615')
      .map((e) => e.child),
  ).toContain(child);
});

test('each code list is named, sourced and for 2025-26, with a label for every code', () => {
  for (const list of CODE_LISTS) {
    expect(list.collectionYear).toBe('2025-26');
    expect(list.source).toMatch(/csc-validator-be-cin 0\.1\.13/);
    const labels: Record<string, string> = list.labels;
    expect(Object.keys(labels).length).toBeGreaterThan(2);
    for (const label of Object.values(labels)) expect(label).toMatch(/^[A-Z]/);
  }
});

test('the writer checks the model first and escapes text', () => {
  const { census } = sampleCensus({ collectionYear: '2025-26', children: 1, seed: 1 });
  const bad = structuredClone(census);
  bad.Children[0]!.ChildCharacteristics.Ethnicity = 'WHITE' as never;
  expect(() => cinCensusXml(bad)).toThrow(/Ethnicity/);
  const xml = cinCensusXml({ ...census, Header: { ...census.Header, SoftwareCode: 'Case & <Care>' } });
  expect(xml).toContain('<SoftwareCode>Case &amp; &lt;Care&gt;</SoftwareCode>');
});

function previousWeekday(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}
