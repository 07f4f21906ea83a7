import { toolPaths } from '../tools/paths';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { Client } from 'pg';
import { LocalPostgres } from '../cluster/postgres';
import { ReferrerRole, SocialCareStatus } from '../machines/parentInfant/referral';
import type { CaseFacts } from '../reports/facts';
import { assembleReport, type ReportOptions } from '../reports/report';
import { loadOrCreateKeyFile, type KeyRing } from '../security/keys';
import type { AccessEntry } from '../store/accessLog';
import type { PersonDetails } from '../store/people';
import { openRecords, type Records } from '../store/records';
import { freePortBlock } from '../test/support/cluster';
import { seededRandom } from '../tools/seededRandom';
import { percentiles } from './servers';

// The record store on a PostgreSQL 15 server like the cluster's, started and stopped here: the
// reports page over closed cases' facts, one case's access history among the access log's rows
// and a person-index lookup, each against the same query over a hundredth of the rows.

const POSTGRES_BIN = toolPaths().postgresBin;

export interface StoreSettings {
  /** Closed cases' facts behind the reports page. */
  facts: number;
  /** Rows in the access log. */
  accessRows: number;
  /** Cases in the person index (two people each). */
  people: number;
  /** Timed lookups of one case's access history, and of each kind of person lookup. */
  samples: number;
  /** Timed views of the reports page. */
  reportViews: number;
}

/** Sizes, from the environment: the defaults are the issue's. */
export function storeSettings(): StoreSettings {
  const n = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return {
    facts: n('BENCH_STORE_FACTS', 100_000),
    accessRows: n('BENCH_STORE_ACCESS_ROWS', 1_000_000),
    people: n('BENCH_STORE_PEOPLE', 100_000),
    samples: n('BENCH_STORE_SAMPLES', 200),
    reportViews: n('BENCH_STORE_REPORT_VIEWS', 30),
  };
}

/** Latency in milliseconds, with the p95 the targets are set on. */
export type StoreLatency = ReturnType<typeof percentiles> & { p95: number };

export interface StoreFigure {
  figure: string;
  size: number;
  unit: string;
  latency: StoreLatency;
  baselineSize: number;
  baseline: StoreLatency;
  /** p95 target in milliseconds. */
  targetMs: number;
  /** Rows loaded per second, for the record. */
  loadedPerSecond: number;
  /** What a call returned, on average (cases counted, rows, matches), and what it counts. */
  rowsPerLookup: number;
  returns: string;
}

/** The baseline is the same query over a hundredth of the rows. */
const BASELINE_SHARE = 100;

const latencyOf = (ms: number[]): StoreLatency => {
  const s = [...ms].sort((a, b) => a - b);
  return { ...percentiles(ms), p95: s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]! };
};

/**
 * Times `candidate` and `baseline` alternately `n` times after a few untimed calls each (a page
 * viewed again, as in service), so both see the same moments of a shared machine.
 */
async function timed(
  n: number,
  candidate: (i: number) => Promise<number>,
  baseline: (i: number) => Promise<number>,
): Promise<{ latency: StoreLatency; baseline: StoreLatency; rowsPerLookup: number }> {
  for (let i = 0; i < 3; i++) await Promise.all([candidate(i), baseline(i)]);
  const a: number[] = [];
  const b: number[] = [];
  let rows = 0;
  const time = async (fn: (i: number) => Promise<number>, i: number, into: number[]) => {
    const t = performance.now();
    const r = await fn(i);
    into.push(performance.now() - t);
    return r;
  };
  for (let i = 0; i < n; i++) {
    rows += await time(candidate, i, a);
    await time(baseline, i, b);
  }
  return { latency: latencyOf(a), baseline: latencyOf(b), rowsPerLookup: rows / n };
}

/** A throwaway PostgreSQL 15 server, and a database of its own for each store. */
async function startServer(tmp: string) {
  const dir = join(tmp, 'cluster');
  mkdirSync(dir, { recursive: true });
  const port = await freePortBlock(1);
  const server = new LocalPostgres({ bin: POSTGRES_BIN, dir, port, logDir: tmp });
  await server.start();
  const admin = `postgres://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${port}`;
  return {
    server,
    async database(name: string): Promise<string> {
      const client = new Client({ connectionString: `${admin}/postgres` });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
        // Loading only: a commit need not wait for the disk. Reads are unaffected.
        await client.query(`alter database ${name} set synchronous_commit = off`);
      } finally {
        await client.end();
      }
      return `${admin}/${name}`;
    },
  };
}

/** Statistics and visibility as autovacuum would leave them on a store in service. */
async function settle(r: Records, tables: readonly string[]): Promise<void> {
  for (const t of tables) await sql`vacuum analyze ${sql.table(t)}`.execute(r.db);
}

const TEAMS = ['north', 'south', 'east', 'west', 'central'];
const WORKERS = Array.from({ length: 40 }, (_, i) => `cw-${i + 1}`);
const CLOSURES = [
  'completed',
  'socialCareNoLongerInvolved',
  'careProceedingsStarted',
  'withdrewConsent',
  'disengaged',
  'movedOutOfArea',
  'other',
] as const;
const DAY = 86_400_000;

/**
 * Closed parent–infant cases received over three years up to the end of March 2026, each with
 * its screening decision (most in time), its screening clock and its closure.
 */
function closedCase(i: number, random: () => number): CaseFacts {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const received = Date.UTC(2023, 3, 1) + Math.floor(random() * 3 * 365 * DAY);
  const iso = (ms: number) => new Date(ms).toISOString();
  const due = received + DAY;
  const decidedAt = received + Math.floor(random() * (random() < 0.85 ? 1 : 3) * DAY);
  const accepted = random() < 0.7;
  const closedAt = decidedAt + (accepted ? 30 + Math.floor(random() * 300) : 0) * DAY + 3_600_000;
  return {
    caseId: `pi-${i}`,
    pathway: 'parentInfant',
    team: pick(TEAMS),
    seq: 10 + Math.floor(random() * 80),
    receivedAt: iso(received),
    source: pick(ReferrerRole.options),
    fromConsultation: random() < 0.1,
    state: 'closed',
    open: false,
    namedWorker: pick(WORKERS),
    firstDecision: { at: iso(decidedAt), outcome: accepted ? 'accepted' : 'declined' },
    clocks: [{ name: 'screeningDue', due: iso(due), metAt: iso(decidedAt) }],
    closure: { at: iso(closedAt), reason: accepted ? pick(CLOSURES) : 'declinedAtScreening' },
    outcome: { socialCareAtClosure: pick([...SocialCareStatus.options, 'none']) },
  };
}

/** `count` facts, in multi-row inserts of a thousand. */
async function loadFacts(r: Records, count: number): Promise<number> {
  const random = seededRandom(count);
  const t = performance.now();
  for (let start = 0; start < count; start += 1000) {
    const facts = Array.from({ length: Math.min(1000, count - start) }, (_, k) =>
      closedCase(start + k, random),
    );
    await r.facts.putMany(facts);
  }
  await settle(r, ['case_facts', 'case_clock']);
  return (count * 1000) / (performance.now() - t);
}

/** Reads spread over a year, about twenty per case, by forty members of staff. */
const READS_PER_CASE = 20;
const WHAT: AccessEntry['what'][] = ['details', 'timeline', 'details', 'outbox', 'codec-decode'];

/** `count` rows through the log's own writer (`appendIn`, chained), ten thousand a transaction. */
async function loadAccessLog(r: Records, count: number): Promise<number> {
  const random = seededRandom(count + 1);
  const cases = Math.max(1, Math.round(count / READS_PER_CASE));
  const from = Date.UTC(2025, 11, 1);
  const t = performance.now();
  for (let start = 0; start < count; start += 10_000) {
    const entries = Array.from({ length: Math.min(10_000, count - start) }, (_, k) => ({
      who: { id: WORKERS[Math.floor(random() * WORKERS.length)]!, roles: ['caseworker'] },
      caseId: `case-${Math.floor(random() * cases)}`,
      what: WHAT[Math.floor(random() * WHAT.length)]!,
      why: 'case work',
      at: new Date(from + Math.floor(((start + k) * 365 * DAY) / count)),
    }));
    await r.db.transaction().execute((trx) => r.accessLog.appendIn(trx, entries));
  }
  await settle(r, ['access_log']);
  return (count * 1000) / (performance.now() - t);
}

const FIRST = ['Amira', 'Bethany', 'Chloe', 'Danielle', 'Emma', 'Fatima', 'Grace', 'Hannah', 'Jade', 'Kelly'];
const BABY = ['Alfie', 'Ava', 'Freddie', 'Isla', 'Leo', 'Mia', 'Noah', 'Olivia', 'Oscar', 'Rosie'];
const STEMS = ['Ash', 'Brad', 'Carl', 'Dun', 'Ell', 'Fair', 'Gold', 'Hart', 'Kings', 'Lang'];
const ENDS = ['bury', 'by', 'combe', 'field', 'ford', 'ham', 'ley', 'ton', 'well', 'wood'];
/** Four hundred family names (letters only: the index compares letters). */
const FAMILY = ['', 'e', 'ing', 'er'].flatMap((mid) =>
  STEMS.flatMap((s) => ENDS.map((e) => `${s}${mid}${e}`)),
);

/** A parent and a baby per case, with NHS numbers, names and dates of birth. */
function peopleOf(i: number, random: () => number): PersonDetails[] {
  const family = FAMILY[Math.floor(random() * FAMILY.length)]!;
  const date = (from: number, days: number) =>
    new Date(Date.UTC(from, 0, 1) + Math.floor(random() * days) * DAY).toISOString().slice(0, 10);
  return [
    {
      role: 'parent',
      name: `${FIRST[Math.floor(random() * FIRST.length)]!} ${family}`,
      dateOfBirth: date(1980, 25 * 365),
      nhsNumber: String(4_000_000_000 + 2 * i),
    },
    {
      role: 'baby',
      name: `${BABY[Math.floor(random() * BABY.length)]!} ${family}`,
      dateOfBirth: date(2024, 2 * 365),
      nhsNumber: String(4_000_000_001 + 2 * i),
    },
  ];
}

/** `count` cases' people through the index's own writer, eight cases at a time. */
async function loadPeople(
  r: Records,
  count: number,
): Promise<{ perSecond: number; people: PersonDetails[][] }> {
  const random = seededRandom(count + 2);
  const people = Array.from({ length: count }, (_, i) => peopleOf(i, random));
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < count; i = next++) await r.people.index(`case-${i}`, people[i]!);
    }),
  );
  await settle(r, ['person', 'person_key']);
  return { perSecond: (count * 1000) / (performance.now() - t), people };
}

/** The reports page, its access history and person lookups, each at its size and at a hundredth. */
export async function measureStore(o: StoreSettings): Promise<StoreFigure[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'reconnect-bench-store-'));
  const keys: KeyRing = loadOrCreateKeyFile(join(tmp, 'keys.json'));
  const pg = await startServer(tmp);
  const open: Records[] = [];
  const store = async (name: string) => {
    const r = await openRecords({ kind: 'postgres', url: await pg.database(name) }, keys);
    open.push(r);
    return r;
  };
  const base = (n: number) => Math.max(1, Math.round(n / BASELINE_SHARE));
  try {
    const figures: StoreFigure[] = [];
    const [big, small] = [await store('bench_full'), await store('bench_baseline')];

    // 1. The reports page over a year of closed cases.
    console.log(`record store: ${o.facts} closed cases' facts…`);
    const factsRate = await loadFacts(big, o.facts);
    await loadFacts(small, base(o.facts));
    const period: ReportOptions = {
      pathway: 'parentInfant',
      from: '2025-04-01',
      to: '2026-03-31',
      now: '2026-12-01T12:00:00.000Z',
    };
    const page = (r: Records) => async () => assembleReport(await r.facts.tallies(period), period).cases;
    figures.push({
      figure: 'reports page, one year (tallies + assembleReport)',
      unit: "closed cases' facts",
      size: o.facts,
      baselineSize: base(o.facts),
      targetMs: 500,
      loadedPerSecond: factsRate,
      returns: 'cases counted',
      ...(await timed(o.reportViews, page(big), page(small))),
    });

    // 2. One case's access history.
    console.log(`record store: ${o.accessRows} access-log rows…`);
    const accessRate = await loadAccessLog(big, o.accessRows);
    await loadAccessLog(small, base(o.accessRows));
    const pickCase = (rows: number) => {
      const random = seededRandom(rows + 3);
      const cases = Math.max(1, Math.round(rows / READS_PER_CASE));
      return () => `case-${Math.floor(random() * cases)}`;
    };
    const [bigCase, smallCase] = [pickCase(o.accessRows), pickCase(base(o.accessRows))];
    figures.push({
      figure: "one case's access history (accessLog.find)",
      unit: 'access-log rows',
      size: o.accessRows,
      baselineSize: base(o.accessRows),
      targetMs: 50,
      loadedPerSecond: accessRate,
      returns: 'rows',
      ...(await timed(
        o.samples,
        async () => (await big.accessLog.find({ caseId: bigCase() })).length,
        async () => (await small.accessLog.find({ caseId: smallCase() })).length,
      )),
    });

    // 3. "Is this person known to us?"
    console.log(`record store: ${o.people} cases in the person index…`);
    const bigPeople = await loadPeople(big, o.people);
    const smallPeople = await loadPeople(small, base(o.people));
    const someone = (all: PersonDetails[][]) => {
      const random = seededRandom(all.length + 4);
      return () => all[Math.floor(random() * all.length)]![random() < 0.5 ? 0 : 1]!;
    };
    for (const [figure, ask] of [
      ['person lookup by NHS number (people.find)', (p: PersonDetails) => ({ nhsNumber: p.nhsNumber! })],
      [
        'person lookup by name and date of birth',
        (p: PersonDetails) => ({ name: p.name!, dateOfBirth: p.dateOfBirth! }),
      ],
    ] as const) {
      const [inBig, inSmall] = [someone(bigPeople.people), someone(smallPeople.people)];
      figures.push({
        figure,
        unit: 'cases indexed',
        size: o.people,
        baselineSize: base(o.people),
        targetMs: 20,
        loadedPerSecond: bigPeople.perSecond,
        returns: 'matches',
        ...(await timed(
          o.samples,
          async () => (await big.people.find(ask(inBig()))).length,
          async () => (await small.people.find(ask(inSmall()))).length,
        )),
      });
    }
    return figures;
  } finally {
    for (const r of open) await r.db.destroy();
    await pg.server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** One row per figure: sizes, p50 and p95 beside the baseline's, the ratio and the target. */
export function storeTable(figures: readonly StoreFigure[]): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const count = (v: number) => v.toLocaleString('en-GB');
  const rows = [
    '| record store (PostgreSQL 15) | size | p50 / p95 | baseline size | baseline p50 / p95 | ratio (p95) | target p95 | loading, samples |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of figures)
    rows.push(
      `| ${[
        f.figure,
        `${count(f.size)} ${f.unit}`,
        `${ms(f.latency.p50)} / ${ms(f.latency.p95)}`,
        count(f.baselineSize),
        `${ms(f.baseline.p50)} / ${ms(f.baseline.p95)}`,
        `${(f.latency.p95 / f.baseline.p95).toFixed(2)}×`,
        `< ${f.targetMs} ms: ${f.latency.p95 < f.targetMs ? 'met' : 'NOT met'}`,
        `${count(Math.round(f.loadedPerSecond))}/s; n=${f.latency.n}, ${f.rowsPerLookup.toFixed(1)} ${f.returns} a call`,
      ].join(' | ')} |`,
    );
  return rows.join('\n');
}
