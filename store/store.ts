import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrations } from './migrations';
import { PGliteDialect } from './pgliteDialect';
import type { StoreTables } from './schema';

export type { StoreTables } from './schema';

/**
 * Where the record store lives: PostgreSQL in this process (`npm start`), or a PostgreSQL server.
 * On a server, `url` is the service's own role (reads and writes, no DDL) and `migrateUrl`, when
 * given, the schema owner's, used only to run the migrations at start-up.
 */
export type StoreConfig =
  { kind: 'embedded'; dir: string } | { kind: 'postgres'; url: string; migrateUrl?: string };

export type Store = Kysely<StoreTables>;

/**
 * Tables whose rows the service adds and reads but never changes or removes (the access log, the
 * purge log): the service's role holds only select and insert on them, whatever the owner's
 * default privileges grant.
 */
export const APPEND_ONLY_TABLES = ['access_log', 'purge_log'] as const;

/** The migrator's own tables: the service's role may read them (a migration check), not write them. */
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const;

/** Every process that re-applies the service role's grants takes this lock: concurrent grants on one table fail. */
const GRANTS_LOCK = 0x6772616e7473; // "grants"

/**
 * `STORE_URL` set: that PostgreSQL database, migrated through `STORE_MIGRATION_URL` when set;
 * unset: the embedded one in `<DATA_DIR>/store`.
 */
export function storeConfigFrom(c: {
  dataDir: string;
  STORE_URL?: string | undefined;
  STORE_MIGRATION_URL?: string | undefined;
}): StoreConfig {
  if (!c.STORE_URL) return { kind: 'embedded', dir: join(c.dataDir, 'store') };
  return c.STORE_MIGRATION_URL
    ? { kind: 'postgres', url: c.STORE_URL, migrateUrl: c.STORE_MIGRATION_URL }
    : { kind: 'postgres', url: c.STORE_URL };
}

function serverStore(url: string, max: number): Store {
  const pool = new Pool({ connectionString: url, max });
  // An idle connection the server closes (a restart, a fail-over) leaves the pool; the next
  // query opens a new one. Unheard, the pool's error would end the process.
  pool.on('error', () => undefined);
  // So does a connection the server closes while it is checked out between queries (within a
  // transaction): its next query fails, and the pool drops it when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
}

/** The role a connection URL signs in as. */
function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Opens the store and brings its schema up to date; the caller destroys it when done. With a
 * `migrateUrl`, the owner's connection runs the migrations, settles the service role's grants and
 * is closed before the service's own connection opens.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'embedded') {
    mkdirSync(config.dir, { recursive: true, mode: 0o700 });
    return migrated(new Kysely<StoreTables>({ dialect: new PGliteDialect(await PGlite.create(config.dir)) }));
  }
  if (!config.migrateUrl) return migrated(serverStore(config.url, 10));
  const owner = serverStore(config.migrateUrl, 1);
  try {
    await migrate(owner);
    const service = roleOf(config.url);
    if (service && service !== roleOf(config.migrateUrl)) await grantService(owner, service);
  } finally {
    await owner.destroy();
  }
  return serverStore(config.url, 10);
}

async function migrated(db: Store): Promise<Store> {
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/**
 * The service role's rights on the schema as the migrations left it, as its owner: reads and
 * writes on every table (the default privileges grant them on tables made later too), use of the
 * sequences, then select and insert only on the append-only tables and select only on the
 * migrator's. Applied on every start, so a table a migration made is covered before the service
 * uses it, and a restored backup is brought back to them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- run before the schema is known
export async function grantService(owner: Kysely<any>, role: string): Promise<void> {
  const to = sql.id(role);
  const tables = (names: readonly string[]) => sql.join(names.map((n) => sql.id(n)));
  await owner.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${GRANTS_LOCK})`.execute(trx);
    await sql`grant usage on schema public to ${to}`.execute(trx);
    await sql`grant select, insert, update, delete on all tables in schema public to ${to}`.execute(trx);
    await sql`grant usage, select on all sequences in schema public to ${to}`.execute(trx);
    await sql`revoke update, delete, truncate on ${tables(APPEND_ONLY_TABLES)} from ${to}`.execute(trx);
    await sql`revoke insert, update, delete, truncate on ${tables(MIGRATION_TABLES)} from ${to}`.execute(trx);
  });
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
