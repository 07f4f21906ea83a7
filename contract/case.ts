import type { HolidayCalendar, MeetingSchedule } from '../calendar/calendar';
import type { Closure, Deadline, PathwayId } from '../machines/common/case';
import type { Actor } from '../machines/common/envelope';

/** Why a case, or the service on its behalf, refused something: one list, one meaning each. */
export const REFUSAL_CODES = ['invalid', 'forbidden', 'notFound', 'notAllowed', 'closed'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export const isRefusalCode = (v: unknown): v is RefusalCode =>
  typeof v === 'string' && (REFUSAL_CODES as readonly string[]).includes(v);

/**
 * What crosses the Temporal boundary about a case: the workflow's input and carried state, what
 * callers see, and who messages go to. Plain data; clients, activities and the workflow all
 * speak it, and none of them needs another's code to do so.
 */

/** One line of the case's audit trail: who did what, when, why, and what it changed. */
export interface TimelineEntry {
  seq: number;
  eventId: string;
  type: string;
  at: string;
  actor: Actor;
  reason?: string;
  data?: Record<string, unknown>;
  from: string;
  to: string;
}

export interface DeadlineView {
  name: string;
  kind: Deadline['kind'];
  label: string;
  at: string;
  notify?: string;
}

/** What a caller sees after an action, and what a supervisor sees on query. */
export interface CaseView {
  caseId: string;
  pathway: PathwayId;
  state: string;
  statePath: string;
  open: boolean;
  team: string;
  namedWorker?: string;
  allowedActions: string[];
  deadlines: DeadlineView[];
  /** Clocks whose reminder has fired and which are still not met. */
  overdue?: DeadlineView[];
  closure?: Closure;
  lastSeq: number;
  /** The case's short reference from the record store, for example `PI-26-0042`. */
  reference?: string;
  /** The closed case this re-referral follows, if any. */
  previousCaseId?: string;
  /** The consultation this referral came from, if any. */
  consultationId?: string;
  /** A transfer to another team waiting for that team's answer. */
  transfer?: { toTeam: string; requestedAt: string; requestedBy: string };
  /**
   * Set when the case's execution was ended in Temporal (terminated, say) without the case
   * closing: it is no longer open, though its own state never moved.
   */
  ended?: { status: 'terminated' | 'failed' | 'timedOut' | 'canceled'; at?: string };
}

/** Everything needed to carry a case across continue-as-new, as plain data. */
export interface CaseState {
  caseId: string;
  pathway: PathwayId;
  snapshot: unknown;
  timeline: TimelineEntry[];
  firedDeadlines: string[];
  seenEventIds: string[];
  seq: number;
  /** The case's short reference (absent on cases opened before references). */
  reference?: string;
  previousCaseId?: string;
  consultationId?: string;
  /** The machine version that saved `snapshot`; absent in cases saved before versions began (1). */
  machineVersion?: number;
}

export interface CaseWorkflowInput {
  pathway: PathwayId;
  referral: unknown;
  team: string;
  /** Bank holidays in force when the case opened: reference data travels in history, so replays agree. */
  calendar: HolidayCalendar;
  /** Who submitted the referral. */
  actor: Actor;
  /** The team's weekly meeting when the case opened; absent: Monday 10:00. */
  meeting?: MeetingSchedule;
  /** Keyed hash of the child's reference, for finding linked cases (never the reference itself). */
  childLinkKey?: string;
  /** Upsert search attributes (off only on servers without the custom attributes registered). */
  searchAttributes?: boolean;
  /** Continue as new once the history is this long (the server's own suggestion always applies too). */
  continueAsNewAfter?: number;
  /** A re-referral: the closed case of the same pathway that it follows. */
  previousCaseId?: string;
  /** The case's short reference, allocated in the record store before the case starts. */
  reference?: string;
  /** The duty-line call or consultation this referral came from. */
  consultationId?: string;
  /** Present when a case continues as new. */
  carried?: CaseState;
  /**
   * The rules edition the case opens under (machines/common/rules.ts), chosen by the client that
   * opens it. Absent on cases opened before the edition travelled in the input: their histories'
   * patch markers say which edition they have (workflows/patches.ts: RULES_EDITIONS).
   */
  rules?: number;
}

/** Who notifications about a case go to. */
export interface Recipients {
  team: string;
  namedWorker?: string;
  /** The referrer's contact route: personal data, travels only inside encrypted payloads. */
  referrer?: { name: string; route: string; value: string };
}
