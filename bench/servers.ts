import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openRecords } from '../store/records';
import { CaseClient } from '../client/cases';
import { createCaseWorker } from '../worker/worker';
import { caseDataConverter } from '../security/dataConverter';
import type { KeyRing } from '../security/keys';
import { caseworker, parentInfantReferral } from '../test/support/referrals';
import { appendUpdate, baselineWorkflow } from './baselineWorkflow';
import { allSettled, measureLoad, type LoadStep } from './load';

/** Latency percentiles in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
  n: number;
}
export const percentiles = (ms: number[]): Latency => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), n: s.length };
};

export interface ServerFigures {
  server: string;
  rounds: number;
  /** Round-trip latency of one action, and of the baseline update with and without the codec. */
  action: Latency;
  /** The same action through `POST /cases/:id/actions` (token checked, body validated), on a case of the service's own workers. */
  http: Latency;
  baseline: Latency;
  baselinePlain: Latency;
  /** Per-round p50 ratios (action / baseline), for the spread. */
  roundRatios: number[];
  open: Latency;
  startBaseline: Latency;
  /** Open-loop load over many cases, rate by rate. */
  load: LoadStep[];
  historyEventsPerAction: number;
  baselineEventsPerUpdate: number;
  historyBytesPerAction: number;
  baselineBytesPerUpdate: number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The whole history (every page): its events and their size as JSON. */
async function historySize(client: Client, workflowId: string): Promise<{ events: number; bytes: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { events: history.events?.length ?? 0, bytes: JSON.stringify(history).length };
}

/**
 * Interleaved rounds on one server: in each round, `perRound` case actions, the same number of
 * baseline updates with the project's codec, and without it, one after another, so noise
 * falls on every side alike. The case worker that `CaseClient.act` and the load reach runs in
 * this process beside the baseline workers, with the same runtime, so the ratio is what the
 * case's own logic costs; `POST /cases/:id/actions` reaches a case of the service's workers.
 */
export async function measureServer(o: {
  name: string;
  address: string;
  namespace: string;
  keys: KeyRing;
  /** The case worker is already running there on this task queue. */
  caseTaskQueue: string;
  rounds: number;
  perRound: number;
  /** The API in front of the same server, and a caseworker's token for it. */
  api: { url: string; token: string };
  load: { rates: number[]; seconds: number; workflows: number };
}): Promise<ServerFigures> {
  const connection = await Connection.connect({ address: o.address });
  const sealed = new Client({ connection, namespace: o.namespace, dataConverter: caseDataConverter(o.keys) });
  const plain = new Client({ connection, namespace: o.namespace });
  const native = await NativeConnection.connect({ address: o.address });
  const queue = `baseline-${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'reconnect-bench-cases-'));
  const records = await openRecords({ kind: 'embedded', dir: join(dataDir, 'store') }, o.keys);
  const caseWorker = await createCaseWorker({
    connection: native,
    namespace: o.namespace,
    taskQueue: `${queue}-cases`,
    keys: o.keys,
    records,
    client: sealed,
    notifier: records.outbox,
  });
  const baselineWorkers = await Promise.all(
    [
      { q: `${queue}-sealed`, dataConverter: caseDataConverter(o.keys) },
      { q: `${queue}-plain`, dataConverter: undefined },
    ].map(({ q, dataConverter }) =>
      Worker.create({
        connection: native,
        namespace: o.namespace,
        taskQueue: q,
        workflowsPath: require.resolve('./baselineWorkflow'),
        ...(dataConverter ? { dataConverter } : {}),
      }),
    ),
  );
  const workers = [caseWorker, ...baselineWorkers];
  const running = workers.map((w) => w.run());
  try {
    const cases = new CaseClient(sealed, {
      taskQueue: `${queue}-cases`,
      keys: o.keys,
      team: 'bucks-reconnect',
    });
    const serviceCases = new CaseClient(sealed, {
      taskQueue: o.caseTaskQueue,
      keys: o.keys,
      team: 'bucks-reconnect',
    });
    const opens: number[] = [];
    const starts: number[] = [];
    const refer = () =>
      cases.refer('parentInfant', parentInfantReferral({ receivedAt: new Date().toISOString() }), caseworker);
    const start = (client: Client, q: string) =>
      client.workflow.start(baselineWorkflow, { taskQueue: q, workflowId: `baseline-${randomUUID()}` });

    // One case in engagement on each worker, and one baseline workflow of each kind.
    const engage = async (client: CaseClient, id: string) => {
      await client.act(id, { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker });
      await client.act(id, { type: 'ASSESSMENT_COMPLETED', actor: caseworker, suitable: true });
      return id;
    };
    let caseId = '';
    opens.push(await timed(async () => (caseId = (await refer()).caseId)));
    await engage(cases, caseId);
    const serviceCaseId = await engage(
      serviceCases,
      (
        await serviceCases.refer(
          'parentInfant',
          parentInfantReferral({ receivedAt: new Date().toISOString() }),
          caseworker,
        )
      ).caseId,
    );
    const sealedHandle = await start(sealed, `${queue}-sealed`);
    const plainHandle = await start(plain, `${queue}-plain`);
    const contact = () => ({
      type: 'RECORD_CONTACT',
      actor: caseworker,
      kind: 'groupSession',
      attended: true,
      occurredAt: new Date().toISOString(),
    });
    const post = async (body: object) => {
      const res = await fetch(`${o.api.url}/cases/${serviceCaseId}/actions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.api.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`POST action: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const { actor: _, ...contactBody } = contact();
    const before = {
      case: await historySize(sealed, caseId),
      base: await historySize(sealed, sealedHandle.workflowId),
    };
    // Warm-up, not counted.
    for (let i = 0; i < 10; i++) {
      await cases.act(caseId, contact());
      await post(contactBody);
      await sealedHandle.executeUpdate(appendUpdate, { args: [contact()] });
      await plainHandle.executeUpdate(appendUpdate, { args: [contact()] });
    }
    const action: number[] = [];
    const http: number[] = [];
    const baseline: number[] = [];
    const baselinePlain: number[] = [];
    const roundRatios: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < o.perRound; i++) {
        a.push(await timed(() => cases.act(caseId, contact())));
        http.push(await timed(() => post({ ...contactBody, occurredAt: new Date().toISOString() })));
        b.push(await timed(() => sealedHandle.executeUpdate(appendUpdate, { args: [contact()] })));
        baselinePlain.push(await timed(() => plainHandle.executeUpdate(appendUpdate, { args: [contact()] })));
      }
      action.push(...a);
      baseline.push(...b);
      roundRatios.push(percentiles(a).p50 / percentiles(b).p50);
      opens.push(await timed(refer));
      starts.push(await timed(() => start(sealed, `${queue}-sealed`)));
    }
    const updates = 10 + o.rounds * o.perRound;
    const baseUpdates = updates;
    const after = {
      case: await historySize(sealed, caseId),
      base: await historySize(sealed, sealedHandle.workflowId),
    };

    // Sustained load, spread over many cases in engagement and as many baseline workflows.
    const engaged = async () => engage(cases, (await refer()).caseId);
    const many = Array.from({ length: o.load.workflows }, (_, i) => i);
    const loadCases = await allSettled(many.map(engaged));
    const loadBases = await allSettled(many.map(() => start(sealed, `${queue}-sealed`)));
    const load = await measureLoad({
      rates: o.load.rates,
      seconds: o.load.seconds,
      caseAction: (i) => cases.act(loadCases[i % loadCases.length]!, contact()),
      baselineUpdate: (i) =>
        loadBases[i % loadBases.length]!.executeUpdate(appendUpdate, { args: [contact()] }),
    });
    return {
      server: o.name,
      load,
      rounds: o.rounds,
      action: percentiles(action),
      http: percentiles(http),
      baseline: percentiles(baseline),
      baselinePlain: percentiles(baselinePlain),
      roundRatios,
      open: percentiles(opens),
      startBaseline: percentiles(starts),
      historyEventsPerAction: (after.case.events - before.case.events) / updates,
      baselineEventsPerUpdate: (after.base.events - before.base.events) / baseUpdates,
      historyBytesPerAction: (after.case.bytes - before.case.bytes) / updates,
      baselineBytesPerUpdate: (after.base.bytes - before.base.bytes) / baseUpdates,
    };
  } finally {
    workers.forEach((w) => w.shutdown());
    await Promise.all(running);
    await native.close();
    await connection.close();
    await records.db.destroy();
  }
}
