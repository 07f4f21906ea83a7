import type { ColumnType, Generated } from 'kysely';
import type { AccessEntry } from './accessLog';

/**
 * The record store's tables, as the queries see them: one definition, beside the migrations
 * that make them (store/migrations/).
 */
export interface StoreTables {
  access_log: {
    seq: ColumnType<string | number, number, never>;
    at: ColumnType<Date, Date, never>;
    who_id: string;
    who_roles: ColumnType<string[], string, never>;
    case_id: string;
    what: AccessEntry['what'];
    why: string;
    /** The cases a list or a return read, all in one row (see `AccessEntry.caseIds`). */
    case_ids: string[] | null;
    prev_hash: string | null;
    hash: string;
  };
  archive_record: {
    case_id: string;
    pathway: string;
    closed_at: Date;
    retain_until: Date;
    key_id: string;
    record: Buffer | null;
    archived_at: ColumnType<Date, Date | undefined, never>;
    purged_at: Date | null;
  };
  legal_hold: {
    id: Generated<string>;
    case_id: string;
    reason: string;
    placed_by: string;
    placed_at: Date;
    lifted_by: string | null;
    lifted_at: Date | null;
    lift_reason: string | null;
  };
  purge_log: {
    id: Generated<string>;
    at: Date;
    scheduled_at: Date;
    case_id: string;
    pathway: string;
    retain_until: Date;
  };
  case_facts: {
    case_id: string;
    seq: number;
    pathway: string;
    team: string;
    received_at: Date;
    received_on: string;
    open: boolean;
    state: string;
    named_worker: string | null;
    source: string;
    first_decision: string | null;
    standard_due: string | null;
    standard_met: string | null;
    closed_on: string | null;
    closure_reason: string | null;
    social_care_at_closure: string | null;
    handed_over: boolean | null;
    released_on: string | null;
    engaged_before_release: boolean | null;
    handed_over_before_release: boolean | null;
    contacts_before_release: number | null;
    days_to_first_contact: number | null;
    /** The assessment's outcome code and the UK date it was recorded (migration 004). */
    assessment_outcome: ColumnType<string | null, string | null | undefined, string | null>;
    assessed_on: ColumnType<string | null, string | null | undefined, string | null>;
    facts: ColumnType<unknown, string, string>;
  };
  case_clock: {
    case_id: string;
    idx: number;
    pathway: string;
    team: string;
    open: boolean;
    name: string;
    due: string;
    due_on: string;
    met_at: string | null;
  };
  case_clock_name: { pathway: string; team: string; name: string };
  report_refresh: { id: number; refreshed_at: Date };
  outbox_message: {
    id: string;
    case_id: string | null;
    kind: string;
    created_at: Date;
    key_id: string;
    message: Buffer;
  };
  case_reference: {
    reference: string;
    case_id: string;
    pathway: string;
    allocated_at: ColumnType<Date, Date | undefined, never>;
  };
  reference_counter: { prefix: string; last: number };
  person: { case_id: string; role: string; key_id: string; details: Buffer; updated_at: Date };
  person_key: { case_id: string; role: string; kind: string; digest: string };
  data_folder_import: { name: string; at: Date };
  oversight_signoff: {
    id: Generated<string>;
    case_id: string;
    subject: 'assessment' | 'closure';
    team: string;
    pathway: string;
    signed_by: string;
    signed_at: Date;
    signed_on: string;
    key_id: string | null;
    note: Buffer | null;
  };
}
