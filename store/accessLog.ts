import { createHmac } from 'node:crypto';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Store } from './store';
import type { StoreTables } from './schema';

/** One read of personal data: who, which case (or consultation), what and why. */
export interface AccessEntry {
  who: { id: string; roles: readonly string[] };
  /** The case (or consultation) read: every read names one, codec decodes included. */
  caseId: string;
  /** Many cases read at once (a list page, a return): `caseId` is then `LIST_READ`. */
  caseIds?: readonly string[];
  what:
    | 'details'
    | 'timeline'
    | 'outbox'
    | 'codec-decode'
    | 'consultation'
    | 'archive'
    | 'access-history'
    | 'person-search'
    | 'sign-off-note'
    | 'list'
    | 'return';
  why: string;
}

/** Where reads are recorded, and found again: the record store's chained log. */
export interface AccessLog {
  record(entry: AccessEntry): Promise<unknown>;
  find(q: AccessQuery): Promise<LoggedAccess[]>;
}

/** A read as logged: the entry, its place in the chain and when it was made. */
export type LoggedAccess = AccessEntry & { seq: number; at: string };

/** The chain's last row, as kept outside the store so that rows removed from the end are found. */
export interface Tail {
  seq: number;
  hash: string;
}

/** What `verify` found: the chain intact, or the first place it breaks. */
export type Verdict =
  | { intact: true; rows: number; tail?: Tail }
  /** The row's contents or its link to the row before are not what was written. */
  | { intact: false; problem: 'altered'; seq: number }
  /** Rows are missing: `from` to `to` inclusive (rows removed). */
  | { intact: false; problem: 'gap'; from: number; to: number };

export interface AccessQuery {
  caseId?: string;
  whoId?: string;
  /** From this instant (inclusive)… */
  from?: Date;
  /** …to this one (exclusive). */
  to?: Date;
  /** Any of these cases (a person's, found through the person index). */
  caseIds?: readonly string[];
  limit?: number;
}

/** Every writer of the log, in any process, takes this lock to add a row, so the chain never forks. */
const TAIL_LOCK = 0x616363657373; // "access"
const PAGE = 1000;

type Row = StoreTables['access_log'];

/** The row as hashed: every column but the hashes, in a fixed order and form. */
function canonical(r: {
  seq: number;
  at: Date;
  who_id: string;
  who_roles: readonly string[];
  case_id: string;
  case_ids?: readonly string[] | null;
  what: string;
  why: string;
}): string {
  const fields = [r.seq, r.at.toISOString(), r.who_id, r.who_roles, r.case_id, r.what, r.why];
  // A row naming many cases hashes them too; a row of one case hashes as rows always have.
  return JSON.stringify(r.case_ids ? [...fields, r.case_ids] : fields);
}

/** The case id of a row that read many cases at once; its cases are in `caseIds`. */
export const LIST_READ = '(list)';

function chain(key: Buffer, prevHash: string | null, row: Parameters<typeof canonical>[0]): string {
  return createHmac('sha256', key)
    .update(`${prevHash ?? ''}\n${canonical(row)}`)
    .digest('hex');
}

function fromRow(r: Omit<Selectable<Row>, 'prev_hash' | 'hash'>): LoggedAccess {
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    who: { id: r.who_id, roles: r.who_roles },
    caseId: r.case_id,
    ...(r.case_ids ? { caseIds: r.case_ids } : {}),
    what: r.what,
    why: r.why,
  };
}

/**
 * Every read of personal data, in the record store: append-only, each row chained to the one
 * before by an HMAC with the key ring's access-log key, so a changed, inserted or removed row is
 * found by `verify`.
 */
export class StoreAccessLog implements AccessLog {
  constructor(
    private readonly db: Store,
    private readonly key: Buffer,
  ) {}

  /** Adds one row at the chain's tail, under a lock every writer takes, in one transaction. */
  async record(entry: AccessEntry): Promise<LoggedAccess> {
    return (await this.db.transaction().execute((trx) => this.appendIn(trx, [entry])))[0]!;
  }

  /**
   * Adds rows at the chain's tail inside the caller's transaction (an import of older logs gives
   * each row the time it was first written).
   */
  async appendIn(
    trx: Transaction<StoreTables>,
    entries: readonly (AccessEntry & { at?: Date })[],
  ): Promise<LoggedAccess[]> {
    await sql`select pg_advisory_xact_lock(${TAIL_LOCK})`.execute(trx);
    const tail = await trx
      .selectFrom('access_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let seq = tail ? Number(tail.seq) : 0;
    let prevHash = tail?.hash ?? null;
    const written: LoggedAccess[] = [];
    for (const entry of entries) {
      const row = {
        seq: ++seq,
        at: entry.at ?? new Date(),
        who_id: entry.who.id,
        who_roles: [...entry.who.roles],
        case_id: entry.caseId,
        case_ids: entry.caseIds ? [...entry.caseIds] : null,
        what: entry.what,
        why: entry.why,
      };
      const hash = chain(this.key, prevHash, row);
      await trx
        .insertInto('access_log')
        .values({ ...row, who_roles: JSON.stringify(row.who_roles), prev_hash: prevHash, hash })
        .execute();
      prevHash = hash;
      written.push(fromRow(row));
    }
    return written;
  }

  /** Reads by case, member of staff and period (any together), oldest first. */
  async find(q: AccessQuery): Promise<LoggedAccess[]> {
    let query = this.db.selectFrom('access_log').selectAll();
    const caseId = q.caseId;
    if (caseId !== undefined)
      query = query.where((eb) =>
        eb.or([eb('case_id', '=', caseId), sql<boolean>`case_ids @> array[${caseId}]::text[]`]),
      );
    if (q.caseIds !== undefined) {
      if (!q.caseIds.length) return [];
      const ids = [...q.caseIds];
      query = query.where((eb) =>
        eb.or([eb('case_id', 'in', ids), sql<boolean>`case_ids && ${ids}::text[]`]),
      );
    }
    if (q.whoId !== undefined) query = query.where('who_id', '=', q.whoId);
    if (q.from) query = query.where('at', '>=', q.from);
    if (q.to) query = query.where('at', '<', q.to);
    const rows = await query
      .orderBy('seq')
      .limit(q.limit ?? PAGE)
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Walks the whole chain from its first row; names the first row that does not hold. Given a
   * tail kept elsewhere earlier, it also finds rows removed from the end, which leave no gap.
   */
  async verify(kept?: Tail): Promise<Verdict> {
    let expected = 1;
    let prevHash: string | null = null;
    let keptFound = false;
    for (;;) {
      const rows = await this.db
        .selectFrom('access_log')
        .selectAll()
        .where('seq', '>=', expected)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq !== expected) return { intact: false, problem: 'gap', from: expected, to: seq - 1 };
        const row = { ...r, seq, at: new Date(r.at) };
        if (r.prev_hash !== prevHash || r.hash !== chain(this.key, prevHash, row))
          return { intact: false, problem: 'altered', seq };
        if (kept && seq === kept.seq) {
          if (r.hash !== kept.hash) return { intact: false, problem: 'altered', seq };
          keptFound = true;
        }
        prevHash = r.hash;
        expected++;
      }
      if (rows.length < PAGE) {
        const count = expected - 1;
        if (kept && !keptFound) return { intact: false, problem: 'gap', from: count + 1, to: kept.seq };
        return { intact: true, rows: count, ...(prevHash ? { tail: { seq: count, hash: prevHash } } : {}) };
      }
    }
  }
}
