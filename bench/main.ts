import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { initialTransition, transition } from 'xstate';
import { shippedHolidays } from '../calendar/holidays';
import { parentInfant } from '../machines/parentInfant';
import { EncryptionCodec } from '../security/codec';
import { harness, devServer } from '../test/support/temporal';
import { caseworker, parentInfantReferral } from '../test/support/referrals';
import { CaseRecord } from '../workflows/caseRecord';
import { loadOrCreateKeyFile } from '../security/keys';
import { clusterOnFreePorts } from '../test/support/cluster';
import { measure, report } from './measure';
import { measureServer, type ServerFigures } from './servers';

// Benchmarks: each line compares the project's path with a baseline measured in this run.
// Ratios, not absolute times, are what to watch: `npm run bench`.

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
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
  // server (SQLite) and on the cluster (PostgreSQL, separate services, worker processes).
  const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
  const perRound = Number(process.env.BENCH_PER_ROUND ?? 40);
  const figures: ServerFigures[] = [];
  const keys = { current: 'b', keys: new Map([['b', randomBytes(32)]]), linkKey: randomBytes(32) };
  const h = await harness(await devServer(keys), keys);
  try {
    const address = h.env.connection.options.address;
    figures.push(
      await measureServer({
        name: 'dev server (SQLite)',
        address,
        namespace: 'default',
        keys,
        caseTaskQueue: h.taskQueue,
        rounds,
        perRound,
      }),
    );
  } finally {
    await h.teardown();
  }
  const c = await startBenchCluster();
  try {
    figures.push(
      await measureServer({
        name: 'cluster (PostgreSQL)',
        address: c.cluster.address,
        namespace: 'default',
        keys: c.keys,
        caseTaskQueue: 'cases',
        rounds,
        perRound,
      }),
    );
  } finally {
    await c.cluster.stop();
  }
  console.log(lines.join('\n'));
  const table = serverTable(figures);
  console.log(`\n${table}`);
  const out = join('data', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'results.json'),
    JSON.stringify({ at: new Date().toISOString(), figures }, null, 2),
  );
  writeFileSync(join(out, 'results.md'), `${table}\n`);
  console.log(`\nWritten: ${join(out, 'results.json')}, ${join(out, 'results.md')}`);
}

/** A cluster in a temporary folder for the bench: two worker processes, no API. */
async function startBenchCluster() {
  const cluster = await clusterOnFreePorts('reconnect-bench-', { LOG_LEVEL: 'warn' });
  await cluster.start();
  return { cluster, keys: loadOrCreateKeyFile(join(cluster.o.dataDir, 'keys.json')) };
}

/** The figures of each server beside their baselines, with ratios and the spread over rounds. */
function serverTable(figures: ServerFigures[]): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const rows = [
    '| server | figure | case | baseline (codec) | ratio | baseline (no codec) | ratio | spread of round ratios |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const spread = `${Math.min(...f.roundRatios).toFixed(2)}–${Math.max(...f.roundRatios).toFixed(2)}× over ${f.rounds} rounds`;
    rows.push(
      `| ${f.server} | action round trip p50 | ${ms(f.action.p50)} | ${ms(f.baseline.p50)} | ${x(f.action.p50, f.baseline.p50)} | ${ms(f.baselinePlain.p50)} | ${x(f.action.p50, f.baselinePlain.p50)} | ${spread} |`,
      `| ${f.server} | action round trip p99 | ${ms(f.action.p99)} | ${ms(f.baseline.p99)} | ${x(f.action.p99, f.baseline.p99)} | ${ms(f.baselinePlain.p99)} | ${x(f.action.p99, f.baselinePlain.p99)} | n=${f.action.n} each |`,
      `| ${f.server} | history events per action | ${f.historyEventsPerAction.toFixed(1)} | ${f.baselineEventsPerUpdate.toFixed(1)} | ${x(f.historyEventsPerAction, f.baselineEventsPerUpdate)} | | | |`,
      `| ${f.server} | history bytes per action | ${f.historyBytesPerAction.toFixed(0)} | ${f.baselineBytesPerUpdate.toFixed(0)} | ${x(f.historyBytesPerAction, f.baselineBytesPerUpdate)} | | | |`,
      `| ${f.server} | opening a case vs starting a workflow, p50 | ${ms(f.open.p50)} | ${ms(f.startBaseline.p50)} | ${x(f.open.p50, f.startBaseline.p50)} | | | n=${f.open.n} |`,
    );
  }
  return rows.join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
