import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DateTime } from 'luxon';
import { ZONE } from '../calendar/calendar';
import { CaseClient } from '../client/cases';
import { loadConfig } from '../config/config';
import { connectClient, keysFor } from '../config/connect';
import { annexA, annexAWorkbook } from '../returns/annexA';
import { cinReturn, type CensusGap } from '../returns/cin/fromCases';
import { cinCensusXml } from '../returns/cin/xml';
import { frontDoorCases } from '../returns/read';
import { openReturn, sealReturn } from '../returns/sealedFile';

// Statutory returns from the front door's cases, read through the service's own client (the
// service's settings: TEMPORAL_ADDRESS, or the embedded server's port, and the key ring):
//   npm run returns -- cin --year 2025-26                  the Children in Need census XML, sealed
//                                                          with the key ring in the data folder
//   npm run returns -- cin --year 2025-26 --plain-out f    the same, written as plain XML to f
//   npm run returns -- annex-a --date 2026-03-02           Ofsted's Annex A lists as a spreadsheet
//                                                          (.xlsx, one sheet per list), sealed likewise
//   npm run returns -- open <sealed file> --plain-out f    a sealed return written out plain
// A return holds children's personal data: it is written sealed unless a plain file is asked for.

const program = new Command('returns').description('Statutory returns from the cases').showHelpAfterError();

const LEA = new Option('--lea <code>', "the local authority's three-digit code (default: LA_CODE, or 825)");

async function readCases() {
  const config = loadConfig();
  const keys = keysFor(config);
  const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
  const temporal = await connectClient(config, keys, address);
  try {
    const client = new CaseClient(temporal, {
      taskQueue: config.TASK_QUEUE,
      keys,
      team: config.DEFAULT_TEAM,
    });
    const read = await frontDoorCases(client);
    return { ...read, config, keys };
  } finally {
    await temporal.connection.close();
  }
}

/** Writes a return sealed (the default) or plain, and says where. */
function write(
  bytes: Buffer,
  name: string,
  to: { out?: string; plainOut?: string },
  ctx: Awaited<ReturnType<typeof readCases>>,
) {
  if (to.plainOut) {
    const file = resolve(to.plainOut);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes, { mode: 0o600 });
    console.log(`written, not sealed, as asked: ${file}`);
    return;
  }
  const file = resolve(to.out ?? join(ctx.config.dataDir, 'returns', `${name}.sealed`));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sealReturn(ctx.keys, bytes, name), { mode: 0o600 });
  console.log(`written sealed with key ${ctx.keys.current}: ${file}`);
}

function describeGaps(gaps: CensusGap[]): string[] {
  const byField = new Map<string, number>();
  for (const g of gaps) byField.set(g.field, (byField.get(g.field) ?? 0) + 1);
  return [...byField].map(([field, n]) => `  ${field}: ${n}`);
}

program
  .command('cin')
  .description('the Children in Need census for a collection year (1 April to 31 March)')
  .requiredOption('--year <year>', 'the collection year, such as 2025-26')
  .addOption(LEA)
  .option('--out <file>', 'where to write the sealed XML (default: <DATA_DIR>/returns/cin-<year>.xml.sealed)')
  .option('--plain-out <file>', 'write the XML unsealed to this file instead')
  .option('--list-gaps', 'list each missing field by child and case')
  .action(async (o: { year: string; lea?: string; out?: string; plainOut?: string; listGaps?: boolean }) => {
    if (o.lea !== undefined && !/^\d{3}$/.test(o.lea)) throw new Error('--lea is three digits, such as 825');
    const started = performance.now();
    const ctx = await readCases();
    // The header's time is local (Europe/London), as the census's DateTime is read.
    const madeAt = DateTime.now().setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm:ss");
    const r = cinReturn(ctx.cases, { collectionYear: o.year, lea: o.lea ?? ctx.config.LA_CODE, madeAt });
    const xml = cinCensusXml(r.census);
    write(Buffer.from(xml), `cin-${o.year}.xml`, o, ctx);
    console.log(
      `CIN census ${o.year}: ${r.census.Children.length} children, ${r.episodes.length} episodes, ` +
        `from ${ctx.cases.length} front door cases in ${Math.round(performance.now() - started)} ms`,
    );
    if (ctx.unreadable.length > 0) {
      console.error(`${ctx.unreadable.length} cases could not be read and are not in the return:`);
      for (const id of ctx.unreadable) console.error(`  ${id}`);
      process.exitCode = 1;
    }
    if (r.gaps.length > 0) {
      console.log(`${r.gaps.length} fields the census asks for are not recorded (older cases):`);
      for (const line of describeGaps(r.gaps)) console.log(line);
      if (o.listGaps)
        for (const g of r.gaps) console.log(`  ${g.child} ${g.caseId ?? ''} ${g.field}: ${g.why}`);
    }
  });

program
  .command('annex-a')
  .description(
    "Ofsted's Annex A lists (contacts, referrals, assessments, section 47, children in need, child protection)",
  )
  .requiredOption('--date <date>', 'the inspection date, such as 2026-03-02')
  .option('--months <n>', 'how many months of activity before it', '6')
  .option(
    '--out <file>',
    'where to write the sealed spreadsheet (default: <DATA_DIR>/returns/annex-a-<date>.xlsx.sealed)',
  )
  .option('--plain-out <file>', 'write the spreadsheet unsealed to this file instead')
  .action(async (o: { date: string; months: string; out?: string; plainOut?: string }) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw new Error('--date is a date such as 2026-03-02');
    const months = Number(o.months);
    if (!Number.isInteger(months) || months < 1 || months > 24) throw new Error('--months is 1 to 24');
    const started = performance.now();
    const ctx = await readCases();
    const lists = annexA(ctx.cases, { inspectionDate: o.date, months });
    write(await annexAWorkbook(lists), `annex-a-${o.date}.xlsx`, o, ctx);
    console.log(
      `Annex A for ${o.date} (${lists.period.start} to ${lists.period.end}) in ${Math.round(performance.now() - started)} ms:`,
    );
    for (const s of lists.sheets) console.log(`  ${s.name}: ${s.rows.length}`);
    if (ctx.unreadable.length > 0) {
      console.error(`${ctx.unreadable.length} cases could not be read and are not in the lists`);
      process.exitCode = 1;
    }
  });

program
  .command('open')
  .description('writes a sealed return out plain (for DfE COLLECT or an inspection), with the key ring')
  .argument('<file>', 'a sealed return, such as data/returns/cin-2025-26.xml.sealed')
  .requiredOption('--plain-out <file>', 'where to write it plain')
  .action((file: string, o: { plainOut: string }) => {
    const sealed = readFileSync(resolve(file));
    const header = sealed.subarray(0, Math.max(0, sealed.indexOf(0x0a)));
    let name: unknown;
    try {
      name = (JSON.parse(header.toString('utf8')) as { name?: unknown }).name;
    } catch {
      name = undefined;
    }
    if (typeof name !== 'string') throw new Error(`${file} is not a sealed return`);
    const plain = openReturn(keysFor(loadConfig()), sealed, name);
    const out = resolve(o.plainOut);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, plain, { mode: 0o600 });
    console.log(`opened ${name}: ${out}`);
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
