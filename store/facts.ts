import { sql } from 'kysely';
import { ZONE } from '../calendar/calendar';
import { DECISION_STANDARD, type CaseFacts } from '../reports/facts';
import type { ReportOptions, ReportTallies, Tally } from '../reports/report';
import type { FactStore } from '../reports/store';
import type { Store } from './store';

/** One group of a report's counts, as the query returns it. */
interface Group {
  tbl: string;
  name: string | null;
  k: string | null;
  n: string | number;
}

/**
 * Report facts in the record store: one row per case, the newest sequence kept. Reports are
 * counted in SQL, in one pass over the pathway's rows, and must agree with `talliesOf`.
 */
export class StoreFactStore implements FactStore {
  constructor(private readonly db: Store) {}

  async put(f: CaseFacts): Promise<void> {
    const row = {
      case_id: f.caseId,
      seq: f.seq,
      pathway: f.pathway,
      team: f.team,
      received_at: new Date(f.receivedAt),
      open: f.open,
      facts: JSON.stringify(f),
    };
    await this.db
      .insertInto('case_facts')
      .values(row)
      // A retry or a replayed write of an older sequence never overwrites a newer one.
      .onConflict((oc) =>
        oc
          .column('case_id')
          .doUpdateSet({
            seq: (eb) => eb.ref('excluded.seq'),
            pathway: (eb) => eb.ref('excluded.pathway'),
            team: (eb) => eb.ref('excluded.team'),
            received_at: (eb) => eb.ref('excluded.received_at'),
            open: (eb) => eb.ref('excluded.open'),
            facts: (eb) => eb.ref('excluded.facts'),
          })
          .where('case_facts.seq', '<=', (eb) => eb.ref('excluded.seq')),
      )
      .execute();
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
    const standard = DECISION_STANDARD[o.pathway] ?? null;
    const teams = o.teams ? [...o.teams] : null;
    // A local (UK) date of an ISO instant held in the facts, as `within` in reports/report.ts.
    const day = (e: ReturnType<typeof sql>) => sql`((${e})::timestamptz at time zone ${ZONE})::date`;
    const within = (e: ReturnType<typeof sql>) =>
      sql`(${e} is not null and ${day(e)} between ${o.from}::date and ${o.to}::date)`;
    // A clock's standing now, as `clockStatus`: ISO instants compare as text, as there.
    const status = (c: ReturnType<typeof sql>, open: ReturnType<typeof sql>) => sql`case
        when ${c}->>'metAt' is not null then case when ${c}->>'metAt' <= ${c}->>'due' then 'metInTime' else 'metLate' end
        when not ${open} or ${o.now} > ${c}->>'due' then 'missed'
        else 'running' end`;
    const yesNo = (e: ReturnType<typeof sql>) => sql`case when (${e})::boolean then 'yes' else 'no' end`;
    const received = within(sql`f.facts->>'receivedAt'`);
    const closed = within(sql`f.facts->'closure'->>'at'`);
    const released = within(sql`f.facts->'outcome'->>'releasedAt'`);
    const { rows } = await sql<Group>`
      with f as materialized (
        select facts, open from case_facts
        where pathway = ${o.pathway} and (${teams}::text[] is null or team = any(${teams}::text[]))
      ),
      c as (
        select f.open, e.c, e.i from f cross join lateral jsonb_array_elements(f.facts->'clocks') with ordinality e(c, i)
      )
      select 'cases' tbl, null name, null k, count(*) n from f
      union all
      select 'referralsBySource', null, f.facts->>'source', count(*) from f where ${received} group by 3
      union all
      select 'firstDecisions', null,
        coalesce(f.facts->'firstDecision'->>'outcome', case when f.open then 'awaitingDecision' else 'closedBeforeDecision' end),
        count(*) from f where ${received} group by 3
      union all
      select 'decisionAgainstStandard', null, ${status(sql`s.c`, sql`f.open`)}, count(*)
        from f cross join lateral (
          select e.c from jsonb_array_elements(f.facts->'clocks') with ordinality e(c, i)
          where e.c->>'name' = ${standard} order by e.i limit 1
        ) s
        where ${received} group by 3
      union all
      select 'clockName', c.c->>'name', null, 0 from c group by 2
      union all
      select 'clock', c.c->>'name', ${status(sql`c.c`, sql`c.open`)}, count(*) from c
        where ${within(sql`c.c->>'due'`)} group by 2, 3
      union all
      select 'closuresByReason', null, f.facts->'closure'->>'reason', count(*) from f where ${closed} group by 3
      union all
      select 'socialCareAtClosure', null, f.facts->'outcome'->>'socialCareAtClosure', count(*)
        from f where ${closed} group by 3
      union all
      select 'engagedBeforeRelease', null, ${yesNo(sql`f.facts->'outcome'->>'engagedBeforeRelease'`)}, count(*)
        from f where ${released} group by 3
      union all
      select 'handedOverBeforeRelease', null, ${yesNo(sql`f.facts->'outcome'->>'handedOverBeforeRelease'`)}, count(*)
        from f where ${released} group by 3
      union all
      select 'handedOverAtClosure', null, ${yesNo(sql`f.facts->'outcome'->>'handedOver'`)}, count(*)
        from f where ${closed} group by 3
      union all
      select 'caseloadByState', null, f.facts->>'state', count(*) from f where f.open group by 3
      union all
      select 'caseloadByWorker', null, coalesce(f.facts->>'namedWorker', '(none)'), count(*) from f where f.open group by 3
    `.execute(this.db);
    const t = new Map<string, Tally>();
    const clocks = new Map<string, Tally>();
    let cases = 0;
    for (const r of rows) {
      const n = Number(r.n);
      if (r.tbl === 'cases') cases = n;
      else if (r.tbl === 'clockName') clocks.set(r.name!, clocks.get(r.name!) ?? new Map<string, number>());
      else if (r.tbl === 'clock') {
        const m = clocks.get(r.name!) ?? new Map<string, number>();
        m.set(r.k!, n);
        clocks.set(r.name!, m);
      } else if (r.k !== null) {
        const m = t.get(r.tbl) ?? new Map<string, number>();
        m.set(r.k, n);
        t.set(r.tbl, m);
      }
    }
    const of = (id: string): Tally => t.get(id) ?? new Map<string, number>();
    return {
      cases,
      referralsBySource: of('referralsBySource'),
      firstDecisions: of('firstDecisions'),
      decisionAgainstStandard: of('decisionAgainstStandard'),
      clocks,
      closuresByReason: of('closuresByReason'),
      socialCareAtClosure: of('socialCareAtClosure'),
      engagedBeforeRelease: of('engagedBeforeRelease'),
      handedOverBeforeRelease: of('handedOverBeforeRelease'),
      handedOverAtClosure: of('handedOverAtClosure'),
      caseloadByState: of('caseloadByState'),
      caseloadByWorker: of('caseloadByWorker'),
    };
  }
}
