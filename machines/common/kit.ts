import { and, type EventObject } from 'xstate';
import { z } from '../../validation/zod';
import type { CaseContext } from './case';
import { requestedClosure } from './closure';
import { defineEvent, FreeText, Signposting, StaffId, type Envelope, type Role } from './envelope';
import { ROLES } from './pathway';
import { newReferenceData, ReferenceDataUpdated } from './referenceData';
import { ruleOn } from './rules';

/**
 * What every case shares, defined once and composed into each pathway's machine: naming a
 * worker, new reference data, and closing on request, with their events, rules, roles, context
 * updates and handlers.
 */

export const AssignWorker = defineEvent('ASSIGN_WORKER', { worker: StaffId });

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
  [ReferenceDataUpdated, AssignWorker, closeEvent(closureReason)] as const;

/** Who may send the shared events; who may close differs by pathway. */
export const kitRoles = (close: readonly Role[]) =>
  ({ ASSIGN_WORKER: ROLES.supervisor, REFERENCE_DATA_UPDATED: ROLES.referenceData, CLOSE: close }) as const;

type KitEvent<R extends string> =
  | z.infer<typeof ReferenceDataUpdated>
  | z.infer<typeof AssignWorker>
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
  };
}

/** The shared context updates, for `assign` in each machine's setup. */
export const kitUpdates = {
  assignWorker: ({ event }: { event: EventObject }) => ({ namedWorker: AssignWorker.parse(event).worker }),
  updateReferenceData: ({ event }: { event: EventObject }) => ({
    calendar: ReferenceDataUpdated.parse(event).calendar,
  }),
  /** Closing with one of the pathway's own reasons. */
  closeAsRequested:
    <R extends string>(reasons: z.ZodType<R>) =>
    ({ event }: { event: EventObject }) => ({ closure: requestedClosure(closeEvent(reasons).parse(event)) }),
};

/** The shared handlers, for `open.on` in each machine (`closed` is the final sibling of `open`). */
export const KIT_HANDLERS = {
  ASSIGN_WORKER: { actions: 'assignWorker' },
  REFERENCE_DATA_UPDATED: { guard: 'newReferenceData', actions: 'updateReferenceData' },
  CLOSE: {
    guard: and(['closureWithinRemit', 'otherClosureHasNote']),
    target: 'closed',
    actions: 'closeAsRequested',
  },
} as const;
