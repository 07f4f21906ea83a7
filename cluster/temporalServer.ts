import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/searchAttributes';
import { tcpReady } from '../tools/serverProcess';
import { ManagedProcess } from './process';

/** The Temporal services, each its own process, as a production deployment runs them. */
export const SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface TemporalPorts {
  /** gRPC and membership (ringpop) port of each service; membership ports must be below 32768. */
  grpc: Record<ServiceName, number>;
  membership: Record<ServiceName, number>;
  frontendHttp: number;
}

/** The usual Temporal ports, for `npm run cluster`. */
export const DEFAULT_TEMPORAL_PORTS: TemporalPorts = {
  grpc: { frontend: 7233, history: 7234, matching: 7235, worker: 7239 },
  membership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
  frontendHttp: 7243,
};

/** Ten consecutive ports from `base`, for tests. */
export function temporalPortsFrom(base: number): TemporalPorts {
  return {
    grpc: { frontend: base, history: base + 1, matching: base + 2, worker: base + 3 },
    membership: { frontend: base + 4, history: base + 5, matching: base + 6, worker: base + 7 },
    frontendHttp: base + 8,
  };
}

export interface TemporalServerOptions {
  serverBin: string;
  sqlToolBin: string;
  dir: string;
  logDir: string;
  ports: TemporalPorts;
  historyShards: number;
  namespace: string;
  retentionDays: number;
  sql: { port: number; user: string; password: string };
}

/** Where the shared files live: the schema steps and dynamic config docker-compose.yml uses too. */
export const SHARED = {
  schemaScript: resolve(__dirname, 'temporal/schema.sh'),
  dynamicConfig: resolve(__dirname, 'temporal/dynamicconfig.yaml'),
};

/** The server's configuration (YAML; written as JSON, which YAML includes). */
export function serverConfig(o: TemporalServerOptions): object {
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${o.sql.port}`,
      connectProtocol: 'tcp',
      user: o.sql.user,
      password: o.sql.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (name: ServiceName) => ({
    rpc: {
      grpcPort: o.ports.grpc[name],
      membershipPort: o.ports.membership[name],
      bindOnLocalHost: true,
      ...(name === 'frontend' ? { httpPort: o.ports.frontendHttp } : {}),
    },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: o.historyShards,
      datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(SERVICES.map((s) => [s, service(s)])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${o.ports.grpc.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: SHARED.dynamicConfig, pollInterval: '10s' },
  };
}

const GRPC_ALREADY_EXISTS = 6;

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** The Temporal server on PostgreSQL: schema steps, then frontend, history, matching and worker processes. */
export class TemporalServer {
  readonly address: string;
  private readonly processes: Map<ServiceName, ManagedProcess>;

  constructor(private readonly o: TemporalServerOptions) {
    this.address = `127.0.0.1:${o.ports.grpc.frontend}`;
    const configDir = join(o.dir, 'config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'cluster.yaml'), JSON.stringify(serverConfig(o), null, 2), { mode: 0o600 });
    this.processes = new Map(
      SERVICES.map((name) => [
        name,
        new ManagedProcess(
          `temporal-${name}`,
          o.serverBin,
          [
            '--root',
            configDir,
            '--config',
            '.',
            '--env',
            'cluster',
            '--allow-no-auth',
            'start',
            '--service',
            name,
          ],
          { logFile: join(o.logDir, `temporal-${name}.log`) },
        ),
      ]),
    );
  }

  /** Creates or upgrades both schemas (the same script the compose file runs). */
  setUpSchemas(): Promise<void> {
    return new Promise((resolveRun, reject) =>
      execFile(
        'sh',
        [SHARED.schemaScript],
        {
          env: {
            ...process.env,
            SQL_TOOL: this.o.sqlToolBin,
            SQL_HOST: '127.0.0.1',
            SQL_PORT: String(this.o.sql.port),
            SQL_USER: this.o.sql.user,
            SQL_PASSWORD: this.o.sql.password,
          },
        },
        (err, _stdout, stderr) => (err ? reject(new Error(`schema set-up failed: ${stderr}`)) : resolveRun()),
      ),
    );
  }

  /**
   * Starts every service, then makes sure the namespace and the search attributes exist. The
   * services read search attributes once and then from a cache, so after registering any they
   * are started again and all see them at once.
   */
  async start(): Promise<void> {
    await this.startServices();
    if (await this.ensureNamespace()) {
      await this.stop();
      await this.startServices();
    }
  }

  private async startServices(): Promise<void> {
    // History first: on a new database it writes the cluster metadata the others read.
    await this.startService('history');
    await Promise.all(SERVICES.filter((s) => s !== 'history').map((name) => this.startService(name)));
  }

  startService(name: ServiceName): Promise<void> {
    // Temporal's own worker service serves no gRPC; it is up once it listens for membership.
    const port = (name === 'worker' ? this.o.ports.membership : this.o.ports.grpc)[name];
    return this.processes.get(name)!.start({
      check: name === 'frontend' ? () => this.systemInfo() : () => tcpReady(port),
    });
  }

  /** Stops every service: frontend first, so no new work arrives, then the rest. */
  async stop(): Promise<void> {
    await this.processes.get('frontend')!.stop();
    await Promise.all(SERVICES.filter((s) => s !== 'frontend').map((s) => this.processes.get(s)!.stop()));
  }

  service(name: ServiceName): ManagedProcess {
    return this.processes.get(name)!;
  }

  private async systemInfo(): Promise<void> {
    const c = await Connection.connect({ address: this.address, connectTimeout: 1000 });
    try {
      await c.workflowService.getSystemInfo({});
    } finally {
      await c.close();
    }
  }

  /**
   * Registers the namespace and the search attributes, if missing; retried while the frontend's
   * caches catch up. Says whether it registered any search attributes.
   */
  private async ensureNamespace(): Promise<boolean> {
    const c = await Connection.connect({ address: this.address });
    const { namespace, retentionDays } = this.o;
    const once = async () => {
      const known = await c.workflowService.describeNamespace({ namespace }).then(
        () => true,
        () => false,
      );
      if (!known) {
        await c.workflowService
          .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) })
          .catch((err: { code?: number }) => {
            if (err.code !== GRPC_ALREADY_EXISTS) throw err;
          });
      }
      const { customAttributes } = await c.operatorService.listSearchAttributes({ namespace });
      const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !(k.name in (customAttributes ?? {})));
      if (missing.length > 0) {
        await c.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]!])),
        });
      }
      return missing.length > 0;
    };
    try {
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          return await once();
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } finally {
      await c.close();
    }
  }
}
