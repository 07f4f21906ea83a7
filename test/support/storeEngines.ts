import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LocalPostgres } from '../../cluster/postgres';
import type { StoreConfig } from '../../store/store';
import { toolPaths } from '../../tools/paths';
import { freePort } from './service';

// The cluster's PostgreSQL, as setup found or installed it (tools.json).
const POSTGRES_BIN = toolPaths().postgresBin;

/** An engine gives each test a store of its own, empty; `openStore` migrates it. */
export interface StoreEngine {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  fresh(): Promise<StoreConfig>;
}

/**
 * The record store's two engines, for tests that must pass on both: PostgreSQL embedded in the
 * process (PGlite), as `npm start` runs it, and a PostgreSQL 15 server, as the cluster does.
 */
export function storeEngines(): StoreEngine[] {
  const tmp = mkdtempSync(join(tmpdir(), 'reconnect-store-'));
  let counter = 0;
  let server: LocalPostgres | undefined;
  let admin = '';
  const embedded: StoreEngine = {
    name: 'embedded (PGlite)',
    start: async () => undefined,
    stop: async () => rmSync(tmp, { recursive: true, force: true }),
    fresh: async () => ({ kind: 'embedded', dir: join(tmp, `embedded-${++counter}`) }),
  };
  const postgres: StoreEngine = {
    name: 'PostgreSQL 15',
    async start() {
      const dir = join(tmp, 'cluster');
      mkdirSync(dir, { recursive: true });
      const port = await freePort();
      server = new LocalPostgres({ bin: POSTGRES_BIN, dir, port, logDir: tmp });
      await server.start();
      admin = `postgres://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${port}`;
    },
    async stop() {
      await server?.stop();
    },
    async fresh() {
      const name = `records_${++counter}`;
      const client = new Client({ connectionString: `${admin}/postgres` });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      return { kind: 'postgres', url: `${admin}/${name}` };
    },
  };
  return [embedded, postgres];
}
