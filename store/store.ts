import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type ColumnType } from 'kysely';
import { Pool } from 'pg';
import type { AccessEntry } from '../api/accessLog';
import { migrations } from './migrations';
import { PGliteDialect } from './pgliteDialect';

/** Where the record store lives: PostgreSQL in this process (`npm start`), or a PostgreSQL server. */
export type StoreConfig = { kind: 'embedded'; dir: string } | { kind: 'postgres'; url: string };

/** The store's tables, as the queries see them. */
export interface StoreTables {
  access_log: {
    seq: ColumnType<string | number, number, never>;
    at: ColumnType<Date, Date, never>;
    who_id: string;
    who_roles: ColumnType<string[], string, never>;
    case_id: string;
    what: AccessEntry['what'];
    why: string;
    prev_hash: string | null;
    hash: string;
  };
}
export type Store = Kysely<StoreTables>;

/** `STORE_URL` set: that PostgreSQL database; unset: the embedded one in `<DATA_DIR>/store`. */
export function storeConfigFrom(c: { dataDir: string; STORE_URL?: string | undefined }): StoreConfig {
  return c.STORE_URL
    ? { kind: 'postgres', url: c.STORE_URL }
    : { kind: 'embedded', dir: join(c.dataDir, 'store') };
}

/** Opens the store and brings its schema up to date; the caller destroys it when done. */
export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Store;
  if (config.kind === 'embedded') {
    mkdirSync(config.dir, { recursive: true, mode: 0o700 });
    db = new Kysely<StoreTables>({ dialect: new PGliteDialect(await PGlite.create(config.dir)) });
  } else {
    const pool = new Pool({ connectionString: config.url, max: 10 });
    // An idle connection the server closes (a restart, a fail-over) leaves the pool; the next
    // query opens a new one. Unheard, the pool's error would end the process.
    pool.on('error', () => undefined);
    db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/** Runs every migration not yet run (under the migrator's lock, so processes may start together). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrate(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider: migrations }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `the record store's migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).map((r) => r.migrationName);
}
