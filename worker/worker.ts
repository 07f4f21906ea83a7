import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createJobActivities } from '../activities/scheduledJobs';
import { shippedHolidays } from '../calendar/holidays';
import type { MeetingSchedule } from '../calendar/calendar';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../config/config';
import { CaseClient } from '../client/cases';
import type { Notifier } from '../activities/notifier';
import { caseDataConverter } from '../security/dataConverter';
import type { KeyRing } from '../security/keys';
import type { Records } from '../store/records';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  keys: KeyRing;
  /** The record store: the archive and the report facts (and the outbox, when it is the notifier). */
  records: Pick<Records, 'archive' | 'facts'>;
  /** Used by activities that signal other cases. */
  client: Client;
  notifier: Notifier;
  /** Bundle once and share, for tests and several workers in one process. */
  workflowBundle?: WorkflowBundle;
  /** Each cached case holds its snapshot and timeline; size this from the memory the worker has. */
  maxCachedWorkflows?: number;
  /** The team meeting the agenda is circulated before; absent: Monday 10:00. */
  meeting?: MeetingSchedule;
  /** Run workflows on the calling thread (the bench collects their garbage before reading memory). */
  debugMode?: boolean;
}

export const workflowsPath = require.resolve('../workflows');

/** Loaded once per worker and shared by every case it runs (see workflows/sharedModules.ts). */
export const preloadModules = [require.resolve('../workflows/sharedModules')];

export function bundleCaseWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath,
    preloadModules,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
}

export async function createCaseWorker(o: CaseWorkerOptions): Promise<Worker> {
  const cases = new CaseClient(o.client, { taskQueue: o.taskQueue, keys: o.keys, team: '' });
  const deps = { notifier: o.notifier, archive: o.records.archive, facts: o.records.facts };
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowBundle: o.workflowBundle ?? (await bundleCaseWorkflows()),
    activities: {
      ...createActivities({ ...deps, client: o.client, keys: o.keys }),
      ...createJobActivities({
        openCases: () => cases.caseload({ open: true }, 100_000),
        factsOf: (caseId) => cases.facts(caseId),
        facts: deps.facts,
        notifier: o.notifier,
        archive: deps.archive,
        calendar: shippedHolidays,
        ...(o.meeting ? { meeting: o.meeting } : {}),
      }),
    },
    dataConverter: caseDataConverter(o.keys),
    maxCachedWorkflows: o.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10 seconds',
    debugMode: o.debugMode ?? false,
  });
}
