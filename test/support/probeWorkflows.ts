// Test-only workflows, bundled only by the test that runs them: two cases on one worker, one of
// which tries to change the case logic they share.
import type { CaseRecord } from '../../workflows/caseRecord';
import { logic } from '../../workflows/sharedLogic';
import { loadOnce } from '../../workflows/sharedModules';

export interface ProbeInput {
  caseId: string;
  /** A RECONNECT referral of someone already released. */
  referral: unknown;
  at: string;
}

/** `refused`: the write threw; `unreachable`: the case cannot get at it; `changed`: it took. */
export type Outcome = 'refused' | 'unreachable' | 'changed';

const CALENDAR = { version: 'probe', holidays: [] };
const CASEWORKER = { id: 'cw-probe', role: 'caseworker' } as const;
const PRISON = { id: 'system:prison', role: 'system' } as const;

/** Had an earlier case on this worker loaded the case logic already? */
function logicLoadedEarlier(): boolean {
  try {
    loadOnce('logic', () => {
      throw new Error('not loaded yet');
    });
    return true;
  } catch {
    return false;
  }
}

/** A RECONNECT case after its assessment accepted someone already released: post-release support. */
function postReleaseCase({ caseId, referral, at }: ProbeInput): CaseRecord {
  const { record } = logic().CaseRecord.open({
    caseId,
    pathway: 'reconnect',
    referral,
    team: 'probe',
    calendar: CALENDAR,
    at,
    actor: CASEWORKER,
  });
  const assessed = { eventId: `${caseId}:assessed`, at, actor: CASEWORKER, appropriate: true, consent: true };
  record.apply(record.check({ type: 'ASSESSMENT_COMPLETED', ...assessed }));
  return record;
}

/** The notification a recall asks for (its subject comes from the machine). */
function recall(record: CaseRecord, at: string) {
  const recalled = { type: 'RECALLED', eventId: `${record.caseId}:recalled`, at, actor: PRISON };
  return record.apply(record.check(recalled)).effects[0]?.effect.params as { subject?: string } | undefined;
}

function attempt(change: () => boolean): Outcome {
  try {
    return change() ? 'changed' : 'unreachable';
  } catch (err) {
    if (err instanceof TypeError) return 'refused';
    throw err;
  }
}

/** What a case can get at besides its own data, if anything. */
type Loose = {
  pathway?: { roles: Record<string, readonly string[]> };
  snapshot?: { machine?: { implementations: { guards: Record<string, unknown> } } };
};

/** Tries to change, from inside one case, what every case on the worker computes with. */
export async function tamperingCase(input: ProbeInput): Promise<{
  logicLoadedEarlier: boolean;
  outcomes: Record<string, Outcome>;
}> {
  const loadedEarlier = logicLoadedEarlier();
  const record = postReleaseCase(input);
  const loose = record as unknown as Loose;
  const outcomes = {
    // A copy of its own: changing it changes nothing for another case.
    effectParams: attempt(() => {
      const params = recall(record, input.at);
      if (!params) return false;
      params.subject = 'tampered';
      return true;
    }),
    policy: attempt(() => {
      (record.details()['policy'] as { postReleaseMonths: number }).postReleaseMonths = 1;
      return true;
    }),
    meeting: attempt(() => {
      (record.details()['meeting'] as { time: string }).time = '06:00';
      return true;
    }),
    timer: attempt(() => {
      (logic().TIMER as { id: string }).id = 'tampered';
      return true;
    }),
    recordClass: attempt(() => {
      (logic().CaseRecord.prototype as unknown as { view: () => object }).view = () => ({});
      return true;
    }),
    roles: attempt(() => {
      if (!loose.pathway) return false;
      loose.pathway.roles['NEEDS_MET'] = ['timer'];
      return true;
    }),
    machine: attempt(() => {
      const machine = loose.snapshot?.machine;
      if (!machine) return false;
      machine.implementations.guards['released'] = () => false;
      return true;
    }),
  };
  return { logicLoadedEarlier: loadedEarlier, outcomes };
}

export interface Reading {
  logicLoadedEarlier: boolean;
  state: string;
  postReleaseMonths: unknown;
  postReleaseLimit?: { label: string; at: string };
  meetingTime: unknown;
  timerId: string;
  firedBy?: string;
  viewOf?: string;
  allowedActions: string[];
  recallSubject?: string;
}

/** What a case opened afterwards computes: each value is one the tampering case tried to change. */
export async function readingCase(input: ProbeInput): Promise<Reading | { failed: string }> {
  try {
    return read(input);
  } catch (err) {
    // Returned rather than thrown, so the test sees it instead of a workflow task retried forever.
    return { failed: String(err) };
  }
}

function read(input: ProbeInput): Reading {
  const loadedEarlier = logicLoadedEarlier();
  const record = postReleaseCase(input);
  const details = record.details();
  const limit = record.pendingDeadlines().find((d) => d.name === 'postReleaseLimit');
  const allowedActions = record.allowedActions();
  const first = record.pendingDeadlines()[0];
  if (first) record.fire(first, first.at);
  const firedBy = first ? record.timeline().at(-1)?.actor.id : undefined;
  return {
    logicLoadedEarlier: loadedEarlier,
    state: record.summary().state,
    postReleaseMonths: (details['policy'] as { postReleaseMonths?: unknown } | undefined)?.postReleaseMonths,
    ...(limit ? { postReleaseLimit: { label: limit.label, at: limit.at } } : {}),
    meetingTime: (details['meeting'] as { time?: unknown } | undefined)?.time,
    timerId: logic().TIMER.id,
    ...(firedBy ? { firedBy } : {}),
    viewOf: record.view().caseId,
    allowedActions,
    ...(allowedActions.includes('RECALLED') ? { recallSubject: recall(record, input.at)?.subject } : {}),
  };
}
