import { z } from 'zod';
import { ConfigError, loadConfig } from '../config/config';
import { CLUSTER_DEFAULTS, LocalCluster } from './cluster';
import { RECORD_STORE } from './recordStore';

/** Cluster settings, from the environment like the service's own. */
const ClusterSettings = z.object({
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(CLUSTER_DEFAULTS.workers),
  CLUSTER_HISTORY_SHARDS: z.coerce.number().int().min(1).max(512).default(CLUSTER_DEFAULTS.historyShards),
  CLUSTER_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(CLUSTER_DEFAULTS.postgresPort),
  /** Set: a second API process on this port, beside the first (two API hosts on one store). */
  CLUSTER_SECOND_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

/** `npm run cluster`: the production shape on this machine, on the service's data folder. */
async function main(): Promise<void> {
  const config = loadConfig();
  const parsed = ClusterSettings.safeParse(process.env);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${parsed.error.message}`);
  const settings = parsed.data;
  process.umask(0o077);
  const cluster = new LocalCluster({
    dataDir: config.dataDir,
    workers: settings.CLUSTER_WORKERS,
    historyShards: settings.CLUSTER_HISTORY_SHARDS,
    namespace: config.TEMPORAL_NAMESPACE,
    postgresPort: settings.CLUSTER_POSTGRES_PORT,
    temporalPorts: CLUSTER_DEFAULTS.temporalPorts,
    api: {
      port: config.API_PORT,
      idpPort: config.IDP_PORT,
      ...(settings.CLUSTER_SECOND_API_PORT ? { secondPort: settings.CLUSTER_SECOND_API_PORT } : {}),
    },
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      console.log('Stopping: API, workers (draining), Temporal services, PostgreSQL …');
      await cluster.stop();
      console.log('Stopped.');
      process.exit(0);
    })());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log(
    `Starting PostgreSQL, the Temporal services (${settings.CLUSTER_HISTORY_SHARDS} history shards) and ${settings.CLUSTER_WORKERS} workers …`,
  );
  try {
    await cluster.start();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await cluster.stop();
    process.exit(1);
  }
  const { grpc } = CLUSTER_DEFAULTS.temporalPorts;
  console.log(`reconnect-cases cluster is running
  Workspace:         ${config.publicUrl}/app
  API:               ${config.publicUrl}   (contract: ${config.publicUrl}/docs)${cluster.secondApi ? `\n  Second API:        http://127.0.0.1:${settings.CLUSTER_SECOND_API_PORT} (same store and sign-in)` : ''}
  Sign-in:           development identity provider at http://127.0.0.1:${config.IDP_PORT} (fictional staff)
  Temporal frontend: ${cluster.address} (namespace ${config.TEMPORAL_NAMESPACE}); history :${grpc.history}, matching :${grpc.matching}, worker :${grpc.worker}
  PostgreSQL:        127.0.0.1:${settings.CLUSTER_POSTGRES_PORT} (databases temporal, temporal_visibility and ${RECORD_STORE.database}; passwords in ${cluster.dir})
  Case workers:      ${cluster.workers.map((w) => `${w.name} (pid ${w.pid})`).join(', ')}
  Logs:              ${cluster.logDir}
Press Ctrl-C to stop.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
