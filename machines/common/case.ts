import { frozen } from '../../validation/frozen';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import type { HolidayCalendar, MeetingSchedule } from '../../calendar/calendar';
import type { Actor, Envelope, Role } from './envelope';
import type { z } from '../../validation/zod';
import type { SnapshotMigration } from './versions';
import type { RecordContext } from './recordKeeping';

export const PATHWAYS = frozen(['parentInfant', 'frontDoor', 'reconnect', 'enhancedReconnect'] as const);
export type PathwayId = (typeof PATHWAYS)[number];

/** Who a reminder goes to. */
export type Recipient = 'namedWorker' | 'supervisor' | 'referrer' | 'team';

/**
 * A deadline is data: derived from a state's context, it moves when the context moves.
 * `transition` deadlines feed `event` into the machine; `reminder` deadlines notify someone.
 */
export type Deadline =
  | { kind: 'transition'; name: string; at: string; label: string; event: EventObject }
  | { kind: 'reminder'; name: string; at: string; label: string; notify: Recipient };

/** Every closed case says why, when, who closed it, and any signposting given. */
export interface Closure<R extends string = string> {
  /** One of the pathway's closure reasons. */
  reason: R;
  at: string;
  by: Actor;
  note?: string;
  signposting: string[];
}

/** Context fields every pathway machine carries. */
export interface CaseContext extends RecordContext {
  caseId: string;
  calendar: HolidayCalendar;
  team: string;
  namedWorker?: string;
  receivedAt: string;
  closure?: Closure;
  /** Reminders caseworkers set for themselves (see kit.ts). */
  followUps?: { id: string; dueAt: string; by: string }[];
  /** Working-day deadlines as computed when their clock started (see referenceData.ts). */
  workingDayDue?: Record<string, string>;
  /** The edition of the services' rules the case opened under (see rules.ts); absent: 1. */
  rules?: number;
}

/** Values safe to expose for search: no names, dates of birth, identifiers or free text. */
export interface CaseSummary {
  state: string;
  open: boolean;
  team: string;
  namedWorker?: string;
  releaseDate?: string;
  priorityGroup?: string;
  /** The team a transfer waits on; null once a case offered for transfer has none waiting. */
  transferTo?: string | null;
}

/**
 * What the generic workflow needs to know about a pathway, its types erased (see
 * `definePathway`, which builds it from a typed machine); machines stay free of Temporal.
 */
export interface Pathway<TReferral = unknown> {
  id: PathwayId;
  title: string;
  machine: AnyStateMachine;
  referral: z.ZodType<TReferral>;
  /** A discriminated union of every event the machine accepts from outside. */
  events: z.ZodType<EventObject & Envelope>;
  /** Which roles may send each event type from outside: the one owner of who may do what. */
  roles: Record<string, readonly Role[]>;
  /** Machine input for a new case. */
  input(args: {
    caseId: string;
    referral: TReferral;
    calendar: HolidayCalendar;
    team: string;
    rules?: number;
    /** The team's weekly meeting; absent: Monday 10:00. */
    meeting?: MeetingSchedule;
  }): unknown;
  deadlines(snapshot: AnyMachineSnapshot): Deadline[];
  /** Shown to whoever refers: where to turn in an emergency, and the service's own lines. */
  notice: string;
  /** Why a referral is refused before any case opens (rules.ts: ReferralRule); empty if it is not. */
  referralRefusals(referral: TReferral): string[];
  /**
   * Every reason a referral cannot open a case at `now`, the service's clock: the rules judged
   * against it (rules.ts: OpeningRule; when it was received, for one) and `referralRefusals`.
   * Judged once, before the case opens; empty if it may.
   */
  refusalsOnOpening(referral: TReferral, now: string): string[];
  /** Why an event whose type the state handles is refused now: the rule it breaks, in words. */
  explain(snapshot: AnyMachineSnapshot, event: unknown): string | undefined;
  summary(snapshot: AnyMachineSnapshot): CaseSummary;
  /** Migrations of saved snapshots, oldest first; the machine's version is their count plus one. */
  migrations: readonly SnapshotMigration[];
}

/** The parts of a machine snapshot the workflow reads. */
export interface CaseSnapshot {
  value: unknown;
  context: CaseContext;
  status: string;
}

/** What every pathway's context holds (a machine's own context type has more). */
export const caseContextOf = (snapshot: CaseSnapshot): CaseContext => snapshot.context;
