import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import { OutboxNotifier } from '../../activities/notifier';
import { CaseClient } from '../../client/cases';
import type { KeyRing } from '../../security/keys';
import { toolPaths } from '../../tools/paths';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';
import { bundleCaseWorkflows, caseDataConverter, createCaseWorker } from '../../worker/worker';

export function testKeys(): KeyRing {
  return { current: 'test1', keys: new Map([['test1', randomBytes(32)]]), linkKey: randomBytes(32) };
}

let bundle: Promise<WorkflowBundle> | undefined;
/** Workflow code is bundled once per test file. */
export function caseBundle(): Promise<WorkflowBundle> {
  return (bundle ??= bundleCaseWorkflows());
}

/** The in-memory server with a virtual clock: months of timers pass in seconds. */
export function timeSkippingServer(keys: KeyRing): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPaths().testServer } },
    client: { dataConverter: caseDataConverter(keys) },
  });
}

/** The full dev server (SQLite in memory): visibility queries and search attributes. */
export function devServer(keys: KeyRing): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolPaths().temporalCli },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ui: false,
    },
    client: { dataConverter: caseDataConverter(keys) },
  });
}

export interface Harness {
  env: TestWorkflowEnvironment;
  /** Stops the worker and the server. */
  teardown(): Promise<void>;
  worker: Worker;
  cases: CaseClient;
  outbox: OutboxNotifier;
  dataDir: string;
  taskQueue: string;
  keys: KeyRing;
}

/** A running worker and a case client on one test server, for one test file. */
export async function harness(
  env: TestWorkflowEnvironment,
  keys: KeyRing,
  taskQueue = `cases-${randomBytes(4).toString('hex')}`,
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reconnect-test-'));
  const outbox = new OutboxNotifier(join(dataDir, 'outbox'));
  const worker = await createCaseWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    keys,
    dataDir,
    client: env.client,
    notifier: outbox,
    workflowBundle: await caseBundle(),
    maxCachedWorkflows: 50,
  });
  const cases = new CaseClient(env.client, {
    taskQueue,
    keys,
    team: 'bucks-reconnect',
    searchAttributes: !env.supportsTimeSkipping,
  });
  const running = worker.run();
  const teardown = async () => {
    worker.shutdown();
    await running;
    await env.teardown();
  };
  return { env, teardown, worker, cases, outbox, dataDir, taskQueue, keys };
}
