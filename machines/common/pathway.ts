import type {
  AnyMachineSnapshot,
  AnyStateMachine,
  ContextFrom,
  EventFrom,
  EventObject,
  SnapshotFrom,
} from 'xstate';
import { frozen } from '../../validation/frozen';
import type { z } from '../../validation/zod';
import type { MeetingSchedule } from '../../calendar/calendar';
import type { CaseSnapshot, CaseSummary, Deadline, Pathway, PathwayId } from './case';
import type { Envelope } from './envelope';
import {
  openingRefusals,
  referralRefusals,
  refusalOf,
  RULES_VERSION,
  type OpeningRule,
  type ReferralRule,
  type Rule,
} from './rules';
import { everyReferralRules, receiptRules, type ReferralBasics } from './receipt';
import type { SnapshotMigration } from './versions';
import type { Role } from './envelope';
import { stateName } from './snapshot';
import { followUpDeadlines } from './kit';
import { caseContextOf } from './case';

/** Shown with a referral unless a pathway has its own notice. */
export const DEFAULT_NOTICE =
  'This is not an emergency service. If an adult or child is in immediate danger, call 999 (or 111).';

/** Who may send an event, in the words the pathways use. */
export const ROLES = frozen({
  casework: ['caseworker', 'supervisor'],
  supervisor: ['supervisor'],
  /** Reported by staff or by another system. */
  reported: ['caseworker', 'supervisor', 'system'],
  timer: ['timer'],
  referenceData: ['system', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>);

/** The machine input most pathways need: the case, its referral, holidays and team. */
export function standardInput<R>(args: {
  caseId: string;
  referral: R;
  calendar: unknown;
  team: string;
  rules?: number;
  meeting?: MeetingSchedule;
}) {
  const { caseId, referral, calendar, team, rules, meeting } = args;
  return { caseId, referral, calendar, team, rules: rules ?? RULES_VERSION, ...(meeting ? { meeting } : {}) };
}

/** The search-safe summary every pathway shares. */
export function baseSummary(snapshot: CaseSnapshot): CaseSummary {
  const ctx = snapshot.context;
  return {
    state: stateName(snapshot),
    open: snapshot.status !== 'done',
    team: ctx.team,
    ...(ctx.namedWorker ? { namedWorker: ctx.namedWorker } : {}),
  };
}

/** A pathway from its machine: types flow from the machine into deadlines, rules and summary. */
export function definePathway<TMachine extends AnyStateMachine, TReferral extends ReferralBasics>(spec: {
  id: PathwayId;
  title: string;
  machine: TMachine;
  referral: z.ZodType<TReferral>;
  events: z.ZodType<EventObject & Envelope> & z.ZodType<EventFrom<TMachine> & Envelope>;
  /** Every event the machine takes, and who may send it. */
  roles: { [K in EventFrom<TMachine>['type']]: readonly Role[] };
  rules: Record<string, Rule<ContextFrom<TMachine>, EventFrom<TMachine>>>;
  deadlines(snapshot: SnapshotFrom<TMachine>): Deadline[];
  referralRules?: Record<string, ReferralRule<TReferral>>;
  /** The pathway's own rules judged against the service's clock as the case would open. */
  openingRules?: Record<string, OpeningRule<TReferral>>;
  notice?: string;
  summary?(snapshot: SnapshotFrom<TMachine>): CaseSummary;
  migrations?: readonly SnapshotMigration[];
}): Pathway<TReferral> {
  const { rules } = spec;
  // Every pathway's referral rules: those every referral shares, then the pathway's own.
  const referralRules: Record<string, ReferralRule<TReferral>> = {
    ...everyReferralRules,
    ...spec.referralRules,
  };
  const clockRules: Record<string, OpeningRule<TReferral>> = { ...receiptRules, ...spec.openingRules };
  /** Snapshots of this machine: how the erased interface hands them back to the typed pathway. */
  const ofMachine = (s: AnyMachineSnapshot): s is SnapshotFrom<TMachine> => s.machine === spec.machine;
  const typed = (s: AnyMachineSnapshot): SnapshotFrom<TMachine> => {
    if (!ofMachine(s)) throw new TypeError(`not a snapshot of the ${spec.id} machine`);
    return s;
  };
  // Frozen, with its roles and migrations; its machine and schemas stay inside `CaseRecord`.
  const pathway: Pathway<TReferral> = {
    id: spec.id,
    title: spec.title,
    machine: spec.machine,
    referral: spec.referral,
    events: spec.events,
    roles: spec.roles,
    input: standardInput,
    deadlines: (snapshot) => [
      ...spec.deadlines(typed(snapshot)),
      ...(snapshot.status === 'active' ? followUpDeadlines(caseContextOf(snapshot)) : []),
    ],
    explain: (snapshot, candidate) => {
      const event = spec.events.safeParse(candidate);
      return event.success ? refusalOf(rules, snapshot.context, event.data) : undefined;
    },
    notice: spec.notice ?? DEFAULT_NOTICE,
    referralRefusals: (referral) => referralRefusals(referralRules, referral),
    refusalsOnOpening: (referral, now) => [
      ...openingRefusals(clockRules, referral, now),
      ...referralRefusals(referralRules, referral),
    ],
    summary: (snapshot) => spec.summary?.(typed(snapshot)) ?? baseSummary(snapshot),
    migrations: spec.migrations ?? [],
  };
  frozen(pathway);
  return pathway;
}
