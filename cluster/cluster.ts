import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DASHBOARD_CLIENT_ID } from '../auth/directory';
import { loadOrCreateKeyFile } from '../security/keys';
import { toolPaths } from '../tools/paths';
import { LocalPostgres } from './postgres';
import { ManagedProcess } from './process';
import { RecordStoreDatabase } from './recordStore';
import { DEFAULT_TEMPORAL_PORTS, TemporalServer, type TemporalPorts } from './temporalServer';

export interface ClusterOptions {
  /** The service's data folder; the cluster keeps PostgreSQL, config and logs in `cluster/` inside it. */
  dataDir: string;
  workers: number;
  historyShards: number;
  namespace: string;
  postgresPort: number;
  temporalPorts: TemporalPorts;
  /**
   * Omit to run without the API (tests that drive Temporal directly). With `secondPort`, a second
   * API process on that port, behind the same public address, trusting the first one's
   * development identity provider (as a second host behind a load balancer would).
   */
  api?: { port: number; idpPort: number; secondPort?: number };
  /** Settings for the workers and API (see config/config.ts), e.g. NOTIFIER and SMTP_URL. */
  env?: Record<string, string>;
}

export const CLUSTER_DEFAULTS = {
  workers: 2,
  historyShards: 4,
  namespace: 'default',
  postgresPort: 5433,
  temporalPorts: DEFAULT_TEMPORAL_PORTS,
} as const;

const ROOT = resolve(__dirname, '..');
const SERVICE_MAIN = join(ROOT, 'service', 'main.ts');

/** A case worker or the API: the service's own entry point, with only that part switched on. */
function caseProcess(name: string, logDir: string, env: Record<string, string>): ManagedProcess {
  return new ManagedProcess(name, process.execPath, ['--import', 'tsx', SERVICE_MAIN], {
    logFile: join(logDir, `${name}.log`),
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

/**
 * The production shape on one machine: PostgreSQL, the Temporal services as separate
 * processes, several case workers and the API. Started in order, stopped in reverse.
 */
export class LocalCluster {
  readonly postgres: LocalPostgres;
  /** The record store's database on the same server, and its owner and service roles. */
  readonly store: RecordStoreDatabase;
  readonly temporal: TemporalServer;
  readonly workers: ManagedProcess[];
  readonly api: ManagedProcess | undefined;
  /** The second API process, made once the first has started (it needs the first's provider). */
  secondApi: ManagedProcess | undefined;
  readonly dir: string;
  readonly logDir: string;
  private readonly shared: Record<string, string>;

  constructor(readonly o: ClusterOptions) {
    const tools = toolPaths();
    if (!tools.temporalServer || !tools.postgresBin)
      throw new Error('run "bash scripts/setup.sh --cluster" first');
    this.dir = join(o.dataDir, 'cluster');
    this.logDir = join(this.dir, 'logs');
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.logDir, { recursive: true, mode: 0o700 });
    this.postgres = new LocalPostgres({
      bin: tools.postgresBin,
      dir: this.dir,
      port: o.postgresPort,
      logDir: this.logDir,
    });
    this.store = new RecordStoreDatabase(this.postgres, this.dir);
    this.temporal = new TemporalServer({
      serverBin: tools.temporalServer,
      sqlToolBin: tools.temporalSqlTool,
      dir: join(this.dir, 'temporal'),
      logDir: this.logDir,
      ports: o.temporalPorts,
      historyShards: o.historyShards,
      namespace: o.namespace,
      retentionDays: 30,
      sql: { port: o.postgresPort, user: this.postgres.user, password: this.postgres.password },
    });
    const shared = {
      ...o.env,
      DATA_DIR: o.dataDir,
      TEMPORAL_ADDRESS: this.temporal.address,
      TEMPORAL_NAMESPACE: o.namespace,
      // The service's role for the rows; the owner's only for the migrations at start-up.
      STORE_URL: this.store.url,
      STORE_MIGRATION_URL: this.store.migrationUrl,
    };
    this.shared = shared;
    this.workers = Array.from({ length: o.workers }, (_, i) =>
      caseProcess(`worker-${i + 1}`, this.logDir, { ...shared, RUN_API: 'false' }),
    );
    this.api = o.api
      ? caseProcess('api', this.logDir, {
          ...shared,
          RUN_WORKER: 'false',
          API_PORT: String(o.api.port),
          IDP_PORT: String(o.api.idpPort),
        })
      : undefined;
  }

  get address(): string {
    return this.temporal.address;
  }

  async start(): Promise<void> {
    // One key ring for every process, made before any of them starts (unless set in the environment).
    const keysFile = this.o.env?.KEYS_FILE ?? process.env.KEYS_FILE ?? join(this.o.dataDir, 'keys.json');
    if (!this.o.env?.ENCRYPTION_KEYS) loadOrCreateKeyFile(resolve(keysFile));
    await this.postgres.start();
    await this.store.create();
    await this.temporal.setUpSchemas();
    await this.temporal.start();
    await Promise.all([...this.workers, ...(this.api ? [this.api] : [])].map((p) => startCaseProcess(p)));
    if (this.o.api?.secondPort) await startCaseProcess((this.secondApi ??= this.secondApiProcess()));
  }

  /**
   * The second API: no provider of its own; it signs people in at the first API's development
   * provider, as its dashboard client, and verifies their tokens there, so one token works on both.
   */
  private secondApiProcess(): ManagedProcess {
    const { port, idpPort, secondPort } = this.o.api!;
    const setting = (name: string) => this.o.env?.[name] || process.env[name] || undefined;
    return caseProcess('api-2', this.logDir, {
      ...this.shared,
      RUN_WORKER: 'false',
      API_PORT: String(secondPort),
      PUBLIC_URL: setting('PUBLIC_URL') ?? `http://127.0.0.1:${port}`,
      // An organisation's provider, when set, is both APIs' already.
      ...(setting('OIDC_ISSUER')
        ? {}
        : {
            OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
            OIDC_CLIENT_ID: DASHBOARD_CLIENT_ID,
            // The first API's provider wrote its secrets (auth/devIdp.ts) as it started.
            OIDC_CLIENT_SECRET: (
              JSON.parse(readFileSync(join(this.o.dataDir, 'idp.json'), 'utf8')) as {
                dashboardSecret: string;
              }
            ).dashboardSecret,
          }),
    });
  }

  /**
   * The APIs first (the second before the first, whose provider it relies on), then the workers
   * (each drains its tasks), then Temporal, then PostgreSQL.
   */
  async stop(): Promise<void> {
    await this.secondApi?.stop();
    await this.api?.stop();
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.temporal.stop();
    await this.postgres.stop();
  }
}

/** Case processes print this line once they are polling or listening. */
export function startCaseProcess(p: ManagedProcess): Promise<void> {
  return p.start({ line: 'Press Ctrl-C to stop.', timeoutMs: 120_000 });
}
