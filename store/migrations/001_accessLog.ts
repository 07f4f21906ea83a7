import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The access log: one row per read of personal data, each chained to the one before by a keyed
 * hash. `seq` is given under a lock by the writer (not a sequence, whose numbers a rolled-back
 * write would skip), so a missing number always means a missing row. Rows are never changed or
 * removed: a trigger refuses it, whoever asks.
 */
export const accessLog: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('access_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('who_id', 'text', (c) => c.notNull())
      .addColumn('who_roles', 'jsonb', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('what', 'text', (c) => c.notNull())
      .addColumn('why', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text')
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_log_case').on('access_log').columns(['case_id', 'seq']).execute();
    await db.schema.createIndex('access_log_who').on('access_log').columns(['who_id', 'seq']).execute();
    await db.schema.createIndex('access_log_at').on('access_log').column('at').execute();
    await sql`
      create function access_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'the access log is append-only';
      end
      $$`.execute(db);
    await sql`
      create trigger access_log_append_only before update or delete on access_log
      for each row execute function access_log_refuse_change()`.execute(db);
    await sql`
      create trigger access_log_no_truncate before truncate on access_log
      for each statement execute function access_log_refuse_change()`.execute(db);
    await sql`revoke update, delete, truncate on access_log from public`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('access_log').execute();
    await sql`drop function access_log_refuse_change()`.execute(db);
  },
};
