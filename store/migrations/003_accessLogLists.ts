import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A list page, or a return, reads many cases at once: one access-log row names them all. Rows
 * written before have none, and their hashes are unchanged (the chain takes the cases only when
 * a row has them).
 */
export const accessLogLists: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('access_log')
      .addColumn('case_ids', sql`text[]`)
      .execute();
    await sql`create index access_log_case_ids on access_log using gin (case_ids)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('access_log').dropColumn('case_ids').execute();
  },
};
