import { daysBetween, localDateOf } from '../calendar/calendar';
import { frozen, type Frozen } from '../validation/frozen';
import type { CaseContext, CaseSummary, PathwayId } from '../machines/common/case';
import type { TimelineEntry } from '../contract/case';

/**
 * What reports count about one case: codes, staff ids and dates of process only, no personal
 * data. Derived from the case's own record, so the figures are the cases', never typed in.
 */
export interface CaseFacts {
  caseId: string;
  pathway: PathwayId;
  team: string;
  /** The case's event sequence: a projection keeps the highest. */
  seq: number;
  receivedAt: string;
  /** The referrer's role code. */
  source: string;
  fromConsultation: boolean;
  state: string;
  open: boolean;
  namedWorker?: string;
  /** The first decision on the referral: accepted or declined, or the front door's decision code. */
  firstDecision?: { at: string; outcome: string };
  /**
   * The assessment's outcome as a code, and when it was recorded (the latest, if it was recorded
   * again): what a supervisor signs off.
   */
  assessment?: { at: string; outcome: string };
  /** Each working-day clock the case started, when it was due, and when it was met. */
  clocks: { name: string; due: string; metAt?: string }[];
  closure?: { at: string; reason: string };
  outcome?: {
    socialCareAtClosure?: string;
    releasedAt?: string;
    /** The UK date the person was released (the release event's own date where it gives one). */
    releasedOn?: string;
    engagedBeforeRelease?: boolean;
    /** Contacts recorded before the day of release. */
    contactsBeforeRelease?: number;
    /** Days from release to the first contact on or after the day of release, once there is one. */
    daysToFirstCommunityContact?: number;
    handedOver?: boolean;
    handedOverBeforeRelease?: boolean;
  };
}

/** Events that meet each clock (the first after the case opened). */
export const CLOCK_MET_BY: Frozen<Record<string, string[]>> = frozen({
  screeningDue: ['ACCEPT_FOR_ASSESSMENT', 'REFER_TO_TEAM_MEETING', 'DECLINE_AT_SCREENING'],
  referralDecision: ['REFERRAL_DECISION'],
  assessment: ['ASSESSMENT_COMPLETED'],
  assessmentDue: ['ASSESSMENT_COMPLETED'],
  strategyDiscussion: ['STRATEGY_DISCUSSION_HELD'],
  initialConference: ['INITIAL_CONFERENCE_HELD'],
  firstCoreGroup: ['CORE_GROUP_HELD'],
  referrerNextSteps: ['REFERRER_CONTACTED'],
  extensionDecisionDue: ['APPROVE_EXTENSION', 'REJECT_EXTENSION'],
});

/** The clock a pathway's first decision is measured against, where the service sets one. */
export const DECISION_STANDARD: Frozen<Partial<Record<PathwayId, string>>> = frozen({
  parentInfant: 'screeningDue',
  frontDoor: 'referralDecision',
});

function decisionOf(e: TimelineEntry): string | undefined {
  const decision = e.data?.['decision'];
  switch (e.type) {
    case 'ACCEPT_FOR_ASSESSMENT':
      return 'accepted';
    case 'DECLINE_AT_SCREENING':
      return 'declined';
    case 'TEAM_MEETING_DECISION':
      return decision === 'accept' ? 'accepted' : decision === 'decline' ? 'declined' : undefined;
    case 'REFERRAL_DECISION':
      return typeof decision === 'string' ? decision : undefined;
    default:
      return undefined;
  }
}

/** An assessment's outcome as a code: its own where it has one, else from its yes/no answers. */
function assessmentOutcomeOf(e: TimelineEntry): string {
  const d = e.data ?? {};
  if (typeof d['outcome'] === 'string') return d['outcome'];
  if (typeof d['suitable'] === 'boolean') return d['suitable'] ? 'suitable' : 'notSuitable';
  if (d['consent'] === false) return 'noConsent';
  if (d['appropriate'] === false) return 'notAppropriate';
  if (d['appropriate'] === true) return 'appropriate';
  return 'recorded';
}

const RELEASE_EVENTS: readonly string[] = frozen(['RELEASED', 'RELEASE_DATE_REACHED']);

/** The facts of a case from its context, summary and timeline; pure, so workflows may call it. */
export function factsOf(args: {
  caseId: string;
  pathway: PathwayId;
  seq: number;
  context: CaseContext & Record<string, unknown>;
  summary: CaseSummary;
  timeline: readonly TimelineEntry[];
  fromConsultation: boolean;
}): CaseFacts {
  const { context: ctx, summary, timeline } = args;
  const referral = ctx['referral'] as { referrer?: { role?: unknown } } | undefined;
  const firstDecision = timeline
    .map((e) => ({ at: e.at, outcome: decisionOf(e) }))
    .find((d): d is { at: string; outcome: string } => d.outcome !== undefined);
  const clocks = Object.entries(ctx.workingDayDue ?? {}).map(([name, due]) => {
    const met = timeline.find((e) => CLOCK_MET_BY[name]?.includes(e.type));
    return { name, due, ...(met ? { metAt: met.at } : {}) };
  });
  const closure = ctx.closure ? { at: ctx.closure.at, reason: ctx.closure.reason } : undefined;
  const assessed = timeline.filter((e) => e.type === 'ASSESSMENT_COMPLETED').at(-1);
  return {
    caseId: args.caseId,
    pathway: args.pathway,
    team: summary.team,
    seq: args.seq,
    receivedAt: ctx.receivedAt,
    source: typeof referral?.referrer?.role === 'string' ? referral.referrer.role : 'unknown',
    fromConsultation: args.fromConsultation,
    state: summary.state,
    open: summary.open,
    ...(summary.namedWorker ? { namedWorker: summary.namedWorker } : {}),
    ...(firstDecision ? { firstDecision } : {}),
    ...(assessed ? { assessment: { at: assessed.at, outcome: assessmentOutcomeOf(assessed) } } : {}),
    clocks,
    ...(closure ? { closure } : {}),
    ...outcomeOf(args.pathway, ctx, timeline, closure),
  };
}

function outcomeOf(
  pathway: PathwayId,
  ctx: Record<string, unknown>,
  timeline: readonly TimelineEntry[],
  closure: CaseFacts['closure'],
): Pick<CaseFacts, 'outcome'> {
  if (pathway === 'parentInfant') {
    const history = (ctx['socialCareHistory'] ?? []) as { status: string }[];
    return closure ? { outcome: { socialCareAtClosure: history.at(-1)?.status ?? 'none' } } : {};
  }
  if (pathway === 'reconnect' || pathway === 'enhancedReconnect') {
    const release = timeline.find((e) => RELEASE_EVENTS.includes(e.type));
    const releasedAt = release?.at;
    const before = (type: string) =>
      timeline.some((e) => e.type === type && (!releasedAt || e.at < releasedAt));
    const handedOver = timeline.some((e) => e.type === 'HANDOVER_COMPLETED');
    const givenDay = release?.data?.['releasedOn'];
    const releasedOn =
      typeof givenDay === 'string' ? givenDay : releasedAt ? localDateOf(releasedAt) : undefined;
    // A contact counts on the UK day it happened (its own `occurredAt`), not when it was recorded.
    const contactDays = timeline
      .filter((e) => e.type === 'RECORD_CONTACT')
      .map((e) => localDateOf(typeof e.data?.['occurredAt'] === 'string' ? e.data['occurredAt'] : e.at))
      .sort();
    const firstAfter = releasedOn ? contactDays.find((d) => d >= releasedOn) : undefined;
    return {
      outcome: {
        ...(releasedAt ? { releasedAt } : {}),
        ...(releasedOn
          ? {
              releasedOn,
              contactsBeforeRelease: contactDays.filter((d) => d < releasedOn).length,
              ...(firstAfter ? { daysToFirstCommunityContact: daysBetween(releasedOn, firstAfter) } : {}),
            }
          : {}),
        engagedBeforeRelease: before('RECORD_CONTACT'),
        handedOver,
        handedOverBeforeRelease: handedOver && before('HANDOVER_COMPLETED'),
      },
    };
  }
  return {};
}
