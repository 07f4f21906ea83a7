import { DateTime } from 'luxon';
import { localDateOf, ZONE } from '../calendar/calendar';
import type { PathwayId } from '../machines/common/case';
import { codeName, pathwayName, stateName } from '../machines/plainEnglish';
import { DECISION_STANDARD, type CaseFacts } from './facts';

/** Counts from 1 to 4 are not published, as official statistics do. */
export const SUPPRESS_BELOW = 5;

/** A published count, or `null` where it is suppressed. */
export type Cell = number | null;

export interface ReportTable {
  id: string;
  title: string;
  /** What is counted, in words. */
  counts: string;
  rows: { key: string; label: string; value: Cell }[];
  total: Cell;
  /** Rows worth a chart: categories, not a single figure. */
  chart: boolean;
}

export interface ServiceReport {
  pathway: PathwayId;
  pathwayName: string;
  from: string;
  to: string;
  generatedAt: string;
  cases: number;
  tables: ReportTable[];
}

export interface ReportOptions {
  pathway: PathwayId;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  now: string;
  /** Only these teams' cases (need-to-know); absent: every team. */
  teams?: readonly string[];
}

export type Tally = Map<string, number>;

function tally<T>(items: readonly T[], keyOf: (t: T) => string | undefined): Tally {
  const m: Tally = new Map();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/**
 * A table's published cells. Counts under 5 are suppressed; where only one cell would be, the
 * next smallest is too, so no suppressed count can be worked out from the total.
 */
export function suppress(counts: readonly number[]): Cell[] {
  const small = (n: number) => n > 0 && n < SUPPRESS_BELOW;
  const cells: Cell[] = counts.map((n) => (small(n) ? null : n));
  if (cells.filter((c) => c === null).length === 1) {
    const next = counts
      .map((n, i) => ({ n, i }))
      .filter(({ n, i }) => n > 0 && cells[i] !== null)
      .sort((a, b) => a.n - b.n)[0];
    if (next) cells[next.i] = null;
  }
  return cells;
}

function table(
  id: string,
  title: string,
  counts: string,
  t: Tally,
  label: (key: string) => string,
  chart = true,
): ReportTable {
  const keys = [...t.keys()].sort((a, b) => t.get(b)! - t.get(a)! || a.localeCompare(b));
  const cells = suppress(keys.map((k) => t.get(k)!));
  const total = [...t.values()].reduce((a, b) => a + b, 0);
  return {
    id,
    title,
    counts,
    rows: keys.map((key, i) => ({ key, label: label(key), value: cells[i]! })),
    total: total > 0 && total < SUPPRESS_BELOW ? null : total,
    chart,
  };
}

const within = (iso: string | undefined, o: ReportOptions) =>
  !!iso && localDateOf(iso) >= o.from && localDateOf(iso) <= o.to;

/** A clock's standing now: met in time, met late, missed (overdue or closed unmet), or running. */
function clockStatus(c: CaseFacts['clocks'][number], f: CaseFacts, now: string): string {
  if (c.metAt) return c.metAt <= c.due ? 'metInTime' : 'metLate';
  if (!f.open || now > c.due) return 'missed';
  return 'running';
}

const CLOCK_STATUS_NAMES: Record<string, string> = {
  metInTime: 'Met in time',
  metLate: 'Met late',
  missed: 'Missed',
  running: 'Not yet due',
};

const yesNo = (v: boolean | undefined) => (v ? 'yes' : 'no');

/**
 * What a report counts, before suppression: one tally per table. Computed from facts in memory
 * here (`talliesOf`), and in SQL by the record store (store/facts.ts), which must agree.
 */
export interface ReportTallies {
  /** Cases of the pathway (and teams) the report covers. */
  cases: number;
  referralsBySource: Tally;
  firstDecisions: Tally;
  /** The status of the pathway's decision standard clock, for referrals received. */
  decisionAgainstStandard: Tally;
  /** Every clock name the cases have, with the statuses of those due in the period. */
  clocks: Map<string, Tally>;
  closuresByReason: Tally;
  socialCareAtClosure: Tally;
  engagedBeforeRelease: Tally;
  handedOverBeforeRelease: Tally;
  handedOverAtClosure: Tally;
  caseloadByState: Tally;
  caseloadByWorker: Tally;
}

/** The tallies of a report from the cases' facts. */
export function talliesOf(all: readonly CaseFacts[], o: ReportOptions): ReportTallies {
  const facts = all.filter((f) => f.pathway === o.pathway && (!o.teams || o.teams.includes(f.team)));
  const received = facts.filter((f) => within(f.receivedAt, o));
  const closed = facts.filter((f) => within(f.closure?.at, o));
  const open = facts.filter((f) => f.open);
  const released = facts.filter((f) => within(f.outcome?.releasedAt, o));
  const standard = DECISION_STANDARD[o.pathway];
  const clockNames = [...new Set(facts.flatMap((f) => f.clocks.map((c) => c.name)))];
  return {
    cases: facts.length,
    referralsBySource: tally(received, (f) => f.source),
    firstDecisions: tally(
      received,
      (f) => f.firstDecision?.outcome ?? (f.open ? 'awaitingDecision' : 'closedBeforeDecision'),
    ),
    decisionAgainstStandard: tally(received, (f) => {
      const c = standard ? f.clocks.find((x) => x.name === standard) : undefined;
      return c ? clockStatus(c, f, o.now) : undefined;
    }),
    clocks: new Map(
      clockNames.map((name) => [
        name,
        tally(
          facts.flatMap((f) =>
            f.clocks.filter((c) => c.name === name && within(c.due, o)).map((c) => clockStatus(c, f, o.now)),
          ),
          (s) => s,
        ),
      ]),
    ),
    closuresByReason: tally(closed, (f) => f.closure?.reason),
    socialCareAtClosure: tally(closed, (f) => f.outcome?.socialCareAtClosure),
    engagedBeforeRelease: tally(released, (f) => yesNo(f.outcome?.engagedBeforeRelease)),
    handedOverBeforeRelease: tally(released, (f) => yesNo(f.outcome?.handedOverBeforeRelease)),
    handedOverAtClosure: tally(closed, (f) => yesNo(f.outcome?.handedOver)),
    caseloadByState: tally(open, (f) => f.state),
    caseloadByWorker: tally(open, (f) => f.namedWorker ?? '(none)'),
  };
}

/** The service report for one pathway and period, from the cases' facts alone. */
export function buildReport(all: readonly CaseFacts[], o: ReportOptions): ServiceReport {
  return assembleReport(talliesOf(all, o), o);
}

/** The published report from its tallies: the tables, their labels and the suppression. */
export function assembleReport(t: ReportTallies, o: ReportOptions): ServiceReport {
  const tables: ReportTable[] = [
    table(
      'referralsBySource',
      'Referrals by source',
      'referrals received in the period',
      t.referralsBySource,
      codeName,
    ),
    table(
      'firstDecisions',
      'First decision on the referral',
      'referrals received in the period',
      t.firstDecisions,
      (k) =>
        k === 'awaitingDecision'
          ? 'No decision yet'
          : k === 'closedBeforeDecision'
            ? 'Closed before a decision'
            : codeName(k),
    ),
  ];
  const standard = DECISION_STANDARD[o.pathway];
  if (standard) {
    tables.push(
      table(
        'decisionAgainstStandard',
        `Time to first decision: ${codeName(standard)}`,
        'referrals received in the period',
        t.decisionAgainstStandard,
        (k) => CLOCK_STATUS_NAMES[k] ?? k,
      ),
    );
  }
  for (const name of [...t.clocks.keys()].sort()) {
    if (name === standard) continue;
    tables.push(
      table(
        `clock:${name}`,
        `Timeliness: ${codeName(name)}`,
        'clocks due in the period',
        t.clocks.get(name)!,
        (k) => CLOCK_STATUS_NAMES[k] ?? k,
      ),
    );
  }
  tables.push(
    table(
      'closuresByReason',
      'Closures by reason',
      'cases closed in the period',
      t.closuresByReason,
      codeName,
    ),
  );
  if (o.pathway === 'parentInfant') {
    tables.push(
      table(
        'socialCareAtClosure',
        "Children's social care involvement at closure",
        'cases closed in the period',
        t.socialCareAtClosure,
        codeName,
      ),
    );
  }
  if (o.pathway === 'reconnect' || o.pathway === 'enhancedReconnect') {
    tables.push(
      table(
        'engagedBeforeRelease',
        'Contact before release',
        'people released in the period',
        t.engagedBeforeRelease,
        (k) => (k === 'yes' ? 'Seen before release' : 'Not seen before release'),
      ),
      table(
        'handedOverBeforeRelease',
        'Handover before release',
        'people released in the period',
        t.handedOverBeforeRelease,
        (k) => (k === 'yes' ? 'Handed over before release' : 'Not handed over before release'),
      ),
      table(
        'handedOverAtClosure',
        'Handed over to a receiving service',
        'cases closed in the period',
        t.handedOverAtClosure,
        (k) => (k === 'yes' ? 'Handed over' : 'Not handed over'),
      ),
    );
  }
  const onDate = `open cases on ${DateTime.fromISO(o.now).setZone(ZONE).toFormat('d MMMM yyyy')}`;
  tables.push(
    table('caseloadByState', 'Open caseload by state', onDate, t.caseloadByState, stateName),
    table(
      'caseloadByWorker',
      'Open caseload by named worker',
      onDate,
      t.caseloadByWorker,
      (k) => (k === '(none)' ? 'No named worker' : k),
      false,
    ),
  );
  return {
    pathway: o.pathway,
    pathwayName: pathwayName(o.pathway),
    from: o.from,
    to: o.to,
    generatedAt: o.now,
    cases: t.cases,
    tables,
  };
}

const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The report as CSV: one row per figure; `[c]` marks a suppressed count, as official statistics do. */
export function reportCsv(r: ServiceReport): string {
  const lines = [['pathway', 'period_from', 'period_to', 'table', 'counts', 'category', 'value']];
  for (const t of r.tables) {
    for (const row of [...t.rows, { key: 'total', label: 'Total', value: t.total }]) {
      lines.push([
        r.pathwayName,
        r.from,
        r.to,
        t.title,
        t.counts,
        row.label,
        row.value === null ? '[c]' : String(row.value),
      ]);
    }
  }
  return lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}
