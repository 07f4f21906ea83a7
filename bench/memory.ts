import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openRecords } from '../store/records';
import { CaseClient } from '../client/cases';
import type { KeyRing } from '../security/keys';
import { caseworker, parentInfantReferral } from '../test/support/referrals';
import { bundleCaseWorkflows, createCaseWorker } from '../worker/worker';
import { baselineWorkflow } from './baselineWorkflow';
import { allSettled } from './load';

export interface MemoryFigures {
  cached: number;
  /** Resident memory per cached workflow. */
  caseKiB: number;
  baselineKiB: number;
  /** JavaScript heap per cached workflow. */
  caseHeapKiB: number;
  baselineHeapKiB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
/** Resident memory and heap after collecting garbage. */
function memory(): { rss: number; heap: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function inBatches(n: number, batch: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += batch) await allSettled(Array.from({ length: Math.min(batch, n - i) }, fn));
}

/**
 * Worker memory per cached workflow: a worker in this process with room for `cached` workflows,
 * memory before and after that many are open and cached. Workflows run on this thread
 * (`debugMode`) so their garbage is collected before each reading; on a workflow thread, garbage
 * from opening the cases would count as memory they keep. The baseline goes first, so memory the
 * case worker leaves behind cannot flatter it.
 */
export async function measureMemory(o: {
  address: string;
  namespace: string;
  keys: KeyRing;
  client: Client;
  cached: number;
}): Promise<MemoryFigures> {
  const connection = await NativeConnection.connect({ address: o.address });
  const perWorkflow = async (worker: Worker, open: () => Promise<void>) => {
    const running = worker.run();
    try {
      await open(); // one to load the code
      const before = memory();
      await inBatches(o.cached, 20, open);
      const after = memory();
      const kib = (bytes: number) => bytes / o.cached / 1024;
      return { rss: kib(after.rss - before.rss), heap: kib(after.heap - before.heap) };
    } finally {
      worker.shutdown();
      await running;
    }
  };
  try {
    const baseQueue = `memory-baseline-${randomUUID()}`;
    const baseline = await perWorkflow(
      await Worker.create({
        connection,
        namespace: o.namespace,
        taskQueue: baseQueue,
        workflowsPath: require.resolve('./baselineWorkflow'),
        maxCachedWorkflows: o.cached + 10,
        debugMode: true,
      }),
      async () => {
        const h = await o.client.workflow.start(baselineWorkflow, {
          taskQueue: baseQueue,
          workflowId: `memory-${randomUUID()}`,
        });
        await h.query('__temporal_workflow_metadata');
      },
    );
    const caseQueue = `memory-cases-${randomUUID()}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'reconnect-bench-memory-'));
    const records = await openRecords({ kind: 'embedded', dir: join(dataDir, 'store') }, o.keys);
    const cases = new CaseClient(o.client, { taskQueue: caseQueue, keys: o.keys, team: 'bucks-reconnect' });
    const opened = await perWorkflow(
      await createCaseWorker({
        connection,
        namespace: o.namespace,
        taskQueue: caseQueue,
        keys: o.keys,
        records,
        client: o.client,
        notifier: records.outbox,
        workflowBundle: await bundleCaseWorkflows(),
        maxCachedWorkflows: o.cached + 10,
        debugMode: true,
      }),
      async () => {
        const referral = parentInfantReferral({ receivedAt: new Date().toISOString() });
        const { caseId } = await cases.refer('parentInfant', referral, caseworker);
        await cases.view(caseId);
      },
    );
    await records.db.destroy();
    return {
      cached: o.cached,
      caseKiB: opened.rss,
      baselineKiB: baseline.rss,
      caseHeapKiB: opened.heap,
      baselineHeapKiB: baseline.heap,
    };
  } finally {
    await connection.close();
  }
}
