import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { OutboxNotifier } from '../activities/notifier';
import { SmtpNotifier } from '../activities/smtpNotifier';
import { AccessLog } from '../api/accessLog';
import { buildApi } from '../api/server';
import { CaseClient } from '../client/cases';
import { ConfigError, loadConfig } from '../config/config';
import { EncryptionCodec } from '../security/codec';
import { createCaseWorker } from '../worker/worker';
import { connectClient, keysFor, tlsFor } from '../config/connect';
import { startDevServer, type DevServer } from './devServer';

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
  const client = await connectClient(config, keys, address);
  const outbox = new OutboxNotifier(join(config.dataDir, 'outbox'));
  const notifier =
    config.NOTIFIER === 'smtp'
      ? new SmtpNotifier(
          { url: config.SMTP_URL!, from: config.SMTP_FROM, staffDomain: config.STAFF_EMAIL_DOMAIN },
          outbox,
        )
      : outbox;

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
      notifier,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    workerRun = worker.run();
  }

  const cases = new CaseClient(client, { taskQueue: config.TASK_QUEUE, keys, team: config.DEFAULT_TEAM });
  const uiOrigin = config.CODEC_CORS_ORIGIN ?? server?.uiUrl ?? 'http://127.0.0.1:8233';
  const api = config.RUN_API
    ? buildApi(cases, {
        outbox,
        accessLog: new AccessLog(join(config.dataDir, 'access.log')),
        codec: { codec: new EncryptionCodec(keys), uiOrigin },
      })
    : undefined;
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
    await client.connection.close();
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
