import { initialTransition, transition, type AnyMachineSnapshot, type EventObject } from 'xstate';
import type { HolidayCalendar, MeetingSchedule } from '../calendar/calendar';
import {
  caseContextOf,
  type CaseContext,
  type CaseSummary,
  type Deadline,
  type Pathway,
  type PathwayId,
} from '../machines/common/case';
import { referrerIn } from '../machines/common/people';
import { correctedReferral, pendingTransfer, TRANSFER_ANSWERS } from '../machines/common/recordKeeping';
import { EFFECT_TYPES, type Effect } from '../machines/common/effects';
import { Actor, TIMER, type Envelope } from '../machines/common/envelope';
import { stateName, statePath } from '../machines/common/snapshot';
import {
  isPersistedSnapshot,
  migrateSnapshot,
  versionOf,
  type PersistedSnapshot,
} from '../machines/common/versions';
import { pathwayOf } from '../machines';
import { own } from '../validation/lookup';
import type {
  CaseState,
  CaseView,
  DeadlineView,
  Recipients,
  RefusalCode,
  TimelineEntry,
} from '../contract/case';
import { factsOf, type CaseFacts } from '../reports/facts';

/** A refusal: names the state, the allowed actions, and what was wrong. */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

/** The refusal of a referral that fails validation: the case never opens. */
function invalidReferral(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Refusal {
  const listed = issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.').slice(0, 100) || 'referral'}: ${i.message.slice(0, 200)}`)
    .join('; ');
  return new Refusal('invalid', listed, {
    issues: issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/**
 * Why opening a case failed for good, if it did: only a refusal (a referral that fails
 * validation). Any other error is a fault, to be retried and seen, never taken for a bad referral.
 */
export function refusalToOpen(err: unknown): Refusal | undefined {
  return err instanceof Refusal ? err : undefined;
}

/** A copy of plain data (what effects carry), so nothing shared is handed out with it. */
function copied<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copied) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copied(v)])) as T;
}

export interface Applied {
  entry: TimelineEntry;
  effects: { effectId: string; effect: Effect }[];
}

const deadlineKey = (d: Pick<Deadline, 'name' | 'at'>) => `${d.name}@${d.at}`;

/** The event type, if it is one this pathway knows; never a caller's arbitrary text. */
const knownType = (pathway: Pathway, type: unknown): string | undefined =>
  typeof type === 'string' && Object.hasOwn(pathway.roles, type) ? type : undefined;

function deadlineView(d: Deadline): DeadlineView {
  return {
    name: d.name,
    kind: d.kind,
    label: d.label,
    at: d.at,
    ...(d.kind === 'reminder' ? { notify: d.notify } : {}),
  };
}

/** Fields of an event that are its own data (the envelope is recorded separately). */
function eventData(event: EventObject & Partial<Envelope>): Record<string, unknown> | undefined {
  const { type: _t, eventId: _i, at: _a, actor: _r, reason: _why, ...data } = event;
  return Object.keys(data).length ? data : undefined;
}

/** A carried snapshot, migrated to the pathway's current machine version. */
function currentSnapshot(pathway: Pathway, state: CaseState): PersistedSnapshot {
  if (!isPersistedSnapshot(state.snapshot)) throw new TypeError(`case ${state.caseId} carries no snapshot`);
  return migrateSnapshot(state.snapshot, pathway.migrations, state.machineVersion ?? 1);
}

/**
 * A case: a pathway machine's snapshot plus its timeline. Pure and synchronous, so the
 * workflow can apply events inside handlers with no interleaving, and tests can run it directly.
 */
export class CaseRecord {
  // The pathway (its schemas and machine) and the snapshot (which points at the machine) are
  // shared by every case on a worker and cannot be frozen, so they are private to the record.
  #snapshot: AnyMachineSnapshot;
  readonly #pathway: Pathway;
  /** The pathway's deadlines for the current snapshot, computed once per change. */
  #deadlines?: { of: AnyMachineSnapshot; list: Deadline[] };

  private constructor(
    private readonly state: CaseState,
    restored?: AnyMachineSnapshot,
  ) {
    this.#pathway = pathwayOf(state.pathway);
    this.#snapshot = restored ?? this.#pathway.machine.resolveState(currentSnapshot(this.#pathway, state));
  }

  /** Opens a new case; its initial effects (for example an automatic decline) are returned. */
  static open(args: {
    caseId: string;
    pathway: PathwayId;
    referral: unknown;
    team: string;
    calendar: HolidayCalendar;
    at: string;
    actor: Actor;
    previousCaseId?: string;
    reference?: string;
    consultationId?: string;
    /** The rules edition; the pathway's current one when absent. */
    rules?: number;
    meeting?: MeetingSchedule;
  }): { record: CaseRecord; applied: Applied } {
    const pathway = pathwayOf(args.pathway);
    const parsed = pathway.referral.safeParse(args.referral);
    if (!parsed.success) throw invalidReferral(parsed.error.issues);
    const referral = parsed.data;
    const input = pathway.input({
      caseId: args.caseId,
      referral,
      calendar: args.calendar,
      team: args.team,
      ...(args.rules ? { rules: args.rules } : {}),
      ...(args.meeting ? { meeting: args.meeting } : {}),
    });
    const [snapshot, actions] = initialTransition(pathway.machine, input);
    const state: CaseState = {
      caseId: args.caseId,
      pathway: args.pathway,
      snapshot: null,
      timeline: [],
      firedDeadlines: [],
      seenEventIds: [],
      seq: 0,
      ...(args.reference ? { reference: args.reference } : {}),
      ...(args.previousCaseId ? { previousCaseId: args.previousCaseId } : {}),
      ...(args.consultationId ? { consultationId: args.consultationId } : {}),
    };
    const record = new CaseRecord(state, snapshot);
    const received = {
      type: 'REFERRAL_RECEIVED',
      eventId: `${args.caseId}:referral`,
      at: args.at,
      actor: args.actor,
      ...(args.consultationId ? { consultationId: args.consultationId } : {}),
    };
    const applied = record.record(
      (args.previousCaseId ? { ...received, previousCaseId: args.previousCaseId } : received) as EventObject &
        Envelope,
      'received',
      actions,
    );
    return { record, applied };
  }

  /** A record around a bare machine snapshot: for model-based tests and tools. */
  static fromSnapshot(pathway: PathwayId, caseId: string, snapshot: AnyMachineSnapshot): CaseRecord {
    const state = {
      caseId,
      pathway,
      snapshot: null,
      timeline: [],
      firedDeadlines: [],
      seenEventIds: [],
      seq: 0,
    };
    return new CaseRecord(state, snapshot);
  }

  static restore(state: CaseState): CaseRecord {
    return new CaseRecord(state);
  }

  get caseId(): string {
    return this.state.caseId;
  }

  get isClosed(): boolean {
    return this.#snapshot.status === 'done';
  }

  /** What every pathway's context holds. */
  private get context(): CaseContext {
    return caseContextOf(this.#snapshot);
  }

  /** Has this event id been applied already? Events are idempotent by id. */
  hasSeen(eventId: string): boolean {
    return this.state.seenEventIds.includes(eventId);
  }

  /** Event types that some transition of the current state handles, excluding the clock's own. */
  allowedActions(): string[] {
    if (this.isClosed) return [];
    const types = new Set<string>();
    for (const node of this.#snapshot._nodes) for (const type of Object.keys(node.on)) types.add(type);
    return [...types].filter((t) => own(this.#pathway.roles, t)?.some((r) => r !== 'timer')).sort();
  }

  /**
   * Validates an event without changing anything: schema, role, and whether the machine
   * allows it now. Throws a Refusal that names the state and the allowed actions.
   */
  check(candidate: unknown): EventObject & Envelope {
    const state = stateName(this.#snapshot);
    const allowed = this.allowedActions();
    const type = (candidate as { type?: unknown } | null)?.type;
    if (this.isClosed) {
      throw new Refusal(
        'closed',
        `The case is closed; it can no longer change. A re-referral opens a new case.`,
        {
          state,
        },
      );
    }
    const parsed = this.#pathway.events.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 10)
        .map((i) => `${i.path.join('.').slice(0, 100) || 'event'}: ${i.message.slice(0, 200)}`)
        .join('; ');
      const name = knownType(this.#pathway, type) ?? 'event';
      throw new Refusal(
        'invalid',
        `Invalid ${name}: ${issues}. In state "${state}", nothing was changed. Allowed actions: ${allowed.join(', ') || 'none'}.`,
        {
          state,
          allowedActions: allowed,
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        },
      );
    }
    const event = parsed.data;
    const roles = own(this.#pathway.roles, event.type) ?? [];
    if (event.actor.role === 'timer') {
      throw new Refusal(
        'forbidden',
        `In state "${state}", ${event.type} comes only from the case's own clock. Allowed actions: ${allowed.join(', ') || 'none'}.`,
        { state, allowedActions: allowed },
      );
    }
    if (!roles.includes(event.actor.role)) {
      throw new Refusal(
        'forbidden',
        `A ${event.actor.role} may not ${event.type}; it needs: ${roles.join(' or ') || 'nobody'}.`,
        { state, allowedActions: allowed },
      );
    }
    if (!allowed.includes(event.type)) {
      throw new Refusal(
        'notAllowed',
        `In state "${state}", ${event.type} is not allowed. Allowed actions: ${allowed.join(', ') || 'none'}.`,
        { state, allowedActions: allowed },
      );
    }
    if (!this.#snapshot.can(event)) {
      const why =
        this.#pathway.explain(this.#snapshot, event) ??
        `a rule of the ${this.#pathway.title} pathway is not met`;
      throw new Refusal(
        'notAllowed',
        `In state "${state}", ${event.type} is refused: ${why}. Allowed actions: ${allowed.join(', ')}.`,
        { state, allowedActions: allowed },
      );
    }
    return event;
  }

  /** Applies a checked event. Returns the timeline entry and the effects to carry out. */
  apply(event: EventObject & Envelope): Applied {
    const [next, actions] = transition(this.#pathway.machine, this.#snapshot, event);
    const from = statePath(this.#snapshot);
    this.#snapshot = next;
    return this.record(event, from, actions);
  }

  private record(
    event: EventObject & Envelope,
    from: string,
    actions: { type: string; params?: unknown }[],
  ): Applied {
    const seq = ++this.state.seq;
    const entry: TimelineEntry = {
      seq,
      eventId: event.eventId,
      type: event.type,
      at: event.at,
      actor: event.actor,
      ...(event.reason ? { reason: event.reason } : {}),
      ...(eventData(event) ? { data: eventData(event) } : {}),
      from,
      to: statePath(this.#snapshot),
    };
    this.state.timeline.push(entry);
    this.state.seenEventIds.push(event.eventId);
    const effects = actions
      // An effect whose params are null was not wanted this time (see effects.ts).
      .filter((a) => (EFFECT_TYPES as readonly string[]).includes(a.type) && a.params !== null)
      .map((a, i) => ({
        effectId: `${this.state.caseId}:${seq}:${i}`,
        // A copy: static params belong to the machine's definition, which every case shares.
        effect: { type: a.type, params: copied(a.params ?? {}) } as Effect,
      }));
    return { entry, effects };
  }

  /**
   * Records a report from another system that the case refused, so nothing is lost: the
   * machine is untouched, the timeline says what came and why it was refused, and the named
   * worker (or the team) is told.
   */
  refuseReport(
    report: { type?: unknown; eventId?: unknown; actor?: unknown },
    at: string,
    refusal: Refusal,
  ): Applied | undefined {
    if (typeof report.eventId !== 'string' || !report.eventId || report.eventId.length > 200)
      return undefined;
    const actor = Actor.safeParse(report.actor);
    // Only a known event type is quoted: a report's own text never reaches a message or the timeline.
    const type = knownType(this.#pathway, report.type) ?? 'unknown';
    return this.record(
      {
        type: 'REPORT_REFUSED',
        eventId: report.eventId,
        at,
        actor: actor.success ? actor.data : { id: 'unknown', role: 'system' },
        reason: refusal.message,
        reportedType: type,
      } as EventObject & Envelope,
      statePath(this.#snapshot),
      [
        {
          type: 'notify',
          params: { to: 'namedWorker', subject: `A ${type} report was refused`, detail: refusal.message },
        },
      ],
    );
  }

  /** Records a message that could not be delivered within its retries; staff see it on the timeline. */
  effectFailed({ effectId, effect }: Applied['effects'][number], at: string, message: string): Applied {
    return this.record(
      {
        type: 'EFFECT_FAILED',
        eventId: `${effectId}:failed`,
        at,
        actor: TIMER,
        reason: `${effect.type} could not be delivered: ${message}`,
        effect: effect.type,
      } as EventObject & Envelope,
      statePath(this.#snapshot),
      [],
    );
  }

  /** The deadlines that apply in the current snapshot, fired or not; computed once per snapshot. */
  private applicableDeadlines(): Deadline[] {
    if (this.#deadlines?.of !== this.#snapshot)
      this.#deadlines = { of: this.#snapshot, list: this.#pathway.deadlines(this.#snapshot) };
    return this.#deadlines.list;
  }

  /** Deadlines not yet fired, earliest first. */
  pendingDeadlines(): Deadline[] {
    if (this.isClosed) return [];
    return this.applicableDeadlines()
      .filter((d) => !this.state.firedDeadlines.includes(deadlineKey(d)))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /**
   * Service and statutory clocks whose reminder has fired but which are not yet met: they stay
   * overdue until the case moves on, earliest first.
   */
  overdueClocks(): Deadline[] {
    if (this.isClosed) return [];
    const clocks = Object.keys(this.context.workingDayDue ?? {});
    return this.applicableDeadlines()
      .filter(
        (d) =>
          d.kind === 'reminder' &&
          clocks.includes(d.name) &&
          this.state.firedDeadlines.includes(deadlineKey(d)),
      )
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /**
   * Fires a deadline that has come due: a transition deadline feeds its event into the machine;
   * a reminder records itself and asks for a notification.
   */
  fire(deadline: Deadline, now: string): Applied {
    this.state.firedDeadlines.push(deadlineKey(deadline));
    const envelope = { eventId: `${this.state.caseId}:${deadlineKey(deadline)}`, at: now, actor: TIMER };
    if (deadline.kind === 'transition') {
      const event = { ...deadline.event, ...envelope };
      return this.#snapshot.can(event)
        ? this.apply(event)
        : this.record({ ...event, type: `${event.type}_IGNORED` }, statePath(this.#snapshot), []);
    }
    const reminder = { type: 'REMINDER', ...envelope, reason: deadline.label };
    const from = statePath(this.#snapshot);
    return this.record(reminder, from, [
      { type: 'notify', params: { to: deadline.notify, subject: deadline.label } },
    ]);
  }

  view(): CaseView {
    const summary = this.#pathway.summary(this.#snapshot);
    const overdue = this.overdueClocks();
    const ctx = this.context;
    const transfer = this.isClosed ? undefined : pendingTransfer(ctx);
    return {
      caseId: this.state.caseId,
      pathway: this.state.pathway,
      state: summary.state,
      statePath: statePath(this.#snapshot),
      open: summary.open,
      team: summary.team,
      ...(summary.namedWorker ? { namedWorker: summary.namedWorker } : {}),
      allowedActions: this.allowedActions(),
      deadlines: this.pendingDeadlines().map(deadlineView),
      ...(overdue.length ? { overdue: overdue.map(deadlineView) } : {}),
      ...(ctx.closure ? { closure: ctx.closure } : {}),
      lastSeq: this.state.seq,
      ...(transfer
        ? {
            transfer: {
              toTeam: transfer.toTeam,
              requestedAt: transfer.requestedAt,
              requestedBy: transfer.requestedBy,
            },
          }
        : {}),
      ...(this.state.reference ? { reference: this.state.reference } : {}),
      ...(this.state.previousCaseId ? { previousCaseId: this.state.previousCaseId } : {}),
      ...(this.state.consultationId ? { consultationId: this.state.consultationId } : {}),
    };
  }

  summary(): CaseSummary {
    const summary = this.#pathway.summary(this.#snapshot);
    const ctx = this.context;
    if (!ctx.transfers?.length) return summary;
    return { ...summary, transferTo: (this.isClosed ? undefined : pendingTransfer(ctx)?.toTeam) ?? null };
  }

  /** The team whose staff may send this event: a transfer's answer comes from the team it is offered to. */
  teamToAnswer(type: unknown): string {
    const offered = pendingTransfer(this.context);
    return offered && typeof type === 'string' && TRANSFER_ANSWERS.includes(type)
      ? offered.toTeam
      : this.summary().team;
  }

  /** What reports count about the case: codes and dates, no personal data. */
  facts(): CaseFacts {
    return factsOf({
      caseId: this.state.caseId,
      pathway: this.state.pathway,
      seq: this.state.seq,
      context: this.context as CaseContext & Record<string, unknown>,
      summary: this.summary(),
      timeline: this.state.timeline,
      fromConsultation: !!this.state.consultationId,
    });
  }

  /** Who notifications about this case go to. */
  recipients(): Recipients {
    const ctx = this.context;
    const referrer = referrerIn(this.details());
    return {
      team: ctx.team,
      ...(ctx.namedWorker ? { namedWorker: ctx.namedWorker } : {}),
      ...(referrer ? { referrer: { name: referrer.name, ...referrer.contact } } : {}),
    };
  }

  /** The machine's full context, personal data included: for authorised staff only. */
  details(): Record<string, unknown> {
    const ctx = this.context as CaseContext & { referral?: unknown };
    // The referral's people as they stand now: corrections applied (their history is in `corrections`).
    return {
      ...ctx,
      calendar: undefined,
      ...(ctx.corrections?.length ? { referral: correctedReferral(ctx) } : {}),
    };
  }

  timeline(): TimelineEntry[] {
    return this.state.timeline;
  }

  /** Plain data for continue-as-new and archiving. */
  toState(): CaseState {
    return {
      ...this.state,
      snapshot: this.#pathway.machine.getPersistedSnapshot(this.#snapshot),
      machineVersion: versionOf(this.#pathway.migrations),
    };
  }
}
