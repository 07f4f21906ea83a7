import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { HolidayCalendar } from '../calendar/calendar';
import type { PathwayId } from '../machines/common/case';
import type { Actor } from '../machines/common/envelope';
import type { CaseActivities } from '../activities/types';
import { CaseRecord, Refusal, type Applied, type CaseState, type CaseView } from './caseRecord';
import {
  actUpdate,
  detailsQuery,
  reportSignal,
  timelineQuery,
  viewQuery,
  type Access,
  type Command,
} from './messages';
import { PATCHES } from './patches';
import { SA } from './searchAttributes';

export interface CaseWorkflowInput {
  pathway: PathwayId;
  referral: unknown;
  team: string;
  /** Bank holidays in force when the case opened: reference data travels in history, so replays agree. */
  calendar: HolidayCalendar;
  /** Who submitted the referral. */
  actor: Actor;
  /** Keyed hash of the child's reference, for finding linked cases (never the reference itself). */
  childLinkKey?: string;
  /** Upsert search attributes (off only on servers without the custom attributes registered). */
  searchAttributes?: boolean;
  /** Continue as new once the history is this long (the server's own suggestion always applies too). */
  continueAsNewAfter?: number;
  /** A re-referral: the closed case of the same pathway that it follows. */
  previousCaseId?: string;
  /** Present when a case continues as new. */
  carried?: CaseState;
}

/** Messages to people: retried for up to a day, then the failure is visible on the case. */
const messaging = proxyActivities<CaseActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});
/** Closing linked cases and archiving must happen: retried until they do. */
const mustHappen = proxyActivities<CaseActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

const now = () => new Date(Date.now()).toISOString();
const MESSAGES: readonly string[] = ['notify', 'signpost', 'handover'];

function refusalToFailure(err: unknown): never {
  if (err instanceof Refusal)
    throw ApplicationFailure.create({
      type: err.code,
      message: err.message,
      details: [err.details],
      nonRetryable: true,
    });
  throw err;
}

/** One case of any pathway, for its whole life. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseView> {
  const { workflowId } = workflowInfo();
  const queue: Applied['effects'] = [];
  let version = 0;

  let record: CaseRecord;
  if (input.carried) {
    record = CaseRecord.restore(input.carried);
  } else {
    let opened: ReturnType<typeof CaseRecord.open>;
    try {
      opened = CaseRecord.open({
        caseId: workflowId,
        pathway: input.pathway,
        referral: input.referral,
        team: input.team,
        calendar: input.calendar,
        at: now(),
        actor: input.actor,
        ...(input.previousCaseId ? { previousCaseId: input.previousCaseId } : {}),
      });
    } catch (err) {
      // A referral that bypassed the client's validation fails the case at once, never retries.
      throw ApplicationFailure.nonRetryable(`invalid referral: ${(err as Error).message}`, 'invalid');
    }
    record = opened.record;
    queue.push(...opened.applied.effects);
  }

  const applied = (a: Applied) => {
    queue.push(...a.effects);
    version++;
  };
  const stamp = (command: Command) => ({ ...command, at: now() });

  setHandler(
    actUpdate,
    (command) => {
      if (!record.hasSeen(command.eventId)) applied(record.apply(record.check(stamp(command))));
      return record.view();
    },
    {
      validator: (command: Command, access?: Access) => {
        if (record.hasSeen(command?.eventId)) return;
        if (access && !('allTeams' in access) && !access.teams.includes(record.summary().team)) {
          refusalToFailure(new Refusal('forbidden', 'This case belongs to another team.', {}));
        }
        try {
          record.check(stamp(command));
        } catch (err) {
          refusalToFailure(err);
        }
      },
    },
  );

  setHandler(reportSignal, (command) => {
    if (record.hasSeen(command?.eventId)) return;
    try {
      applied(record.apply(record.check(stamp(command))));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      // Patched: cases whose histories predate this only logged refused reports.
      const refused = patched(PATCHES.recordRefusedReports)
        ? record.refuseReport(command ?? {}, now(), err)
        : undefined;
      if (refused) applied(refused);
      else log.warn('report refused', { code: err.code, state: record.summary().state });
    }
  });

  setHandler(viewQuery, () => record.view());
  setHandler(timelineQuery, () => record.timeline());
  setHandler(detailsQuery, () => record.details());

  const carryOut = async ({ effectId, effect }: Applied['effects'][number]): Promise<void> => {
    const ids = { effectId, caseId: workflowId };
    switch (effect.type) {
      case 'notify':
        return messaging.notify({ ...ids, ...effect.params, recipients: record.recipients() });
      case 'signpost':
        return messaging.signpost({ ...ids, ...effect.params, recipients: record.recipients() });
      case 'handover':
        return messaging.handover({ ...ids, ...effect.params, recipients: record.recipients() });
      case 'closeLinkedCases':
        await mustHappen.closeLinkedCases({ ...ids, ...effect.params });
        return;
      case 'archive':
        return mustHappen.archive({
          ...ids,
          record: record.toState(),
          closedAt: record.view().closure?.at ?? now(),
        });
    }
  };

  let published = '';
  const publish = () => {
    if (input.searchAttributes === false) return;
    const s = record.summary();
    const next = record.pendingDeadlines()[0];
    const pairs: SearchAttributeUpdatePair[] = [
      { key: SA.pathway, value: input.pathway },
      { key: SA.state, value: s.state },
      { key: SA.open, value: s.open },
      { key: SA.team, value: s.team },
      { key: SA.namedWorker, value: s.namedWorker ?? null },
      { key: SA.releaseDate, value: s.releaseDate ? new Date(s.releaseDate) : null },
      { key: SA.nextDeadline, value: next ? new Date(next.at) : null },
      { key: SA.priorityGroup, value: s.priorityGroup ?? null },
      { key: SA.childLink, value: input.childLinkKey ?? null },
    ] as SearchAttributeUpdatePair[];
    const key = JSON.stringify(pairs.map((p) => p.value));
    if (key !== published) {
      upsertSearchAttributes(pairs);
      published = key;
    }
  };

  /** A message that could not be delivered within its retries is recorded; the case goes on. */
  const carryOutOrRecord = async (effect: Applied['effects'][number]): Promise<void> => {
    try {
      await carryOut(effect);
    } catch (err) {
      if (!(err instanceof ActivityFailure) || !MESSAGES.includes(effect.effect.type)) throw err;
      applied(record.effectFailed(effect, now(), err.cause?.message ?? err.message));
    }
  };

  for (;;) {
    publish();
    while (queue.length > 0) {
      await carryOutOrRecord(queue.shift()!);
    }
    if (record.isClosed) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= (input.continueAsNewAfter ?? Infinity)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof caseWorkflow>({ ...input, referral: undefined, carried: record.toState() });
    }
    const due = record.pendingDeadlines()[0];
    const seen = version;
    const waitMs = due ? Date.parse(due.at) - Date.now() : undefined;
    if (waitMs !== undefined && waitMs <= 0) {
      applied(record.fire(due!, now()));
      continue;
    }
    const changed = () => version !== seen || queue.length > 0;
    if (waitMs === undefined) await condition(changed);
    else if (!(await condition(changed, waitMs))) applied(record.fire(due!, now()));
  }
  await condition(allHandlersFinished);
  publish();
  return record.view();
}
