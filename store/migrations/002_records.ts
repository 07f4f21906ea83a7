import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What the service keeps beside Temporal: closed cases' archived records with their legal holds
 * and purge log, the report facts, the outbox, the person index and the case references.
 * Personal data is in `bytea` columns sealed with the key ring (security/codec.ts); the columns
 * in the clear hold ids, codes, dates and keyed hashes only.
 */
export const records: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('archive_record')
      .addColumn('case_id', 'text', (c) => c.primaryKey())
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('retain_until', 'timestamptz', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      // Null once purged: the row stays, with ids and dates only.
      .addColumn('record', 'bytea')
      .addColumn('archived_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('purged_at', 'timestamptz')
      .execute();
    await db.schema
      .createIndex('archive_record_due')
      .on('archive_record')
      .column('retain_until')
      .where(sql.ref('purged_at'), 'is', null)
      .execute();

    await db.schema
      .createTable('legal_hold')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('placed_by', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('lifted_by', 'text')
      .addColumn('lifted_at', 'timestamptz')
      .addColumn('lift_reason', 'text')
      .execute();
    // At most one hold in force per case.
    await sql`create unique index legal_hold_in_force on legal_hold (case_id) where lifted_at is null`.execute(
      db,
    );

    await db.schema
      .createTable('purge_log')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('retain_until', 'timestamptz', (c) => c.notNull())
      .execute();

    // One row per case: the facts as written, and what reports count as columns, with the
    // instants' UK dates worked out when the row is written, so a period is an index range.
    await db.schema
      .createTable('case_facts')
      .addColumn('case_id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('received_at', 'timestamptz', (c) => c.notNull())
      .addColumn('received_on', 'date', (c) => c.notNull())
      .addColumn('open', 'boolean', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('named_worker', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('first_decision', 'text')
      // The pathway's decision-standard clock (reports/facts.ts DECISION_STANDARD), if it has one.
      .addColumn('standard_due', 'text')
      .addColumn('standard_met', 'text')
      .addColumn('closed_on', 'date')
      .addColumn('closure_reason', 'text')
      .addColumn('social_care_at_closure', 'text')
      .addColumn('handed_over', 'boolean')
      .addColumn('released_on', 'date')
      .addColumn('engaged_before_release', 'boolean')
      .addColumn('handed_over_before_release', 'boolean')
      .addColumn('contacts_before_release', 'integer')
      .addColumn('days_to_first_contact', 'integer')
      .addColumn('facts', 'jsonb', (c) => c.notNull())
      .execute();
    for (const col of ['received_on', 'closed_on', 'released_on'])
      await db.schema.createIndex(`case_facts_${col}`).on('case_facts').columns(['pathway', col]).execute();
    await sql`create index case_facts_open on case_facts (pathway) where open`.execute(db);
    await db.schema
      .createTable('case_clock')
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('open', 'boolean', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('due', 'text', (c) => c.notNull())
      .addColumn('due_on', 'date', (c) => c.notNull())
      .addColumn('met_at', 'text')
      .addPrimaryKeyConstraint('case_clock_pk', ['case_id', 'idx'])
      .execute();
    await db.schema.createIndex('case_clock_due').on('case_clock').columns(['pathway', 'due_on']).execute();
    // Every clock name a pathway's cases (of a team) have had: each gets a table, even when none falls due.
    await db.schema
      .createTable('case_clock_name')
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_clock_name_pk', ['pathway', 'team', 'name'])
      .execute();
    await db.schema
      .createTable('report_refresh')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('outbox_message')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('message', 'bytea', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outbox_message_case').on('outbox_message').columns(['case_id']).execute();

    await db.schema
      .createTable('case_reference')
      .addColumn('reference', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().unique())
      .addColumn('pathway', 'text', (c) => c.notNull())
      .addColumn('allocated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('reference_counter')
      .addColumn('prefix', 'text', (c) => c.primaryKey())
      .addColumn('last', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('person')
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      // Display name and date of birth, sealed.
      .addColumn('details', 'bytea', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('person_pk', ['case_id', 'role'])
      .execute();
    await db.schema
      .createTable('person_key')
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('person_key_pk', ['case_id', 'role', 'kind'])
      .execute();
    // Files of an earlier version's data folder already moved in (store/importFiles.ts).
    await db.schema
      .createTable('data_folder_import')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('person_key_digest').on('person_key').columns(['digest', 'kind']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of [
      'data_folder_import',
      'person_key',
      'person',
      'reference_counter',
      'case_reference',
      'outbox_message',
      'report_refresh',
      'case_clock_name',
      'case_clock',
      'case_facts',
      'purge_log',
      'legal_hold',
      'archive_record',
    ])
      await db.schema.dropTable(t).execute();
  },
};
