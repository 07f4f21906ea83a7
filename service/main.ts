import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { OutboxNotifier } from '../activities/notifier';
import { buildApi } from '../api/server';
import { CaseClient } from '../client/cases';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { keyRingFromEnv, loadOrCreateKeyFile, type KeyRing } from '../security/keys';
import { caseDataConverter, createCaseWorker } from '../worker/worker';
import { startDevServer, type DevServer } from './devServer';

function keysFor(config: Config): KeyRing {
  return config.ENCRYPTION_KEYS && config.LINK_KEY
    ? keyRingFromEnv(config.ENCRYPTION_KEYS, config.LINK_KEY)
    : loadOrCreateKeyFile(join(config.dataDir, 'keys.json'));
}

function tlsFor(config: Config) {
  if (!config.TEMPORAL_TLS) return undefined;
  return config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY
    ? {
        clientCertPair: {
          crt: Buffer.from(config.TEMPORAL_TLS_CERT),
          key: Buffer.from(config.TEMPORAL_TLS_KEY),
        },
      }
    : true;
}

/** Runs the service: embedded dev server (unless TEMPORAL_ADDRESS is set), worker and HTTP API. */
async function main(): Promise<void> {
  const config = loadConfig();
  // This process decides when to stop (API first, then worker, then server), so the SDK must not.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const keys = keysFor(config);
  let server: DevServer | undefined;
  if (!config.TEMPORAL_ADDRESS) {
    console.log('Starting the Temporal dev server …');
    server = await startDevServer({
      dataDir: config.dataDir,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
    });
  }
  const address = config.TEMPORAL_ADDRESS ?? server!.address;
  const tls = tlsFor(config);
  const connection = await Connection.connect({ address, ...(tls ? { tls } : {}) });
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: caseDataConverter(keys),
  });
  const outbox = new OutboxNotifier(join(config.dataDir, 'outbox'));

  let worker: Awaited<ReturnType<typeof createCaseWorker>> | undefined;
  let workerRun: Promise<void> | undefined;
  if (config.RUN_WORKER) {
    const nativeConnection = await NativeConnection.connect({ address, ...(tls ? { tls } : {}) });
    worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TASK_QUEUE,
      keys,
      dataDir: config.dataDir,
      client,
      notifier: outbox,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    workerRun = worker.run();
  }

  const cases = new CaseClient(client, { taskQueue: config.TASK_QUEUE, keys, team: config.DEFAULT_TEAM });
  const api = config.RUN_API ? buildApi(cases, outbox) : undefined;
  if (api) await api.listen({ host: config.API_HOST, port: config.API_PORT });

  console.log(`reconnect-cases is running
  API and dashboard: http://${config.API_HOST}:${config.API_PORT}
  Temporal:          ${address} (namespace ${config.TEMPORAL_NAMESPACE})${server?.uiUrl ? `\n  Temporal Web UI:   ${server.uiUrl}` : ''}
  Data folder:       ${config.dataDir}
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping: API, then worker (draining), then Temporal …');
    await api?.close();
    worker?.shutdown();
    await workerRun;
    await connection.close();
    await server?.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
