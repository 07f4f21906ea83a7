import { seededRandom } from '../tools/seededRandom';
// A national service's week, simulated second by second against what this run measured: how many
// worker processes keep caseworkers' actions quick, and how long the midnight burst of timers
// takes to clear. Seeded, so the same figures give the same answer.

/** What a national service puts on the cluster. The defaults are assumptions, stated in the README. */
export interface NationalLoad {
  /** Referrals a year across England. */
  referralsPerYear: number;
  /** Actions staff and other systems take on a case over its life. */
  actionsPerCase: number;
  /** Reminders and clock transitions a case's timers fire over its life. */
  timersPerCase: number;
  /** How long a case stays open, in months, on average. */
  openMonths: number;
}

export const NATIONAL_RECONNECT: NationalLoad = {
  referralsPerYear: 30_000,
  actionsPerCase: 50,
  timersPerCase: 15,
  openMonths: 9,
};

export interface CapacityRow {
  workers: number;
  cachedPerWorker: number;
  memoryGiBPerWorker: number;
  /** Actions a second the workers clear from the cache: the measured rate per worker process, times workers. */
  capacityPerSecond: number;
  /** Share of open cases the workers hold cached; the rest replay their history first. */
  cachedShare: number;
  /** Caseworkers' actions in the busiest minute, a second. */
  busiestMinutePerSecond: number;
  /** Waiting before a worker takes a caseworker's action, p99 and worst, in seconds. */
  actionWaitP99: number;
  actionWaitMax: number;
  /** Seconds for the midnight reminders to clear. */
  midnightClearSeconds: number;
  utilisation: number;
}

export interface CapacityFigures {
  load: NationalLoad;
  openCases: number;
  actionsPerWeek: number;
  timersPerWeek: number;
  /** Timers falling due at 00:00 on a working day. */
  timersPerMidnight: number;
  historyGiBPerYear: number;
  /** Worker memory if every open case is cached. */
  memoryGiBAllCached: number;
  rows: CapacityRow[];
}

function poisson(mean: number, rnd: () => number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rnd)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rnd(); p > limit; p *= rnd()) k++;
  return k;
}

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

const WEEK = 7 * 24 * 3600;

/**
 * How a week's actions fall: working hours only (08:00–18:00, Monday to Friday), with the
 * Monday team meetings (10:00–12:00) and the first hour of each working day three times as busy.
 */
function actionWeight(second: number): number {
  const day = Math.floor(second / 86_400);
  const hour = Math.floor((second % 86_400) / 3600);
  if (day >= 5 || hour < 8 || hour >= 18) return 0;
  if (hour === 8 || (day === 0 && (hour === 10 || hour === 11))) return 3;
  return 1;
}

interface Simulated {
  busiestMinutePerSecond: number;
  actionWaitP99: number;
  actionWaitMax: number;
  midnightClearSeconds: number;
  utilisation: number;
}

/**
 * One week, second by second: caseworkers' actions arrive at random by the weekly profile; a
 * working day's timers all fall due at 00:00 (deadlines run to the end of a local day). Each
 * costs a worker 1/`perSecond` seconds, plus a replay of its history when its case is not in
 * the worker's cache. The workers take the work in order; an action waits for the work ahead
 * of it.
 */
function simulate(o: {
  actionsPerWeek: number;
  timersPerWeek: number;
  workers: number;
  perSecond: number;
  missRate: number;
  replaySeconds: number;
  seed: number;
}): Simulated {
  const rnd = seededRandom(o.seed);
  let total = 0;
  for (let s = 0; s < WEEK; s++) total += actionWeight(s);
  const perWeight = o.actionsPerWeek / total;
  const cost = () => 1 / o.perSecond + (rnd() < o.missRate ? o.replaySeconds : 0);
  const waits: number[] = [];
  let backlog = 0; // seconds of work waiting
  let busy = 0;
  let midnightClear = 0;
  let clearing: number | undefined;
  let minute = 0;
  let busiestMinute = 0;
  for (let s = 0; s < WEEK; s++) {
    const day = Math.floor(s / 86_400);
    if (s % 86_400 === 0 && day >= 1 && day <= 5) {
      for (let i = Math.round(o.timersPerWeek / 5); i > 0; i--) backlog += cost();
      clearing = s;
    }
    for (let i = poisson(actionWeight(s) * perWeight, rnd); i > 0; i--) {
      waits.push(backlog / o.workers);
      backlog += cost();
      minute++;
    }
    if (s % 60 === 59) {
      busiestMinute = Math.max(busiestMinute, minute / 60);
      minute = 0;
    }
    const done = Math.min(backlog, o.workers);
    busy += done;
    backlog -= done;
    if (clearing !== undefined && backlog === 0) {
      midnightClear = Math.max(midnightClear, s - clearing + 1);
      clearing = undefined;
    }
  }
  waits.sort((a, b) => a - b);
  return {
    busiestMinutePerSecond: busiestMinute,
    actionWaitP99: waits[Math.floor(0.99 * (waits.length - 1))] ?? 0,
    actionWaitMax: waits[waits.length - 1] ?? 0,
    midnightClearSeconds: midnightClear,
    utilisation: busy / (o.workers * WEEK),
  };
}

/** The national load against this run's figures, for 1, 2 and 4 worker processes. */
export function projectCapacity(o: {
  load?: NationalLoad;
  /** Highest offered rate one worker process held with p99 under 200 ms. */
  sustainedPerWorker: number;
  /** Replaying a long case history, when an action finds its case out of the cache. */
  replayMs: number;
  /** Cases each worker process keeps cached (`WORKER_MAX_CACHED_WORKFLOWS`). */
  cachedPerWorker: number;
  historyBytesPerAction: number;
  memoryKiBPerCachedCase: number;
}): CapacityFigures {
  const load = o.load ?? NATIONAL_RECONNECT;
  const weeks = 365 / 7;
  const actionsPerWeek = (load.referralsPerYear * load.actionsPerCase) / weeks;
  const timersPerWeek = (load.referralsPerYear * load.timersPerCase) / weeks;
  const openCases = Math.round((load.referralsPerYear * load.openMonths) / 12);
  // Each worker count with the default cache, and with a cache that holds every open case.
  const rows = [1, 2, 4].flatMap((workers) =>
    [o.cachedPerWorker, Math.ceil(openCases / workers)].map((cached) => {
      const cachedShare = Math.min(1, (cached * workers) / openCases);
      return {
        workers,
        cachedPerWorker: cached,
        memoryGiBPerWorker: (cached * o.memoryKiBPerCachedCase) / 2 ** 20,
        capacityPerSecond: o.sustainedPerWorker * workers,
        cachedShare,
        ...simulate({
          actionsPerWeek,
          timersPerWeek,
          workers,
          perSecond: o.sustainedPerWorker,
          missRate: 1 - cachedShare,
          replaySeconds: o.replayMs / 1000,
          seed: 7,
        }),
      };
    }),
  );
  const perYear = load.referralsPerYear * (load.actionsPerCase + load.timersPerCase);
  return {
    load,
    openCases,
    actionsPerWeek,
    timersPerWeek,
    timersPerMidnight: Math.round(timersPerWeek / 5),
    historyGiBPerYear: (perYear * o.historyBytesPerAction) / 2 ** 30,
    memoryGiBAllCached: (openCases * o.memoryKiBPerCachedCase) / 2 ** 20,
    rows,
  };
}

/** The projection as markdown, for results.md and the console. */
export function capacityTable(c: CapacityFigures): string {
  const n = (v: number, d = 0) => v.toLocaleString('en-GB', { maximumFractionDigits: d });
  const lines = [
    `National load: ${n(c.load.referralsPerYear)} referrals a year, ${c.load.actionsPerCase} actions and ${c.load.timersPerCase} timers a case, open ${c.load.openMonths} months: ${n(c.openCases)} open cases, ${n(c.actionsPerWeek)} actions and ${n(c.timersPerWeek)} timers a week; ${n(c.timersPerMidnight)} timers due at each working day's midnight; ${n(c.historyGiBPerYear, 1)} GiB of history a year; ${n(c.memoryGiBAllCached, 1)} GiB of worker memory to cache every open case.`,
    '',
    '| worker processes | cases cached per worker (memory) | open cases cached | actions/s cleared from the cache | busiest minute (actions/s) | action wait p99 / worst | midnight timers cleared in | utilisation |',
    '|---|---|---|---|---|---|---|---|',
    ...c.rows.map(
      (r) =>
        `| ${r.workers} | ${n(r.cachedPerWorker)} (${n(r.memoryGiBPerWorker, 2)} GiB) | ${n(r.cachedShare * 100)}% | ${n(r.capacityPerSecond)} | ${n(r.busiestMinutePerSecond, 1)} | ${n(r.actionWaitP99 * 1000)} ms / ${n(r.actionWaitMax, 1)} s | ${n(r.midnightClearSeconds)} s | ${n(r.utilisation * 100, 2)}% |`,
    ),
  ];
  return lines.join('\n');
}
