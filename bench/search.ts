import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { CaseClient, type CaseloadFilter } from '../client/cases';
import type { KeyRing } from '../security/keys';
import { allSettled } from './load';
import { caseworker, parentInfantReferral, supervisor } from '../test/support/referrals';

export interface SearchFigures {
  openCases: number;
  openedPerSecond: number;
  /** Per filter: p95 of the caseload search and of the same visibility query listed bare. */
  searches: { filter: string; rows: number; caseP95: number; baselineP95: number }[];
}

const TEAMS = ['bench-a', 'bench-b', 'bench-c', 'bench-d', 'bench-e'];
const WORKERS = ['cw-bench-1', 'cw-bench-2', 'cw-bench-3', 'cw-bench-4'];

/** p95 of `n` calls, one after another. */
async function p95(n: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return [...ms].sort((a, b) => a - b)[Math.floor(0.95 * (ms.length - 1))]!;
}

/**
 * `openCases` open cases spread over five teams, a quarter with a named worker; then caseload
 * searches by team, state, named worker and next-deadline range, each against the same
 * visibility query listed by a bare client (no codec, no rows built).
 */
export async function measureSearch(o: {
  sealed: Client;
  plain: Client;
  keys: KeyRing;
  caseTaskQueue: string;
  openCases: number;
  samples: number;
}): Promise<SearchFigures> {
  const clients = TEAMS.map(
    (team) => new CaseClient(o.sealed, { taskQueue: o.caseTaskQueue, keys: o.keys, team }),
  );
  const started = performance.now();
  let next = 0;
  const open = async () => {
    for (let i = next++; i < o.openCases; i = next++) {
      const referral = parentInfantReferral({ receivedAt: new Date().toISOString() });
      const { caseId } = await clients[i % TEAMS.length]!.refer('parentInfant', referral, caseworker);
      if (i % 4 === 1)
        await clients[0]!.act(caseId, {
          type: 'ASSIGN_WORKER',
          worker: WORKERS[i % WORKERS.length],
          actor: supervisor,
        });
    }
  };
  await allSettled(Array.from({ length: 10 }, open));
  const openedPerSecond = o.openCases / ((performance.now() - started) / 1000);

  const rows = await clients[0]!.caseload({ team: TEAMS[0] }, 1);
  const anchor = rows[0]?.nextDeadline ?? new Date().toISOString();
  const day = 24 * 3600 * 1000;
  const filters: [string, CaseloadFilter][] = [
    ['team', { team: TEAMS[2] }],
    ['state', { state: 'screening', team: TEAMS[1] }],
    ['named worker', { namedWorker: WORKERS[1] }],
    [
      'next deadline within a day',
      {
        nextDeadlineFrom: new Date(Date.parse(anchor) - day / 2).toISOString(),
        nextDeadlineTo: new Date(Date.parse(anchor) + day / 2).toISOString(),
      },
    ],
  ];
  const searches: SearchFigures['searches'] = [];
  for (const [name, filter] of filters) {
    const query = clients[0]!.caseloadQuery(filter)!;
    const bare = async () => {
      let n = 0;
      for await (const wf of o.plain.workflow.list({ query, pageSize: 500 })) if (wf && ++n >= 500) break;
      return n;
    };
    const found = await bare();
    const caseP95 = await p95(o.samples, () => clients[0]!.caseload(filter));
    const baselineP95 = await p95(o.samples, bare);
    searches.push({ filter: name, rows: found, caseP95, baselineP95 });
  }
  return { openCases: o.openCases, openedPerSecond, searches };
}
