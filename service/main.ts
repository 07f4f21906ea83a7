import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { SmtpNotifier } from '../activities/smtpNotifier';
import { LOG_REDACT } from '../api/server';
import { buildApp } from './app';
import { startDevIdentityProvider, type DevIdentityProvider } from '../auth/devIdp';
import { CLI_CLIENT_ID, DASHBOARD_CLIENT_ID } from '../auth/directory';
import { FileRevocationList, refusingRevoked } from '../auth/revocations';
import { createSessions } from '../auth/session';
import { createVerifier } from '../auth/verifier';
import { CaseClient } from '../client/cases';
import { ConfigError, loadConfig } from '../config/config';
import { EncryptionCodec } from '../security/codec';
import { createCaseWorker } from '../worker/worker';
import { ensureSchedules } from '../worker/schedules';
import { Command } from 'commander';
import { createDemoCases, DEMO_MARKER } from './demoCases';
import { connectClient, keysFor, tlsFor } from '../config/connect';
import { startDevServer, type DevServer } from './devServer';
import { importDataFolder } from '../store/importFiles';
import { openRecords } from '../store/records';
import { storeConfigFrom } from '../store/store';

/** Runs the service: embedded dev server (unless TEMPORAL_ADDRESS is set), worker and HTTP API. */
async function main(): Promise<void> {
  const flags = new Command('npm start --')
    .description(
      'Runs reconnect-cases: Temporal (unless TEMPORAL_ADDRESS is set), worker, API and workspace.',
    )
    .option('--demo', 'create a few fictional cases on first start, for a first look')
    .parse()
    .opts<{ demo?: boolean }>();
  const config = loadConfig();
  // Everything the service writes (SQLite, keys, outbox, archive, logs) is its owner's only.
  process.umask(0o077);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Nobody else may list or read it (the local cluster's PostgreSQL account may pass through).
  const mode = statSync(config.dataDir).mode & 0o777;
  if (mode & 0o066) chmodSync(config.dataDir, mode & 0o711);
  // This process decides when to stop (API first, then worker, then server), so the SDK must not.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const keys = keysFor(config);
  // The record store (access log, archive, report facts, person index, references, outbox):
  // PostgreSQL at STORE_URL, or embedded in this process; its schema is brought up to date here.
  const records = await openRecords(storeConfigFrom(config), keys);
  // Records kept as files by earlier versions move in once; the files go when they have.
  const imported = await importDataFolder(config.dataDir, records, keys);
  if (imported.length) console.log(`Moved into the record store: ${imported.join(', ')}`);
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
  const outbox = records.outbox;
  const notifier =
    config.NOTIFIER === 'smtp'
      ? new SmtpNotifier(
          { url: config.SMTP_URL!, from: config.SMTP_FROM, staffDomain: config.STAFF_EMAIL_DOMAIN },
          outbox,
        )
      : outbox;

  let worker: Awaited<ReturnType<typeof createCaseWorker>> | undefined;
  let workerRun: Promise<void> | undefined;
  let scheduled: string[] = [];
  if (config.RUN_WORKER) {
    const nativeConnection = await NativeConnection.connect({ address, ...(tls ? { tls } : {}) });
    worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TASK_QUEUE,
      keys,
      records,
      client,
      notifier,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      meeting: config.TEAM_MEETING,
    });
    workerRun = worker.run();
    scheduled = await ensureSchedules(client, config.TASK_QUEUE);
  }
  const cases = new CaseClient(client, {
    taskQueue: config.TASK_QUEUE,
    keys,
    team: config.DEFAULT_TEAM,
    meeting: config.TEAM_MEETING,
    records,
  });
  const demo =
    (flags.demo || config.DEMO_CASES) && config.RUN_WORKER
      ? await createDemoCases(cases, config.dataDir)
      : undefined;
  // The demo cases count in the reports at once, not after the first hourly refresh.
  if (demo) await records.facts.putMany(await Promise.all(demo.map((id) => cases.facts(id))));
  const demoBefore = !demo && existsSync(join(config.dataDir, DEMO_MARKER));
  const uiOrigin = config.CODEC_CORS_ORIGIN ?? server?.uiUrl ?? 'http://127.0.0.1:8233';
  let idp: DevIdentityProvider | undefined;
  let api: Awaited<ReturnType<typeof buildApp>> | undefined;
  if (config.RUN_API) {
    if (!config.OIDC_ISSUER) {
      idp = await startDevIdentityProvider({
        dataDir: config.dataDir,
        host: '127.0.0.1',
        port: config.IDP_PORT,
        apiUrl: config.publicUrl,
        tokenTtlSeconds: config.IDP_TOKEN_TTL_SECONDS,
      });
    }
    const issuer = config.OIDC_ISSUER ?? idp!.issuer;
    const client = {
      clientId: idp ? DASHBOARD_CLIENT_ID : config.OIDC_CLIENT_ID,
      clientSecret: idp ? idp.secrets.dashboardSecret : config.OIDC_CLIENT_SECRET!,
    };
    // Signed-out sessions' tokens, in the data folder every API process shares.
    const revoked = new FileRevocationList(join(config.dataDir, 'revoked'));
    const verify = refusingRevoked(
      await createVerifier({
        issuer,
        audience: config.OIDC_AUDIENCE,
        claims: { id: config.OIDC_ID_CLAIM, roles: config.OIDC_ROLES_CLAIM, teams: config.OIDC_TEAMS_CLAIM },
        clockToleranceSeconds: config.OIDC_CLOCK_SKEW_SECONDS,
        introspection: client,
      }),
      revoked,
    );
    const sessions = await createSessions({
      issuer,
      ...client,
      publicUrl: config.publicUrl,
      secret: keys.linkKey,
      verify,
      revoked,
    });
    api = await buildApp(cases, {
      verify,
      signIn: {
        issuer,
        audience: config.OIDC_AUDIENCE,
        cliClientId: idp ? CLI_CLIENT_ID : config.OIDC_CLI_CLIENT_ID,
      },
      sessions,
      outbox,
      accessLog: records.accessLog,
      records,
      facts: records.facts,
      codec: { codec: new EncryptionCodec(keys), uiOrigin },
      writesPerMinute: config.RATE_LIMIT_WRITES_PER_MINUTE,
      formsPerMinute: config.RATE_LIMIT_FORMS_PER_MINUTE,
      laCode: config.LA_CODE,
      allowedHosts: config.allowedHosts,
      trustProxy: config.TRUST_PROXY,
      publicUrl: config.publicUrl,
      logger: { level: config.LOG_LEVEL, redact: LOG_REDACT },
    });
    await api.listen({ host: config.API_HOST, port: config.API_PORT });
  }

  console.log(`reconnect-cases is running
  Workspace:         ${config.publicUrl}/app   (sign in as a fictional member of staff)
  API:               ${config.publicUrl}   (contract: ${config.publicUrl}/docs)${idp ? `\n  Sign-in:           development identity provider at ${idp.issuer} (fictional staff)` : ''}
  Temporal:          ${address} (namespace ${config.TEMPORAL_NAMESPACE})${server?.uiUrl ? `\n  Temporal Web UI:   ${server.uiUrl}` : ''}
  Data folder:       ${config.dataDir}${scheduled.length ? `\n  Scheduled jobs:    ${scheduled.join(', ')} (Temporal Schedules)` : ''}
${demo ? `  Demo cases:        ${demo.length} fictional cases created; sign in as Amira Khan (caseworker)\n` : ''}${!demo && !demoBefore && !flags.demo && !config.DEMO_CASES ? 'A first look with fictional cases: npm start -- --demo\n' : ''}Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping: API, then worker (draining), then Temporal …');
    await api?.close();
    await idp?.stop();
    worker?.shutdown();
    await workerRun;
    await client.connection.close();
    await server?.stop();
    await records.db.destroy();
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
