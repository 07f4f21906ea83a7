import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type { Outbox } from '../../activities/notifier';
import { openRecords, type Records } from '../../store/records';
import { StoreOutbox } from '../../store/outbox';
import { CaseClient, type CaseClientOptions } from '../../client/cases';
import type { KeyRing } from '../../security/keys';
import { toolPaths } from '../../tools/paths';
import { startDevServer } from '../../service/devServer';
import { startServerProcess, tcpReady, type ServerProcess } from '../../tools/serverProcess';
import { freePort } from './service';
import { caseDataConverter } from '../../security/dataConverter';
import { bundleCaseWorkflows, createCaseWorker } from '../../worker/worker';

export function testKeys(): KeyRing {
  return { current: 'test1', keys: new Map([['test1', randomBytes(32)]]), linkKey: randomBytes(32) };
}

let bundle: Promise<WorkflowBundle> | undefined;
/** Workflow code is bundled once per test file. */
export function caseBundle(): Promise<WorkflowBundle> {
  return (bundle ??= bundleCaseWorkflows());
}

/** `create` is how the SDK's own factories attach to a server; it is not in the typings. */
const attach = TestWorkflowEnvironment as unknown as {
  create(options: object): Promise<TestWorkflowEnvironment>;
};

/** Stops `server` after the environment's own teardown. */
function owning(env: TestWorkflowEnvironment, server: ServerProcess): TestWorkflowEnvironment {
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    await teardown();
    await server.stop();
  };
  return env;
}

/**
 * The in-memory server with a virtual clock: months of timers pass in seconds. Started here
 * rather than by the SDK, whose fixed 5-second start-up limit a busy machine can miss.
 */
export async function timeSkippingServer(keys: KeyRing): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const server = await startServerProcess(toolPaths().testServer, [String(port)], () => tcpReady(port));
  const env = await attach.create({
    supportsTimeSkipping: true,
    server: { type: 'existing' },
    address: `127.0.0.1:${port}`,
    client: { dataConverter: caseDataConverter(keys) },
  });
  return owning(env, server);
}

/**
 * The full dev server (SQLite in a temporary folder), started the way the service starts it:
 * visibility queries and search attributes. The environment's teardown stops it.
 */
export async function devServer(keys: KeyRing): Promise<TestWorkflowEnvironment> {
  const server = await startDevServer({
    dataDir: mkdtempSync(join(tmpdir(), 'reconnect-dev-')),
    port: await freePort(),
    namespace: 'default',
  });
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: server.address,
    client: { dataConverter: caseDataConverter(keys) },
  });
  return owning(env, server);
}

export interface Harness {
  env: TestWorkflowEnvironment;
  /** Stops the worker and the server. */
  teardown(): Promise<void>;
  /** Stops the worker, draining it; messages sent meanwhile wait on the server. */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker on the same task queue. */
  startWorker(): Promise<void>;
  cases: CaseClient;
  outbox: Outbox;
  /** The record store the worker and client use: embedded, in the data folder. */
  records: Records;
  dataDir: string;
  taskQueue: string;
  keys: KeyRing;
}

/** A running worker and a case client on one test server, for one test file. */
export async function harness(
  env: TestWorkflowEnvironment,
  keys: KeyRing,
  options: Partial<CaseClientOptions> & {
    /** Messages go to an outbox whose store is closed, so every send fails for real. */
    unreachableOutbox?: boolean;
  } = {},
  taskQueue = `cases-${randomBytes(4).toString('hex')}`,
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reconnect-test-'));
  const { unreachableOutbox, ...clientOptions } = options;
  const records = await openRecords({ kind: 'embedded', dir: join(dataDir, 'store') }, keys);
  let outbox: Outbox = records.outbox;
  if (unreachableOutbox) {
    const closed = await openRecords({ kind: 'embedded', dir: join(dataDir, 'closed-store') }, keys);
    await closed.db.destroy();
    outbox = new StoreOutbox(closed.db, keys);
  }
  const workflowBundle = await caseBundle();
  let running: { worker: Worker; done: Promise<void> } | undefined;
  const startWorker = async () => {
    const worker = await createCaseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      keys,
      records,
      client: env.client,
      notifier: outbox,
      workflowBundle,
      maxCachedWorkflows: 50,
    });
    running = { worker, done: worker.run() };
  };
  const stopWorker = async () => {
    running?.worker.shutdown();
    await running?.done;
    running = undefined;
  };
  await startWorker();
  const cases = new CaseClient(env.client, {
    taskQueue,
    keys,
    team: 'bucks-reconnect',
    records,
    searchAttributes: !env.supportsTimeSkipping,
    // Cases open by the server's clock, which time skipping moves ahead of the real one.
    ...(env.supportsTimeSkipping ? { clock: () => env.currentTimeMs() } : {}),
    ...clientOptions,
  });
  const teardown = async () => {
    await stopWorker();
    await env.teardown();
    await records.db.destroy();
  };
  return { env, teardown, stopWorker, startWorker, cases, outbox, records, dataDir, taskQueue, keys };
}

/**
 * The harness for one test file: started before its tests on a fresh server (time-skipping or
 * dev), torn down after them. The returned object is filled in by `beforeAll`.
 */
export function useHarness(
  server: 'timeSkipping' | 'dev',
  options: Parameters<typeof harness>[2] = {},
): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    const keys = testKeys();
    const env = server === 'dev' ? await devServer(keys) : await timeSkippingServer(keys);
    Object.assign(h, await harness(env, keys, options));
  });
  afterAll(async () => {
    await h.teardown?.();
  });
  return h;
}
