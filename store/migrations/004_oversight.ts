import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Management oversight: a supervisor's sign-off of a case's assessment outcome and of its
 * closure, one of each per case at most, with who and when, and an optional note sealed like
 * other personal text. Sign-offs outlive the case's workflow (a closure is signed off after it
 * has ended), so they are kept here. The report facts gain the assessment's outcome and UK date,
 * so the cases awaiting sign-off are an index range.
 */
export const oversight: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('case_facts')
      .addColumn('assessment_outcome', 'text')
      .addColumn('assessed_on', 'date')
      .execute();
    await sql`create index case_facts_assessed on case_facts (team, assessed_on) where assessment_outcome is not null`.execute(
      db,
    );
    await sql`create index case_facts_closed on case_facts (team, closed_on) where closed_on is not null`.execute(
      db,
    );
    await db.schema
      .createTable('oversight_signoff')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull().check(sql`subject in ('assessment', 'closure')`))
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('signed_by', 'text', (c) => c.notNull())
      .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('signed_on', 'date', (c) => c.notNull())
      // The note, sealed; null when none was given, or once the case's record is purged.
      .addColumn('key_id', 'text')
      .addColumn('note', 'bytea')
      .addUniqueConstraint('oversight_signoff_once', ['case_id', 'subject'])
      .execute();
    await db.schema
      .createIndex('oversight_signoff_signed_on')
      .on('oversight_signoff')
      .columns(['pathway', 'signed_on'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('oversight_signoff').execute();
    await sql`drop index case_facts_closed`.execute(db);
    await sql`drop index case_facts_assessed`.execute(db);
    await db.schema
      .alterTable('case_facts')
      .dropColumn('assessed_on')
      .dropColumn('assessment_outcome')
      .execute();
  },
};
