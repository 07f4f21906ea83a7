import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { PathwayId } from '../machines/common/case';
import type { Actor } from '../machines/common/envelope';
import type { KeyRing } from '../security/keys';
import type { AccessLog } from './accessLog';
import { seal, unseal } from './sealed';
import type { Store } from './store';

/** Years a closed case's record is kept after closure (timescales.md), per pathway. */
export const RETENTION_YEARS: Readonly<Record<PathwayId, number>> = Object.freeze({
  parentInfant: 20, // NHS mental health records: 20 years after treatment ends
  frontDoor: 35, // local schedule for child protection records
  reconnect: 20,
  enhancedReconnect: 20,
});

export interface ArchiveEntry {
  caseId: string;
  pathway: PathwayId;
  closedAt: string;
  retainUntil: string;
  keyId: string;
  /** When the record was deleted at the end of its retention; the entry stays, with ids and dates. */
  purgedAt?: string;
}

export interface LegalHold {
  caseId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  lifted?: { by: string; at: string; reason: string };
}

/** A record asked for that the archive does not have, or no longer has. */
export class NotArchivedError extends Error {
  constructor(
    readonly caseId: string,
    readonly purgedAt?: string,
  ) {
    super(
      purgedAt
        ? `the record of case ${caseId} was deleted on ${purgedAt.slice(0, 10)} at the end of its retention period`
        : `no archived record for case ${caseId}`,
    );
  }
}

/** What a hold change refused, in words for the administrator. */
export class HoldError extends Error {}

const binding = (caseId: string) => `archive_record\u0000${caseId}`;
const iso = (d: Date | string) => new Date(d).toISOString();

/** What the archive needs to know about the caller of a hold or a read. */
type Who = Pick<Actor, 'id' | 'role'> & { roles?: readonly string[] };
const rolesOf = (who: Who) => (who.roles ? [...who.roles] : [who.role]);

/**
 * Closed cases outlive the workflow history: each record is kept encrypted in the record store
 * with its retention date, every read is in the access log, and the retention purge skips
 * anything under a legal hold.
 */
export class StoreArchive {
  constructor(
    private readonly db: Store,
    private readonly ring: KeyRing,
    private readonly accessLog: AccessLog,
  ) {}

  /** Keeps a closed case's record. Same case, same content: a retry changes nothing. */
  async put(caseId: string, pathway: PathwayId, closedAt: string, record: unknown): Promise<ArchiveEntry> {
    const retainUntil = DateTime.fromISO(closedAt, { zone: 'utc' })
      .plus({ years: RETENTION_YEARS[pathway] })
      .toISO()!;
    const { keyId, sealed } = seal(this.ring, record, binding(caseId));
    await this.db
      .insertInto('archive_record')
      .values({
        case_id: caseId,
        pathway,
        closed_at: new Date(closedAt),
        retain_until: new Date(retainUntil),
        key_id: keyId,
        record: sealed,
        purged_at: null,
      })
      // A retry of the same closure; a record already purged is never brought back.
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute();
    return (await this.entry(caseId))!;
  }

  async entry(caseId: string): Promise<ArchiveEntry | undefined> {
    const r = await this.db
      .selectFrom('archive_record')
      .select(['case_id', 'pathway', 'closed_at', 'retain_until', 'key_id', 'purged_at'])
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      caseId: r.case_id,
      pathway: r.pathway as PathwayId,
      closedAt: iso(r.closed_at),
      retainUntil: iso(r.retain_until),
      keyId: r.key_id,
      ...(r.purged_at ? { purgedAt: iso(r.purged_at) } : {}),
    };
  }

  /** Reads a record; the read is logged first, so no record is read unlogged. */
  async read(caseId: string, who: Who, why: string): Promise<{ entry: ArchiveEntry; record: unknown }> {
    const row = await this.db
      .selectFrom('archive_record')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!row?.record) throw new NotArchivedError(caseId, row?.purged_at ? iso(row.purged_at) : undefined);
    await this.accessLog.record({ who: { id: who.id, roles: rolesOf(who) }, caseId, what: 'archive', why });
    const entry = (await this.entry(caseId))!;
    return { entry, record: unseal(this.ring, row.key_id, row.record, binding(caseId)) };
  }

  /** Places a legal hold (litigation, an inquiry, a serious case review): the purge skips the case. */
  async hold(caseId: string, who: Who, reason: string, at = new Date()): Promise<LegalHold> {
    if (!reason.trim()) throw new HoldError('a legal hold needs a reason');
    if (await this.holdOf(caseId)) throw new HoldError(`case ${caseId} is already under a legal hold`);
    const entry = await this.entry(caseId);
    if (entry?.purgedAt) throw new HoldError(new NotArchivedError(caseId, entry.purgedAt).message);
    await this.db
      .insertInto('legal_hold')
      .values({
        case_id: caseId,
        reason: reason.trim(),
        placed_by: who.id,
        placed_at: at,
        lifted_by: null,
        lifted_at: null,
        lift_reason: null,
      })
      .execute();
    return (await this.holdOf(caseId))!;
  }

  /** Lifts the hold in force; it stays on record with who lifted it, when and why. */
  async lift(caseId: string, who: Who, reason: string, at = new Date()): Promise<LegalHold> {
    if (!reason.trim()) throw new HoldError('lifting a legal hold needs a reason');
    const result = await this.db
      .updateTable('legal_hold')
      .set({ lifted_by: who.id, lifted_at: at, lift_reason: reason.trim() })
      .where('case_id', '=', caseId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new HoldError(`case ${caseId} is not under a legal hold`);
    return (await this.holds(caseId)).at(-1)!;
  }

  /** The hold in force on a case, if any. */
  async holdOf(caseId: string): Promise<LegalHold | undefined> {
    return (await this.holds(caseId)).find((h) => !h.lifted);
  }

  /** Every hold a case has had, oldest first. */
  async holds(caseId: string): Promise<LegalHold[]> {
    const rows = await this.db
      .selectFrom('legal_hold')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      caseId: r.case_id,
      reason: r.reason,
      placedBy: r.placed_by,
      placedAt: iso(r.placed_at),
      ...(r.lifted_at ? { lifted: { by: r.lifted_by!, at: iso(r.lifted_at), reason: r.lift_reason! } } : {}),
    }));
  }

  /**
   * Deletes every record whose retention date is at or before `at`, except those under a legal
   * hold. Each record goes in its own transaction with its purge-log row (ids and dates only),
   * so a purge interrupted midway is finished by the next run.
   */
  async purge(at: string): Promise<{ purged: string[]; held: string[] }> {
    const due = await this.db
      .selectFrom('archive_record as a')
      .select([
        'a.case_id',
        sql<boolean>`exists (select 1 from legal_hold h where h.case_id = a.case_id and h.lifted_at is null)`.as(
          'held',
        ),
      ])
      .where('a.purged_at', 'is', null)
      .where('a.retain_until', '<=', new Date(at))
      .orderBy('a.case_id')
      .execute();
    const purged: string[] = [];
    for (const { case_id: caseId } of due.filter((d) => !d.held)) {
      const done = await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('archive_record')
          .set({ record: null, purged_at: new Date() })
          .where('case_id', '=', caseId)
          .where('purged_at', 'is', null)
          // Checked again inside the write: a hold placed since the list was read wins.
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('legal_hold')
                  .select('id')
                  .whereRef('legal_hold.case_id', '=', 'archive_record.case_id')
                  .where('lifted_at', 'is', null),
              ),
            ),
          )
          .returning(['pathway', 'retain_until'])
          .executeTakeFirst();
        if (!row) return false;
        // The case's people leave the person index with its record, and sign-off notes are
        // emptied: who signed off and when stay, as the purge log's ids and dates do.
        await trx.deleteFrom('person_key').where('case_id', '=', caseId).execute();
        await trx.deleteFrom('person').where('case_id', '=', caseId).execute();
        await trx
          .updateTable('oversight_signoff')
          .set({ note: null, key_id: null })
          .where('case_id', '=', caseId)
          .execute();
        await trx
          .insertInto('purge_log')
          .values({
            at: new Date(),
            scheduled_at: new Date(at),
            case_id: caseId,
            pathway: row.pathway,
            retain_until: row.retain_until,
          })
          .execute();
        return true;
      });
      if (done) purged.push(caseId);
    }
    return { purged, held: due.filter((d) => d.held).map((d) => d.case_id) };
  }

  /** The purge log: what was deleted and when, never what it said. */
  async purgeLog(): Promise<
    { at: string; scheduledAt: string; caseId: string; pathway: string; retainUntil: string }[]
  > {
    const rows = await this.db.selectFrom('purge_log').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      at: iso(r.at),
      scheduledAt: iso(r.scheduled_at),
      caseId: r.case_id,
      pathway: r.pathway,
      retainUntil: iso(r.retain_until),
    }));
  }
}
