import { sql, type Insertable, type Transaction } from 'kysely';
import { localDateOf } from '../calendar/calendar';
import { DECISION_STANDARD, type CaseFacts } from '../reports/facts';
import {
  CONTINUITY_DAYS,
  releaseDayOf,
  type ReportOptions,
  type ReportTallies,
  type Tally,
} from '../reports/report';
import type { FactStore } from '../reports/store';
import type { StoreTables } from './schema';
import type { Store } from './store';

/** Where a case stands, from its last facts written. */
export interface CaseStanding {
  pathway: string;
  team: string;
  namedWorker?: string;
  open: boolean;
}

/** One group of a report's counts, as the queries return it. */
interface Group {
  k: string | null;
  n: string | number;
}

/** The columns reports count, from a case's facts; instants' UK dates worked out here. */
function rowOf(f: CaseFacts): Insertable<StoreTables['case_facts']> {
  const standard = DECISION_STANDARD[f.pathway];
  const clock = standard ? f.clocks.find((c) => c.name === standard) : undefined;
  return {
    case_id: f.caseId,
    seq: f.seq,
    pathway: f.pathway,
    team: f.team,
    received_at: new Date(f.receivedAt),
    received_on: localDateOf(f.receivedAt),
    open: f.open,
    state: f.state,
    named_worker: f.namedWorker ?? null,
    source: f.source,
    first_decision: f.firstDecision?.outcome ?? null,
    standard_due: clock?.due ?? null,
    standard_met: clock?.metAt ?? null,
    closed_on: f.closure ? localDateOf(f.closure.at) : null,
    closure_reason: f.closure?.reason ?? null,
    social_care_at_closure: f.outcome?.socialCareAtClosure ?? null,
    handed_over: f.outcome?.handedOver ?? null,
    released_on: releaseDayOf(f) ?? null,
    engaged_before_release: f.outcome?.engagedBeforeRelease ?? null,
    handed_over_before_release: f.outcome?.handedOverBeforeRelease ?? null,
    contacts_before_release: f.outcome?.contactsBeforeRelease ?? null,
    days_to_first_contact: f.outcome?.daysToFirstCommunityContact ?? null,
    assessment_outcome: f.assessment?.outcome ?? null,
    assessed_on: f.assessment ? localDateOf(f.assessment.at) : null,
    facts: JSON.stringify(f),
  };
}

/** Every column a later write of a case's facts replaces. */
const COLUMNS = [
  'seq',
  'pathway',
  'team',
  'received_at',
  'received_on',
  'open',
  'state',
  'named_worker',
  'source',
  'first_decision',
  'standard_due',
  'standard_met',
  'closed_on',
  'closure_reason',
  'social_care_at_closure',
  'handed_over',
  'released_on',
  'engaged_before_release',
  'handed_over_before_release',
  'contacts_before_release',
  'days_to_first_contact',
  'assessment_outcome',
  'assessed_on',
  'facts',
] as const;

const tallyOf = (rows: readonly Group[]): Tally =>
  new Map(rows.filter((r) => r.k !== null).map((r) => [r.k!, Number(r.n)]));

/**
 * Report facts in the record store: one row per case, the newest sequence kept, with what
 * reports count as indexed columns (and each clock as a row), so a report reads only the rows
 * of its period. Its counts must agree with `talliesOf` (reports/report.ts).
 */
export class StoreFactStore implements FactStore {
  constructor(private readonly db: Store) {}

  async put(f: CaseFacts): Promise<void> {
    await this.putMany([f]);
  }

  /** Writes many cases' facts in one transaction (a bulk load, an import); one case once. */
  async putMany(all: readonly CaseFacts[]): Promise<void> {
    if (!all.length) return;
    // Within a caller's transaction (an import), in it; otherwise in one of its own.
    const inTransaction = (work: (trx: Transaction<StoreTables>) => Promise<void>) =>
      this.db.isTransaction ? work(this.db as Transaction<StoreTables>) : this.db.transaction().execute(work);
    await inTransaction(async (trx) => {
      const written = new Set(
        (
          await trx
            .insertInto('case_facts')
            .values(all.map(rowOf))
            // A retry or a replayed write of an older sequence never overwrites a newer one.
            .onConflict((oc) =>
              oc
                .column('case_id')
                .doUpdateSet(
                  (eb) =>
                    Object.fromEntries(COLUMNS.map((col) => [col, eb.ref(`excluded.${col}`)])) as Record<
                      (typeof COLUMNS)[number],
                      never
                    >,
                )
                .where('case_facts.seq', '<=', (eb) => eb.ref('excluded.seq')),
            )
            .returning('case_id')
            .execute()
        ).map((r) => r.case_id),
      );
      const changed = all.filter((f) => written.has(f.caseId));
      if (!changed.length) return;
      await trx
        .deleteFrom('case_clock')
        .where(
          'case_id',
          'in',
          changed.map((f) => f.caseId),
        )
        .execute();
      const clocks = changed.flatMap((f) =>
        f.clocks.map((c, idx) => ({
          case_id: f.caseId,
          idx,
          pathway: f.pathway,
          team: f.team,
          open: f.open,
          name: c.name,
          due: c.due,
          due_on: localDateOf(c.due),
          met_at: c.metAt ?? null,
        })),
      );
      if (!clocks.length) return;
      await trx.insertInto('case_clock').values(clocks).execute();
      const names = new Map(clocks.map((c) => [`${c.pathway}\u0000${c.team}\u0000${c.name}`, c]));
      await trx
        .insertInto('case_clock_name')
        .values([...names.values()].map((c) => ({ pathway: c.pathway, team: c.team, name: c.name })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }

  async all(): Promise<CaseFacts[]> {
    const rows = await this.db
      .selectFrom('case_facts')
      .select('facts')
      .orderBy('received_at')
      .orderBy('case_id')
      .execute();
    return rows.map((r) => r.facts as CaseFacts);
  }

  /**
   * Where many cases stand, from their facts (pathway, team, named worker, open): enough to tell
   * who may see them without asking each case. Cases with no facts are not in the map.
   */
  async standing(caseIds: readonly string[]): Promise<Map<string, CaseStanding>> {
    if (!caseIds.length) return new Map();
    const rows = await this.db
      .selectFrom('case_facts')
      .select(['case_id', 'pathway', 'team', 'named_worker', 'open'])
      .where('case_id', 'in', [...caseIds])
      .execute();
    return new Map(
      rows.map((r) => [
        r.case_id,
        {
          pathway: r.pathway,
          team: r.team,
          open: r.open,
          ...(r.named_worker ? { namedWorker: r.named_worker } : {}),
        },
      ]),
    );
  }

  async noteRefresh(at: string): Promise<void> {
    await this.db
      .insertInto('report_refresh')
      .values({ id: 1, refreshed_at: new Date(at) })
      .onConflict((oc) => oc.column('id').doUpdateSet({ refreshed_at: new Date(at) }))
      .execute();
  }

  async lastRefresh(): Promise<string | undefined> {
    const r = await this.db.selectFrom('report_refresh').select('refreshed_at').executeTakeFirst();
    return r ? new Date(r.refreshed_at).toISOString() : undefined;
  }

  async tallies(o: ReportOptions): Promise<ReportTallies> {
    const teams = o.teams ? [...o.teams] : null;
    const scope = sql`pathway = ${o.pathway} and (${teams}::text[] is null or team = any(${teams}::text[]))`;
    const within = (col: string) => sql`${sql.ref(col)} between ${o.from}::date and ${o.to}::date`;
    // A clock's standing now, as `clockStatus`: ISO instants compare as text, as there.
    const status = (due: string, met: string) => sql`case
        when ${sql.ref(met)} is not null then case when ${sql.ref(met)} <= ${sql.ref(due)} then 'metInTime' else 'metLate' end
        when not open or ${o.now} > ${sql.ref(due)} then 'missed'
        else 'running' end`;
    const yesNo = (col: string) => sql`case when ${sql.ref(col)} then 'yes' else 'no' end`;
    /** Counts of each key over the pathway's rows that match, one statement per table. */
    const group = async (key: ReturnType<typeof sql>, where: ReturnType<typeof sql>, from = 'case_facts') =>
      tallyOf(
        (
          await sql<Group>`select ${key} k, count(*) n from ${sql.table(from)} where ${scope} and ${where} group by 1`.execute(
            this.db,
          )
        ).rows,
      );
    const received = within('received_on');
    const closed = within('closed_on');
    const released = within('released_on');
    /** Whether the case's subject is signed off (oversight_signoff), as `talliesOf` keys it. */
    const signedOff = (subject: string) => sql`${subject} || '|' || case when exists (
        select 1 from oversight_signoff s where s.case_id = case_facts.case_id and s.subject = ${subject}
      ) then 'signed' else 'awaiting' end`;
    const quarter = (col: string) => sql`to_char(date_trunc('quarter', ${sql.ref(col)}), 'YYYY-MM')`;
    const [cases, names, clockRows, medians] = await Promise.all([
      sql<{ n: string }>`select count(*) n from case_facts where ${scope}`.execute(this.db),
      sql<{ name: string }>`select distinct name from case_clock_name where ${scope}`.execute(this.db),
      sql<{ name: string; k: string; n: string }>`select name, ${status('due', 'met_at')} k, count(*) n
        from case_clock where ${scope} and ${within('due_on')} group by 1, 2`.execute(this.db),
      sql<{ q: string | null; m: number; n: string }>`select ${quarter('released_on')} q,
          percentile_cont(0.5) within group (order by days_to_first_contact) m, count(*) n
        from case_facts where ${scope} and ${released} and days_to_first_contact is not null
        group by grouping sets ((1), ())`.execute(this.db),
    ]);
    const clocks = new Map<string, Tally>(names.rows.map((r) => [r.name, new Map<string, number>()]));
    for (const r of clockRows.rows) clocks.get(r.name)?.set(r.k, Number(r.n));
    // Each table's counts by one statement, run side by side on the server's connections.
    const [
      referralsBySource,
      firstDecisions,
      decisionAgainstStandard,
      closuresByReason,
      socialCareAtClosure,
      engagedBeforeRelease,
      handedOverBeforeRelease,
      handedOverAtClosure,
      caseloadByState,
      caseloadByWorker,
      continuityReleased,
      firstContactWithin21Days,
      twoContactsBeforeRelease,
      handedOverBeforeReleaseByQuarter,
      supportEnded,
      oversightAssessed,
      oversightClosed,
    ] = await Promise.all([
      group(sql`source`, received),
      group(
        sql`coalesce(first_decision, case when open then 'awaitingDecision' else 'closedBeforeDecision' end)`,
        received,
      ),
      group(
        sql`case when standard_due is null then null else ${status('standard_due', 'standard_met')} end`,
        received,
      ),
      group(sql`closure_reason`, closed),
      group(sql`social_care_at_closure`, closed),
      group(yesNo('engaged_before_release'), released),
      group(yesNo('handed_over_before_release'), released),
      group(yesNo('handed_over'), closed),
      group(sql`state`, sql`open`),
      group(sql`coalesce(named_worker, '(none)')`, sql`open`),
      group(quarter('released_on'), released),
      group(quarter('released_on'), sql`${released} and days_to_first_contact <= ${CONTINUITY_DAYS}`),
      group(quarter('released_on'), sql`${released} and coalesce(contacts_before_release, 0) >= 2`),
      group(quarter('released_on'), sql`${released} and handed_over_before_release`),
      group(
        sql`${quarter('closed_on')} || '|' || case
          when closure_reason = 'needsMet' then 'needsMet'
          when closure_reason in ('sixMonthLimitReached', 'twelveMonthLimitReached', 'extensionEnded') then 'limitReached'
          when closure_reason = 'disengaged' then 'disengaged'
          else 'other' end`,
        sql`${closed} and closure_reason is not null`,
      ),
      group(signedOff('assessment'), sql`${within('assessed_on')} and assessment_outcome is not null`),
      group(signedOff('closure'), closed),
    ]);
    return {
      cases: Number(cases.rows[0]?.n ?? 0),
      referralsBySource,
      firstDecisions,
      decisionAgainstStandard,
      clocks,
      closuresByReason,
      socialCareAtClosure,
      engagedBeforeRelease,
      handedOverBeforeRelease,
      handedOverAtClosure,
      caseloadByState,
      caseloadByWorker,
      continuity: {
        released: continuityReleased,
        firstContactWithin21Days,
        twoContactsBeforeRelease,
        handedOverBeforeRelease: handedOverBeforeReleaseByQuarter,
        // The grouping set of every quarter together comes back with no quarter: the whole period.
        medianDays: new Map(
          medians.rows
            .filter((r) => Number(r.n) > 0)
            .map((r) => [r.q ?? 'all', { median: Number(r.m), of: Number(r.n) }]),
        ),
      },
      supportEnded,
      oversight: new Map([...oversightAssessed, ...oversightClosed]),
    };
  }
}
