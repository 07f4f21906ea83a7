import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CaseClient, type CaseloadFilter } from '../client/cases';
import { SA } from '../contract/searchAttributes';
import type { KeyRing } from '../security/keys';
import { allSettled } from './load';
import { caseworker, parentInfantReferral, supervisor } from '../test/support/referrals';

export interface SearchFigures {
  /** Open cases in visibility, of which `realCases` were opened through the case workers. */
  openCases: number;
  realCases: number;
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

/** A start with a deadline, tried again under the same id: a server under load can drop a call. */
async function startWithin(client: Client, start: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.withDeadline(Date.now() + 15_000, start);
      return;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      if (attempt >= 5) throw err;
    }
  }
}

/**
 * `openCases` open cases spread over five teams, a quarter with a named worker; then caseload
 * searches by team, state, named worker and next-deadline range, each against the same
 * visibility query listed by a bare client (no codec, no rows built).
 *
 * `realCases` of them are opened through the case workers. The rest are what visibility holds
 * for a case, and all a caseload search reads: a `caseWorkflow` execution with a case's search
 * attributes, started on a task queue no worker polls. So the searches see every open case
 * without the bench spending its time opening them.
 */
export async function measureSearch(o: {
  sealed: Client;
  plain: Client;
  keys: KeyRing;
  caseTaskQueue: string;
  openCases: number;
  realCases: number;
  samples: number;
}): Promise<SearchFigures> {
  const clients = TEAMS.map(
    (team) => new CaseClient(o.sealed, { taskQueue: o.caseTaskQueue, keys: o.keys, team }),
  );
  const started = performance.now();
  let next = 0;
  const real = Math.min(o.realCases, o.openCases);
  const open = async () => {
    for (let i = next++; i < real; i = next++) {
      const referral = parentInfantReferral({ receivedAt: new Date().toISOString() });
      const { caseId } = await o.sealed.withDeadline(Date.now() + 60_000, () =>
        clients[i % TEAMS.length]!.refer('parentInfant', referral, caseworker),
      );
      if (i % 4 === 1)
        await clients[0]!.act(caseId, {
          type: 'ASSIGN_WORKER',
          worker: WORKERS[i % WORKERS.length],
          actor: supervisor,
        });
    }
  };
  await allSettled(Array.from({ length: 10 }, open));
  const openedPerSecond = real / ((performance.now() - started) / 1000);

  const unpolled = `bench-visibility-${randomUUID()}`;
  const day = 24 * 3600 * 1000;
  let more = real;
  const record = async () => {
    for (let i = more++; i < o.openCases; i = more++) {
      const worker = i % 4 === 1 ? [{ key: SA.namedWorker, value: WORKERS[i % WORKERS.length]! }] : [];
      const start = {
        taskQueue: unpolled,
        workflowId: `parentInfant-${randomUUID()}`,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA.pathway, value: 'parentInfant' },
          { key: SA.state, value: i % 3 === 0 ? 'engagement' : 'screening' },
          { key: SA.open, value: true },
          { key: SA.team, value: TEAMS[i % TEAMS.length]! },
          { key: SA.nextDeadline, value: new Date(Date.now() + (i % 30) * day) },
          ...worker,
        ]),
      };
      await startWithin(o.plain, () => o.plain.workflow.start('caseWorkflow', start));
    }
  };
  console.log(`  ${real} cases opened by the workers; recording the rest in visibility…`);
  await allSettled(Array.from({ length: 10 }, record));
  // Visibility is eventually consistent: search once every case is counted.
  const counted = () =>
    o.plain
      .withDeadline(Date.now() + 10_000, () =>
        o.plain.workflow.count(`WorkflowType = 'caseWorkflow' AND ${SA.open.name} = true`),
      )
      .then(
        (c) => c.count,
        () => 0,
      );
  for (let tries = 0; (await counted()) < o.openCases && tries < 120; tries++) {
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(
    `  ${o.openCases} open cases in visibility, ${real} opened by the workers (${openedPerSecond.toFixed(1)}/s)`,
  );

  const rows = await clients[0]!.caseload({ team: TEAMS[0] }, 1);
  const anchor = rows[0]?.nextDeadline ?? new Date().toISOString();
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
  return { openCases: o.openCases, realCases: real, openedPerSecond, searches };
}
