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
  /** What the values are, where they are not numbers of people or cases (for example days). */
  valueHeading?: string;
  /** The last row's name, where it is not a sum (for example the median over every quarter). */
  totalLabel?: string;
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
const withinDay = (day: string | undefined, o: ReportOptions) => !!day && day >= o.from && day <= o.to;

/** The UK day a person was released, as counted: the release's own date, else when it was recorded. */
export const releaseDayOf = (f: CaseFacts): string | undefined =>
  f.outcome?.releasedOn ?? (f.outcome?.releasedAt ? localDateOf(f.outcome.releasedAt) : undefined);

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
  /** Continuity of care after custody, by quarter of release (keys: the quarter's first month, `2026-04`). */
  continuity: {
    released: Tally;
    firstContactWithin21Days: Tally;
    twoContactsBeforeRelease: Tally;
    handedOverBeforeRelease: Tally;
    /** Median days to first community contact per quarter, and over the period (`all`), with how many it is of. */
    medianDays: Map<string, { median: number; of: number }>;
  };
  /** Why support ended, by quarter of closure: `2026-04|needsMet`. */
  supportEnded: Tally;
  /**
   * Management oversight: assessments recorded and cases closed in the period, each `signed` off
   * by a supervisor or still `awaiting` it (keys `assessment|signed`, `closure|awaiting`, …).
   */
  oversight: Tally;
}

/** A case's sign-offs, as reports count them: which subjects of which case are signed. */
export type SignedOff = ReadonlySet<string>;
/** The key of one sign-off in a `SignedOff` set. */
export const signedKey = (caseId: string, subject: string) => `${caseId}|${subject}`;

/** Within this many days of release, a first community contact counts for continuity of care. */
export const CONTINUITY_DAYS = 21;

/** The first month of a UK date's quarter: `2026-05-14` is in the quarter `2026-04`. */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}`;
}

/** A quarter in words: `2026-04` is "April to June 2026". */
export function quarterName(quarter: string): string {
  const start = DateTime.fromISO(`${quarter}-01`);
  return `${start.toFormat('LLLL')} to ${start.plus({ months: 2 }).toFormat('LLLL yyyy')}`;
}

/** Support ending, as commissioners count it: needs met, a time limit, disengagement, or anything else. */
export function supportEndedAs(reason: string): string {
  if (reason === 'needsMet') return 'needsMet';
  if (['sixMonthLimitReached', 'twelveMonthLimitReached', 'extensionEnded'].includes(reason))
    return 'limitReached';
  if (reason === 'disengaged') return 'disengaged';
  return 'other';
}

const SUPPORT_ENDED_NAMES: Record<string, string> = {
  needsMet: 'needs met',
  limitReached: 'time limit reached',
  disengaged: 'disengaged',
  other: 'other reasons',
};

/** The median of some numbers (the mean of the middle two where there is an even number). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The tallies of a report from the cases' facts (and which of them are signed off, if any are). */
export function talliesOf(
  all: readonly CaseFacts[],
  o: ReportOptions,
  signed: SignedOff = new Set(),
): ReportTallies {
  const facts = all.filter((f) => f.pathway === o.pathway && (!o.teams || o.teams.includes(f.team)));
  const received = facts.filter((f) => within(f.receivedAt, o));
  const closed = facts.filter((f) => within(f.closure?.at, o));
  const open = facts.filter((f) => f.open);
  const released = facts.filter((f) => withinDay(releaseDayOf(f), o));
  const quarterReleased = (f: CaseFacts) => quarterOf(releaseDayOf(f)!);
  const contacted = released.filter((f) => f.outcome?.daysToFirstCommunityContact !== undefined);
  const medianDays = new Map<string, { median: number; of: number }>();
  for (const q of new Set(contacted.map(quarterReleased))) {
    const days = contacted
      .filter((f) => quarterReleased(f) === q)
      .map((f) => f.outcome!.daysToFirstCommunityContact!);
    medianDays.set(q, { median: median(days), of: days.length });
  }
  if (contacted.length)
    medianDays.set('all', {
      median: median(contacted.map((f) => f.outcome!.daysToFirstCommunityContact!)),
      of: contacted.length,
    });
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
    continuity: {
      released: tally(released, quarterReleased),
      firstContactWithin21Days: tally(released, (f) =>
        (f.outcome?.daysToFirstCommunityContact ?? Infinity) <= CONTINUITY_DAYS
          ? quarterReleased(f)
          : undefined,
      ),
      twoContactsBeforeRelease: tally(released, (f) =>
        (f.outcome?.contactsBeforeRelease ?? 0) >= 2 ? quarterReleased(f) : undefined,
      ),
      handedOverBeforeRelease: tally(released, (f) =>
        f.outcome?.handedOverBeforeRelease ? quarterReleased(f) : undefined,
      ),
      medianDays,
    },
    supportEnded: tally(closed, (f) =>
      f.closure ? `${quarterOf(localDateOf(f.closure.at))}|${supportEndedAs(f.closure.reason)}` : undefined,
    ),
    oversight: tally(
      [
        ...facts.filter((f) => within(f.assessment?.at, o)).map((f) => signedKey(f.caseId, 'assessment')),
        ...closed.map((f) => signedKey(f.caseId, 'closure')),
      ],
      (k) => `${k.slice(k.lastIndexOf('|') + 1)}|${signed.has(k) ? 'signed' : 'awaiting'}`,
    ),
  };
}

const OVERSIGHT_NAMES: Record<string, string> = {
  signed: 'Signed off by a supervisor',
  awaiting: 'Awaiting sign-off',
};

/** One subject's sign-off table: signed and awaiting, counted and suppressed together. */
function oversightTable(t: ReportTallies, subject: 'assessment' | 'closure'): ReportTable {
  const of: Tally = new Map();
  for (const status of ['signed', 'awaiting']) {
    const n = t.oversight.get(`${subject}|${status}`);
    if (n) of.set(status, n);
  }
  return table(
    `oversight:${subject}`,
    subject === 'assessment' ? 'Management oversight: assessment outcomes' : 'Management oversight: closures',
    subject === 'assessment'
      ? 'assessment outcomes recorded in the period, by supervisor sign-off'
      : 'cases closed in the period, by supervisor sign-off',
    of,
    (k) => OVERSIGHT_NAMES[k] ?? k,
  );
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
      ...continuityTables(t),
    );
  }
  tables.push(oversightTable(t, 'assessment'), oversightTable(t, 'closure'));
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

/** Rows in the order of their keys (quarters run in time), not by size. */
function inOrder(tbl: ReportTable): ReportTable {
  const order = [...tbl.rows].sort((a, b) => a.key.localeCompare(b.key));
  return { ...tbl, rows: order };
}

/** Continuity of care after custody (the PHOF measure and its companions), by quarter. */
function continuityTables(t: ReportTallies): ReportTable[] {
  const c = t.continuity;
  const byQuarter = (id: string, title: string, counts: string, tally: Tally) =>
    inOrder(table(id, title, counts, tally, quarterName, false));
  const medians = [...c.medianDays.entries()]
    .filter(([q]) => q !== 'all')
    .sort(([a], [b]) => a.localeCompare(b));
  // A median of fewer than 5 people could be one person's own figure: not shown, as counts are not.
  const shown = (m: { median: number; of: number } | undefined): Cell =>
    m && m.of >= SUPPRESS_BELOW ? m.median : null;
  return [
    byQuarter('continuityReleased', 'People released', 'people released, by quarter of release', c.released),
    byQuarter(
      'continuityFirstContact',
      `First community contact within ${CONTINUITY_DAYS} days of release`,
      `people released, by quarter of release, first seen in the community within ${CONTINUITY_DAYS} days`,
      c.firstContactWithin21Days,
    ),
    {
      id: 'continuityMedianDays',
      title: 'Days from release to first community contact (median)',
      counts: 'people released and since seen in the community, by quarter of release',
      rows: medians.map(([q, m]) => ({ key: q, label: quarterName(q), value: shown(m) })),
      total: shown(c.medianDays.get('all')),
      chart: false,
      valueHeading: 'Median days',
      totalLabel: 'Whole period',
    },
    byQuarter(
      'continuityTwoContacts',
      'At least two contacts before release',
      'people released, by quarter of release, with two or more contacts before release',
      c.twoContactsBeforeRelease,
    ),
    byQuarter(
      'continuityHandover',
      'Handover completed before release',
      'people released, by quarter of release, handed over before release',
      c.handedOverBeforeRelease,
    ),
    inOrder(
      table(
        'supportEnded',
        'Why support ended',
        'cases closed in the period, by quarter of closure',
        t.supportEnded,
        (k) => {
          const [q, why] = k.split('|');
          return `${quarterName(q!)}: ${SUPPORT_ENDED_NAMES[why!] ?? why}`;
        },
        false,
      ),
    ),
  ];
}

const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The report as CSV: one row per figure; `[c]` marks a suppressed count, as official statistics do. */
export function reportCsv(r: ServiceReport): string {
  const lines = [['pathway', 'period_from', 'period_to', 'table', 'counts', 'category', 'value']];
  for (const t of r.tables) {
    for (const row of [...t.rows, { key: 'total', label: t.totalLabel ?? 'Total', value: t.total }]) {
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
