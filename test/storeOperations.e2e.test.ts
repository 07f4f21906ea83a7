import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { Client } from 'pg';
import { LocalPostgres } from '../cluster/postgres';
import { RECORD_STORE, RecordStoreDatabase } from '../cluster/recordStore';
import { toolPaths } from '../tools/paths';
import { StoreAccessLog } from '../store/accessLog';
import { APPEND_ONLY_TABLES, openStore, type Store, type StoreConfig } from '../store/store';
import { freePortBlock } from './support/cluster';

// The record store as `npm run cluster` sets it up (cluster/store/setup.sql): its own database,
// an owner that runs the migrations and a service role that only reads and writes rows; and a
// backup and restore with PostgreSQL's own tools, as the README describes them.

const POSTGRES_BIN = process.env.POSTGRES_BIN ?? toolPaths().postgresBin;
const run = promisify(execFile);

const tmp = mkdtempSync(join(tmpdir(), 'reconnect-store-ops-'));
let server: LocalPostgres | undefined;
let records: RecordStoreDatabase;
const open: Store[] = [];

beforeAll(async () => {
  const dir = join(tmp, 'cluster');
  mkdirSync(dir);
  server = new LocalPostgres({ bin: POSTGRES_BIN, dir, port: await freePortBlock(1), logDir: tmp });
  await server.start();
  records = new RecordStoreDatabase(server, dir);
  await records.create();
}, 120_000);

afterAll(async () => {
  await Promise.all(open.splice(0).map((db) => db.destroy()));
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

/** The store as a case process opens it: migrated by the owner, then used as the service role. */
const asService = (): StoreConfig => ({
  kind: 'postgres',
  url: records.url,
  migrateUrl: records.migrationUrl,
});
/** The owner alone (what an administrator restoring a backup signs in as). */
const asOwner = (): StoreConfig => ({ kind: 'postgres', url: records.migrationUrl });

async function store(config: StoreConfig): Promise<Store> {
  const db = await openStore(config);
  open.push(db);
  return db;
}

async function close(db: Store): Promise<void> {
  open.splice(open.indexOf(db), 1);
  await db.destroy();
}

/** A statement as the server's superuser, in `database`. */
async function asSuperuser(statement: string, database = 'postgres'): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port: server!.port,
    user: server!.user,
    password: server!.password,
    database,
  });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** PostgreSQL's own client tools, signed in as the store's owner. */
function ownerTool(tool: string, args: string[]) {
  return run(
    join(POSTGRES_BIN, tool),
    ['-h', '127.0.0.1', '-p', String(server!.port), '-U', RECORD_STORE.owner, ...args],
    {
      env: {
        PATH: process.env.PATH,
        PGPASSWORD: decodeURIComponent(new URL(records.migrationUrl).password),
      },
      timeout: 60_000,
    },
  );
}

const key = randomBytes(32);
const read = (who: string, caseId: string): Parameters<StoreAccessLog['record']>[0] => ({
  who: { id: who, roles: ['supervisor'] },
  caseId,
  what: 'details',
  why: 'supervision',
});

test('setting the database up again changes nothing and loses nothing', async () => {
  const db = await store(asService());
  const log = new StoreAccessLog(db, key);
  const before = (await log.find({})).length;
  await log.record(read('ann', 'case-setup'));
  await records.create();
  expect(await log.find({})).toHaveLength(before + 1);
  await close(db);
});

describe('the service role', () => {
  test('adds to the access log and reads it, but cannot change, remove or empty it: its grants refuse, not only the trigger', async () => {
    const db = await store(asService());
    const log = new StoreAccessLog(db, key);
    await log.record(read('ann', 'case-1'));
    await log.record(read('bob', 'case-1'));
    expect((await log.find({ caseId: 'case-1' })).map((r) => r.who.id)).toEqual(['ann', 'bob']);

    for (const statement of [
      'update access_log set why = $$nothing$$',
      'delete from access_log',
      'truncate access_log',
    ])
      await expect(sql.raw(statement).execute(db)).rejects.toThrow(/permission denied for table access_log/);
    // Nor can it switch the trigger off: only the owner may alter the table.
    await expect(
      sql`alter table access_log disable trigger access_log_append_only`.execute(db),
    ).rejects.toThrow(/must be owner/);
    expect(await log.verify()).toMatchObject({ intact: true });
  });

  test("holds select, insert, update and delete on the store's other tables, and changes no schema", async () => {
    const db = await store(asService());
    const { rows } = await sql<{
      table: string;
      select: boolean;
      insert: boolean;
      update: boolean;
      delete: boolean;
      truncate: boolean;
    }>`
      select tablename as table,
        has_table_privilege(current_user, format('public.%I', tablename), 'select') as select,
        has_table_privilege(current_user, format('public.%I', tablename), 'insert') as insert,
        has_table_privilege(current_user, format('public.%I', tablename), 'update') as update,
        has_table_privilege(current_user, format('public.%I', tablename), 'delete') as delete,
        has_table_privilege(current_user, format('public.%I', tablename), 'truncate') as truncate
      from pg_tables where schemaname = 'public' order by tablename`.execute(db);
    const rights = Object.fromEntries(rows.map(({ table, ...r }) => [table, r]));
    expect(Object.keys(rights)).toEqual(expect.arrayContaining(['access_log', 'kysely_migration']));
    for (const [table, r] of Object.entries(rights)) {
      if ((APPEND_ONLY_TABLES as readonly string[]).includes(table))
        expect({ table, ...r }).toEqual({
          table,
          select: true,
          insert: true,
          update: false,
          delete: false,
          truncate: false,
        });
      else if (table.startsWith('kysely_migration'))
        expect({ table, ...r }).toEqual({
          table,
          select: true,
          insert: false,
          update: false,
          delete: false,
          truncate: false,
        });
      else
        expect({ table, ...r }).toEqual({
          table,
          select: true,
          insert: true,
          update: true,
          delete: true,
          truncate: false,
        });
    }
    await expect(sql`create table notes (body text)`.execute(db)).rejects.toThrow(
      /permission denied for schema public/,
    );
    await expect(sql`drop table access_log`.execute(db)).rejects.toThrow(/must be owner/);
  });

  test("reads and writes a table a later migration makes, through the owner's default privileges", async () => {
    const owner = await store(asOwner());
    await sql`create table later_table (id bigserial primary key, body text not null)`.execute(owner);
    try {
      const db = await store(asService());
      await sql`insert into later_table (body) values ('first')`.execute(db);
      await sql`update later_table set body = 'changed'`.execute(db);
      const { rows } = await sql<{ body: string }>`select body from later_table`.execute(db);
      expect(rows).toEqual([{ body: 'changed' }]);
      await sql`delete from later_table`.execute(db);
    } finally {
      await sql`drop table later_table`.execute(owner);
    }
  });

  test('opens the store on its own once the schema is current, as `npm run store -- verify` may', async () => {
    const db = await store({ kind: 'postgres', url: records.url });
    expect(await new StoreAccessLog(db, key).verify()).toMatchObject({ intact: true });
  });

  test('the trigger still refuses the owner itself', async () => {
    const owner = await store(asOwner());
    await expect(sql`delete from access_log`.execute(owner)).rejects.toThrow(/append-only/);
  });
});

test('a backup with pg_dump, restored with pg_restore into a new database, keeps the access log whole and its grants', async () => {
  const db = await store(asService());
  const log = new StoreAccessLog(db, key);
  for (const c of ['case-7', 'case-8', 'case-9']) await log.record(read('cat', c));
  const written = await log.find({ limit: 10_000 });
  const atDump = (await log.verify()) as { intact: true; rows: number; tail: { seq: number; hash: string } };
  expect(atDump).toMatchObject({ intact: true, rows: written.length, tail: { seq: written.length } });

  const dump = join(tmp, 'records.dump');
  await ownerTool('pg_dump', ['--format=custom', `--file=${dump}`, `--dbname=${RECORD_STORE.database}`]);
  // A read after the backup, which the restore will lose; its tail is kept outside the store.
  await log.record(read('cat', 'case-lost'));
  const afterDump = (await log.verify()) as typeof atDump;
  await close(db);
  // The database lost: dropped with every connection to it, made again empty, and restored.
  await Promise.all(open.splice(0).map((s) => s.destroy()));
  await asSuperuser(`drop database ${RECORD_STORE.database} with (force)`);
  await records.create();
  await ownerTool('pg_restore', [
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${RECORD_STORE.database}`,
    dump,
  ]);

  const restored = new StoreAccessLog(await store(asService()), key);
  expect(await restored.find({ limit: 10_000 })).toEqual(written);
  expect(await restored.verify()).toEqual({ intact: true, rows: written.length, tail: atDump.tail });
  expect(await restored.verify(atDump.tail)).toMatchObject({ intact: true });
  // The tail kept from after the backup names the row the restore lost.
  expect(await restored.verify(afterDump.tail)).toEqual({
    intact: false,
    problem: 'gap',
    from: written.length + 1,
    to: written.length + 1,
  });
  // The chain goes on from the restored tail, and the service role is still refused a change.
  await restored.record(read('dan', 'case-10'));
  expect(await restored.verify()).toMatchObject({ intact: true, rows: written.length + 1 });
  const again = await store(asService());
  await expect(sql`delete from access_log`.execute(again)).rejects.toThrow(
    /permission denied for table access_log/,
  );
});
