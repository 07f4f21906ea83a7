import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { caseDataConverter } from '../security/dataConverter';
import { FIXTURE_KEYS } from '../test/support/fixtureKeys';
import { SCENARIOS } from '../test/support/scenarios';
import { caseBundle, harness, timeSkippingServer } from '../test/support/temporal';
import { appendUpdate, baselineWorkflow, yearWorkflow } from './baselineWorkflow';

export interface LifecycleFigures {
  /** Wall time of a case from referral to closure across a year and more, on the time-skipping server. */
  lifecycleMs: number;
  lifecycleEvents: number;
  yearBaselineMs: number;
  /** Replay of the longest recorded history, against a baseline history of as many updates. */
  replay: { file: string; events: number; ms: number; baselineEvents: number; baselineMs: number };
}

const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const HISTORIES = join(__dirname, '..', 'test', 'histories');
const load = (file: string) =>
  temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as object,
  );

export async function measureLifecycle(): Promise<LifecycleFigures> {
  const h = await harness(await timeSkippingServer(FIXTURE_KEYS), FIXTURE_KEYS, { searchAttributes: false });
  const baseQueue = `lifecycle-baseline-${randomUUID()}`;
  const worker = await Worker.create({
    connection: h.env.nativeConnection,
    taskQueue: baseQueue,
    workflowsPath: require.resolve('./baselineWorkflow'),
    dataConverter: caseDataConverter(FIXTURE_KEYS),
  });
  const running = worker.run();
  try {
    // Enhanced RECONNECT with a supervisor-approved extension: about 18 months of timers.
    let caseId = '';
    const lifecycleMs = await timed(async () => (caseId = await SCENARIOS.enhancedReconnect(h)));
    const lifecycleEvents =
      (await h.env.client.workflow.getHandle(caseId).fetchHistory()).events?.length ?? 0;
    const yearBaselineMs = await timed(() =>
      h.env.client.workflow.execute(yearWorkflow, {
        taskQueue: baseQueue,
        workflowId: `year-${randomUUID()}`,
      }),
    );

    const [file, longest] = readdirSync(HISTORIES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, load(f)] as const)
      .sort((a, b) => b[1].events.length - a[1].events.length)[0]!;
    const bundle = await caseBundle();
    const options = { workflowBundle: bundle, dataConverter: caseDataConverter(FIXTURE_KEYS) };
    const replayOnce = () => Worker.runReplayHistory(options, longest, `${file}-replay`);
    await replayOnce(); // warm-up
    const ms = Math.min(await timed(replayOnce), await timed(replayOnce), await timed(replayOnce));

    // A baseline history with as many updates as the longest history has events, divided by 5 (an
    // update costs about five events in the baseline).
    const handle = await h.env.client.workflow.start(baselineWorkflow, {
      taskQueue: baseQueue,
      workflowId: `replay-baseline-${randomUUID()}`,
    });
    for (let i = 0; i < Math.ceil(longest.events.length / 5); i++)
      await handle.executeUpdate(appendUpdate, { args: [{ i }] });
    const baseHistory = await handle.fetchHistory();
    const baseOptions = {
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./baselineWorkflow'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
      }),
      dataConverter: caseDataConverter(FIXTURE_KEYS),
    };
    const replayBase = () => Worker.runReplayHistory(baseOptions, baseHistory, handle.workflowId);
    await replayBase();
    const baselineMs = Math.min(await timed(replayBase), await timed(replayBase), await timed(replayBase));
    await handle.terminate('bench done');
    return {
      lifecycleMs,
      lifecycleEvents,
      yearBaselineMs,
      replay: {
        file,
        events: longest.events.length,
        ms,
        baselineEvents: baseHistory.events?.length ?? 0,
        baselineMs,
      },
    };
  } finally {
    worker.shutdown();
    await running;
    await h.teardown();
  }
}
