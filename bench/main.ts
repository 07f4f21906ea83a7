import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { initialTransition, transition } from 'xstate';
import { shippedHolidays } from '../calendar/holidays';
import { parentInfant } from '../machines/parentInfant';
import { EncryptionCodec } from '../security/codec';
import { caseworker, parentInfantReferral } from '../test/support/referrals';
import { CaseRecord } from '../workflows/caseRecord';
import { loadOrCreateKeyFile } from '../security/keys';
import { clusterOnFreePorts } from '../test/support/cluster';
import { staffToken } from '../test/support/auth';
import { freePort, serviceEnv, startService } from '../test/support/service';
import { Client, Connection } from '@temporalio/client';
import { caseDataConverter } from '../security/dataConverter';
import type { KeyRing } from '../security/keys';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../config/config';
import { capacityTable, projectCapacity } from './capacity';
import { caseloadTable, measureCaseload } from './caseload';
import { drawLoadChart } from './chart';
import { measureLifecycle, type LifecycleFigures } from './lifecycle';
import { sustained } from './load';
import { measureMemory, type MemoryFigures } from './memory';
import { measureSearch, type SearchFigures } from './search';
import { measure, report } from './measure';
import { measureServer, type ServerFigures } from './servers';
import { measureStore, storeSettings, storeTable } from './store';

// Benchmarks: each line compares the project's path with a baseline measured in this run.
// Ratios, not absolute times, are what to watch: `npm run bench`.

async function main(): Promise<void> {
  // `BENCH_ONLY=store`: the record store's figures alone.
  if (process.env.BENCH_ONLY === 'store') {
    console.log(`\n${storeTable(await measureStore(storeSettings()))}`);
    return;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // `BENCH_ONLY=caseload`: the team caseload page, as a supervisor of the team and as an administrator.
  if (process.env.BENCH_ONLY === 'caseload') {
    const n = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
    console.log('dev server: the team caseload page…');
    const figures = await measureCaseload({
      openCases: n('BENCH_CASELOAD_CASES', 500),
      samples: n('BENCH_CASELOAD_SAMPLES', 30),
    });
    console.log(`\n${caseloadTable(figures)}`);
    if (!figures.supervisor.namesShown)
      console.log("\nThe supervisor's page showed no person's name: the names are not on the page yet.");
    if (figures.admin.namesShown) throw new Error("the administrator's caseload page shows people's names");
    return;
  }
  const lines: string[] = [];
  const referral = parentInfant.referral.parse(parentInfantReferral());
  const input = parentInfant.input({ caseId: 'bench', referral, calendar: shippedHolidays, team: 't' });
  const [start] = initialTransition(parentInfant.machine, input);
  const engaged = [
    { type: 'ACCEPT_FOR_ASSESSMENT' },
    { type: 'ASSESSMENT_COMPLETED', suitable: true },
  ].reduce(
    (s, e) =>
      transition(parentInfant.machine, s, {
        ...e,
        eventId: e.type,
        at: '2026-12-01T10:00:00Z',
        actor: caseworker,
      })[0],
    start,
  );
  let i = 0;
  const contact = () => ({
    type: 'RECORD_CONTACT',
    kind: 'groupSession',
    attended: true,
    occurredAt: '2026-12-02T10:00:00Z',
    eventId: `c${i++}`,
    at: '2026-12-02T10:00:00Z',
    actor: caseworker,
  });

  // 1. Validation and audit on top of the bare machine step.
  const bare = await measure('xstate transition', () =>
    transition(parentInfant.machine, engaged, contact() as never),
  );
  const checked = await measure('check + apply + timeline', () => {
    const record = CaseRecord.fromSnapshot('parentInfant', 'bench', engaged);
    record.apply(record.check(contact()));
  });
  lines.push(report('validated action vs bare machine step', bare, checked));

  // 2. Deadlines derived from the snapshot, against reading the state name.
  const snapshot = engaged;
  const name = await measure('state name', () => JSON.stringify(snapshot.value));
  const deadlines = await measure('deadlines()', () => parentInfant.deadlines(snapshot));
  lines.push(report('deadlines as data vs reading the state', name, deadlines));

  // 3. Encryption on top of payload conversion.
  const codec = new EncryptionCodec({
    current: 'b',
    keys: new Map([['b', randomBytes(32)]]),
    linkKey: randomBytes(32),
  });
  const plain = await measure('to payload', () => defaultPayloadConverter.toPayload(referral));
  const sealed = await measure('to payload + AES-GCM', () =>
    codec.encode([defaultPayloadConverter.toPayload(referral)]),
  );
  lines.push(report('encrypted payload vs plain payload', plain, sealed));

  // 4. On real servers: a case action against Temporal's own cost (a bare update), on the dev
  // server (SQLite, as `npm start` runs it) and on the cluster (PostgreSQL, separate services,
  // worker processes), each with the API in front.
  const settings = benchSettings();
  const figures: (ServerFigures & { memory: MemoryFigures; search: SearchFigures })[] = [];
  for (const target of [devTarget, clusterTarget]) {
    const t = await target();
    try {
      console.log(`${t.name}: round trips, load, memory, search…`);
      const server = await measureServer({ ...t, ...settings.server });
      const connection = await Connection.connect({ address: t.address });
      try {
        const sealed = new Client({
          connection,
          namespace: t.namespace,
          dataConverter: caseDataConverter(t.keys),
        });
        const plain = new Client({ connection, namespace: t.namespace });
        const memory = await measureMemory({ ...t, client: sealed, cached: settings.cached });
        const search = await measureSearch({ ...t, sealed, plain, ...settings.search });
        figures.push({ ...server, memory, search });
      } finally {
        await connection.close();
      }
    } finally {
      await t.stop();
    }
  }
  console.log('time-skipping server: a year-long lifecycle, and replay…');
  const lifecycle = await measureLifecycle();
  const store = await measureStore(storeSettings());
  console.log('dev server: the team caseload page…');
  const caseload = await measureCaseload({ openCases: 500, samples: 30 });

  console.log(lines.join('\n'));
  const table = serverTable(figures, lifecycle);
  console.log(`\n${table}`);
  const records = storeTable(store);
  console.log(`\n${records}`);
  // The team caseload with names, beside the same page without them.
  console.log(`\n${caseloadTable(caseload)}`);
  if (caseload.admin.namesShown) throw new Error("the administrator's caseload page shows people's names");

  // 5. A national service's week, simulated against the cluster's figures.
  const basis = figures.find((f) => f.server.startsWith('cluster')) ?? figures[0]!;
  const capacity = projectCapacity({
    sustainedPerWorker: sustained(basis.load, 'case'),
    replayMs: lifecycle.replay.ms,
    cachedPerWorker: DEFAULT_MAX_CACHED_WORKFLOWS,
    historyBytesPerAction: basis.historyBytesPerAction,
    memoryKiBPerCachedCase: basis.memory.caseKiB,
  });
  const projection = capacityTable(capacity);
  console.log(`\n${projection}`);
  const out = join('data', 'bench');
  mkdirSync(out, { recursive: true });
  await drawLoadChart(
    figures.map((f) => ({ server: f.server, steps: f.load })),
    join(out, 'load.png'),
  );
  writeFileSync(
    join(out, 'results.json'),
    JSON.stringify({ at: new Date().toISOString(), settings, figures, lifecycle, store, capacity }, null, 2),
  );
  writeFileSync(join(out, 'results.md'), `${table}\n\n${records}\n\n${projection}\n`);
  console.log(
    `\nWritten: ${join(out, 'results.json')}, ${join(out, 'results.md')}, ${join(out, 'load.png')}`,
  );
}

/** Sizes, from the environment: the defaults fit the whole bench in about a quarter of an hour here. */
function benchSettings() {
  const n = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const rates = (process.env.BENCH_RATES ?? '5,10,20,40,80').split(',').map(Number);
  return {
    server: {
      rounds: n('BENCH_ROUNDS', 8),
      perRound: n('BENCH_PER_ROUND', 25),
      load: { rates, seconds: n('BENCH_LOAD_SECONDS', 6), workflows: n('BENCH_LOAD_CASES', 40) },
    },
    cached: n('BENCH_CACHED_CASES', 400),
    search: {
      openCases: n('BENCH_OPEN_CASES', 10_000),
      realCases: n('BENCH_REAL_CASES', 500),
      samples: n('BENCH_SEARCH_SAMPLES', 10),
    },
  };
}

/** The bench is one caller sending hundreds of actions a minute: above the API's per-caller limit. */
const BENCH_ENV = { LOG_LEVEL: 'warn', RATE_LIMIT_WRITES_PER_MINUTE: '1000000' };

interface Target {
  name: string;
  address: string;
  namespace: string;
  keys: KeyRing;
  caseTaskQueue: string;
  api: { url: string; token: string };
  stop(): Promise<unknown>;
}

/** The service as `npm start` runs it: dev server, one worker, the API. */
async function devTarget(): Promise<Target> {
  const service = await startService(await serviceEnv(BENCH_ENV));
  const dataDir = service.env.DATA_DIR!;
  return {
    name: 'dev server (SQLite)',
    address: `127.0.0.1:${service.env.TEMPORAL_PORT}`,
    namespace: 'default',
    keys: loadOrCreateKeyFile(join(dataDir, 'keys.json')),
    caseTaskQueue: 'cases',
    api: {
      url: service.baseUrl,
      token: await staffToken({ dataDir, issuer: service.issuer, apiUrl: service.baseUrl }, 'cw-amira'),
    },
    stop: () => service.interrupt(),
  };
}

/** The cluster in a temporary folder: two worker processes and the API. */
async function clusterTarget(): Promise<Target> {
  const api = { port: await freePort(), idpPort: await freePort() };
  const cluster = await clusterOnFreePorts('reconnect-bench-', BENCH_ENV, api);
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const dataDir = cluster.o.dataDir;
  const url = `http://127.0.0.1:${api.port}`;
  return {
    name: 'cluster (PostgreSQL)',
    address: cluster.address,
    namespace: 'default',
    keys: loadOrCreateKeyFile(join(dataDir, 'keys.json')),
    caseTaskQueue: 'cases',
    api: {
      url,
      token: await staffToken(
        { dataDir, issuer: `http://127.0.0.1:${api.idpPort}`, apiUrl: url },
        'cw-amira',
      ),
    },
    stop: () => cluster.stop(),
  };
}

/** The figures of each server beside their baselines, with ratios and the spread over rounds. */
function serverTable(
  figures: (ServerFigures & { memory: MemoryFigures; search: SearchFigures })[],
  life: LifecycleFigures,
): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const rows = [
    '| server | figure | case | baseline (codec) | ratio | baseline (no codec) | ratio | spread, size |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const row = (...cells: string[]) =>
    rows.push(`| ${[...cells, ...Array<string>(8).fill('')].slice(0, 8).join(' | ')} |`);
  for (const f of figures) {
    const spread = `${Math.min(...f.roundRatios).toFixed(2)}–${Math.max(...f.roundRatios).toFixed(2)}× over ${f.rounds} rounds`;
    const s = f.server;
    row(
      s,
      'action round trip p50 (CaseClient.act)',
      ms(f.action.p50),
      ms(f.baseline.p50),
      x(f.action.p50, f.baseline.p50),
      ms(f.baselinePlain.p50),
      x(f.action.p50, f.baselinePlain.p50),
      spread,
    );
    row(
      s,
      'action round trip p99',
      ms(f.action.p99),
      ms(f.baseline.p99),
      x(f.action.p99, f.baseline.p99),
      ms(f.baselinePlain.p99),
      x(f.action.p99, f.baselinePlain.p99),
      `n=${f.action.n} each`,
    );
    row(
      s,
      'POST /cases/:id/actions p50',
      ms(f.http.p50),
      ms(f.baseline.p50),
      x(f.http.p50, f.baseline.p50),
      '',
      '',
      `n=${f.http.n}`,
    );
    row(s, 'POST /cases/:id/actions p99', ms(f.http.p99), ms(f.baseline.p99), x(f.http.p99, f.baseline.p99));
    const caseRate = sustained(f.load, 'case');
    const baseRate = sustained(f.load, 'baseline');
    row(
      s,
      'sustained actions/s with p99 < 200 ms (open loop)',
      `${caseRate}/s`,
      `${baseRate}/s`,
      baseRate ? x(caseRate, baseRate) : '–',
      '',
      '',
      `rates ${f.load.map((l) => l.offeredPerSecond).join(', ')}/s`,
    );
    for (const l of f.load)
      row(
        s,
        `  at ${l.offeredPerSecond}/s offered: p50 / p99`,
        `${ms(l.case.p50)} / ${ms(l.case.p99)}`,
        `${ms(l.baseline.p50)} / ${ms(l.baseline.p99)}`,
        x(l.case.p99, l.baseline.p99),
        '',
        '',
        `done ${l.case.completedPerSecond.toFixed(1)} vs ${l.baseline.completedPerSecond.toFixed(1)}/s`,
      );
    row(
      s,
      'history events per action',
      f.historyEventsPerAction.toFixed(1),
      f.baselineEventsPerUpdate.toFixed(1),
      x(f.historyEventsPerAction, f.baselineEventsPerUpdate),
    );
    row(
      s,
      'history bytes per action',
      f.historyBytesPerAction.toFixed(0),
      f.baselineBytesPerUpdate.toFixed(0),
      x(f.historyBytesPerAction, f.baselineBytesPerUpdate),
    );
    const m = f.memory;
    for (const [figure, mine, base] of [
      ['worker memory per cached workflow (RSS)', m.caseKiB, m.baselineKiB],
      ['worker JavaScript heap per cached workflow', m.caseHeapKiB, m.baselineHeapKiB],
    ] as const)
      row(
        s,
        figure,
        `${mine.toFixed(0)} KiB`,
        `${base.toFixed(0)} KiB`,
        x(mine, base),
        '',
        '',
        `${m.cached} cached`,
      );
    row(
      s,
      'opening a case vs starting a workflow, p50',
      ms(f.open.p50),
      ms(f.startBaseline.p50),
      x(f.open.p50, f.startBaseline.p50),
      '',
      '',
      `n=${f.open.n}`,
    );
    for (const q of f.search.searches)
      row(
        s,
        `caseload search p95: ${q.filter}`,
        ms(q.caseP95),
        ms(q.baselineP95),
        x(q.caseP95, q.baselineP95),
        '',
        '',
        `${q.rows} rows of ${f.search.openCases} open cases (${f.search.realCases} opened by workers)`,
      );
  }
  row(
    'time-skipping',
    'lifecycle over 18 months (Enhanced RECONNECT, extension)',
    ms(life.lifecycleMs),
    ms(life.yearBaselineMs),
    x(life.lifecycleMs, life.yearBaselineMs),
    '',
    '',
    `${life.lifecycleEvents} events; baseline: one 365-day timer`,
  );
  row(
    'replay',
    `longest recorded history (${life.replay.file})`,
    ms(life.replay.ms),
    ms(life.replay.baselineMs),
    x(life.replay.ms, life.replay.baselineMs),
    '',
    '',
    `${life.replay.events} vs ${life.replay.baselineEvents} events`,
  );
  return rows.join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
