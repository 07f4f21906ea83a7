import { and, type EventObject } from 'xstate';
import { frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';
import type { CaseContext, Deadline } from './case';
import { requestedClosure } from './closure';
import { instant } from '../../calendar/calendar';
import { defineEvent, FreeText, Signposting, StaffId, type Envelope, type Role } from './envelope';
import { ROLES } from './pathway';
import { newReferenceData, ReferenceDataUpdated } from './referenceData';
import { ruleOn } from './rules';
import { keepRecord, RECORD_EVENTS, RECORD_HANDLERS, RECORD_ROLES, recordRules } from './recordKeeping';

/**
 * What every case shares, defined once and composed into each pathway's machine: naming a
 * worker, new reference data, follow-up reminders, closing on request and the case record (notes,
 * corrections, transfers: recordKeeping.ts), with their events, rules, roles, context updates and
 * handlers.
 */

export const AssignWorker = defineEvent('ASSIGN_WORKER', { worker: StaffId });

/** A caseworker's own reminder: at `dueAt` the named worker (or the team) is reminded. */
export const SetFollowUp = defineEvent('SET_FOLLOW_UP', { dueAt: instant, note: FreeText.optional() });

/** How far ahead a follow-up may be set, and how many may wait at once. */
export const FOLLOW_UP_POLICY = frozen({ maxDaysAhead: 366, maxPending: 10, keepDaysAfterDue: 30 } as const);
const DAY_MS = 86_400_000;
const pendingFollowUps = (ctx: CaseContext, at: string) =>
  (ctx.followUps ?? []).filter((f) => Date.parse(f.dueAt) > Date.parse(at));

/** A request to close, with the pathway's own closure reasons. */
export function closeEvent<R extends z.ZodType<string>>(closureReason: R) {
  return defineEvent('CLOSE', {
    closureReason,
    note: FreeText.optional(),
    signposting: Signposting.default([]),
  });
}

/** The shared events, to open each pathway's discriminated union. */
export const kitEvents = <R extends z.ZodType<string>>(closureReason: R) =>
  [ReferenceDataUpdated, AssignWorker, SetFollowUp, closeEvent(closureReason), ...RECORD_EVENTS] as const;

/** Who may send the shared events; who may close differs by pathway. */
export const kitRoles = (close: readonly Role[]) =>
  ({
    ASSIGN_WORKER: ROLES.supervisor,
    REFERENCE_DATA_UPDATED: ROLES.referenceData,
    SET_FOLLOW_UP: ROLES.casework,
    CLOSE: close,
    ...RECORD_ROLES,
  }) as const;

type KitEvent<R extends string> =
  | z.infer<typeof ReferenceDataUpdated>
  | z.infer<typeof AssignWorker>
  | z.infer<typeof SetFollowUp>
  | (Envelope & { type: 'CLOSE'; closureReason: R; note?: string; signposting: string[] });

/** The shared rules; `caseworkerClosures` are the reasons a caseworker may close with. */
export function kitRules<R extends string>(caseworkerClosures: readonly R[]) {
  const rule = ruleOn<CaseContext, KitEvent<R>>();
  return {
    newReferenceData: rule(
      'REFERENCE_DATA_UPDATED',
      (ctx, e) => newReferenceData(ctx, e.calendar),
      (_, e) => `reference data ${e.calendar.version} is already in force`,
    ),
    followUpAhead: rule(
      'SET_FOLLOW_UP',
      (_, e) =>
        Date.parse(e.dueAt) > Date.parse(e.at) &&
        Date.parse(e.dueAt) <= Date.parse(e.at) + FOLLOW_UP_POLICY.maxDaysAhead * DAY_MS,
      () => `a follow-up must be due after now and within ${FOLLOW_UP_POLICY.maxDaysAhead} days`,
    ),
    followUpsBounded: rule(
      'SET_FOLLOW_UP',
      (ctx, e) => pendingFollowUps(ctx, e.at).length < FOLLOW_UP_POLICY.maxPending,
      () => `at most ${FOLLOW_UP_POLICY.maxPending} follow-ups may wait on a case`,
    ),
    closureWithinRemit: rule(
      'CLOSE',
      (_, e) => e.actor.role === 'supervisor' || caseworkerClosures.includes(e.closureReason),
      (_, e) => `only a supervisor may close a case as "${e.closureReason}"`,
    ),
    otherClosureHasNote: rule(
      'CLOSE',
      (_, e) => e.closureReason !== 'other' || !!e.note,
      () => 'closing as "other" needs a note',
    ),
    ...recordRules(),
  };
}

/** The shared context updates, for `assign` in each machine's setup. */
export const kitUpdates = frozen({
  assignWorker: ({ event }: { event: EventObject }) => ({ namedWorker: AssignWorker.parse(event).worker }),
  updateReferenceData: ({ event }: { event: EventObject }) => ({
    calendar: ReferenceDataUpdated.parse(event).calendar,
  }),
  /** Adds the follow-up; ones long past their date are dropped (their reminders have fired). */
  setFollowUp: (context: CaseContext, event: EventObject) => {
    const e = SetFollowUp.parse(event);
    const keepAfter = Date.parse(e.at) - FOLLOW_UP_POLICY.keepDaysAfterDue * DAY_MS;
    const kept = (context.followUps ?? []).filter((f) => Date.parse(f.dueAt) > keepAfter);
    return { followUps: [...kept, { id: e.eventId, dueAt: e.dueAt, by: e.actor.id }] };
  },
  /** Notes, corrections and transfers (recordKeeping.ts). */
  keepRecord,
  /** Closing with one of the pathway's own reasons. */
  closeAsRequested:
    <R extends string>(reasons: z.ZodType<R>) =>
    ({ event }: { event: EventObject }) => ({ closure: requestedClosure(closeEvent(reasons).parse(event)) }),
});

/** The shared handlers, for `open.on` in each machine (`closed` is the final sibling of `open`). */
export const KIT_HANDLERS = frozen({
  ASSIGN_WORKER: { actions: 'assignWorker' },
  SET_FOLLOW_UP: { guard: and(['followUpAhead', 'followUpsBounded']), actions: 'setFollowUp' },
  REFERENCE_DATA_UPDATED: { guard: 'newReferenceData', actions: 'updateReferenceData' },
  CLOSE: {
    guard: and(['closureWithinRemit', 'otherClosureHasNote']),
    target: 'closed',
    actions: 'closeAsRequested',
  },
  ...RECORD_HANDLERS,
} as const);

/** The reminders of the follow-ups set on a case (each fires once; see the workflow's record). */
export function followUpDeadlines(ctx: CaseContext): Deadline[] {
  return (ctx.followUps ?? []).map((f) => ({
    kind: 'reminder',
    name: `followUp:${f.id}`,
    label: `Follow-up set by ${f.by}`,
    at: f.dueAt,
    notify: 'namedWorker',
  }));
}
