import { and, assertEvent, assign, setup } from 'xstate';
import {
  addMonths,
  addWeeks,
  localDateOf,
  MONDAY_MEETING,
  nextTeamMeeting,
  type HolidayCalendar,
  type MeetingSchedule,
} from '../../calendar/calendar';
import { frozen, type Frozen } from '../../validation/frozen';
import type { CaseContext, Closure } from '../common/case';
import { closureOf, signpostingOf } from '../common/closure';
import { effectActions } from '../common/effects';
import { TIMER } from '../common/envelope';
import { stampDue } from '../common/referenceData';
import { KIT_HANDLERS, kitRules, kitUpdates } from '../common/kit';
import { editionGuards, ruleOn, RULES_VERSION, underRules } from '../common/rules';
import { awaitingTeamMeetingState, meetingRules } from '../common/teamMeeting';
import {
  enhancedEligibility,
  reconnectEligibility,
  type CustodyDecision,
  type PriorityGroup,
} from './eligibility';
import { CASEWORKER_CLOSURE_REASONS, CustodyClosureReason, type CustodyEvent } from './events';
import type { CustodyReferral, EnhancedReferral } from './referral';

/** [decision] Assessment of appropriateness and consent is due within this many working days. */
export const ASSESSMENT_WORKING_DAYS = 5;
/** [decision] A supervisor decides on an extension request within this many working days. */
export const EXTENSION_DECISION_WORKING_DAYS = 2;
/** [decision] After acceptance, the referrer is contacted to agree next steps (003) within this many working days. */
export const REFERRER_CONTACT_WORKING_DAYS = 5;
/** ROTL may be supported within this many weeks before release (004), whatever the pathway's window. */
export const ROTL_WEEKS_BEFORE_RELEASE = 12;
/** [decision] After release, the named worker is reminded when no contact is recorded for this many days. */
export const NO_CONTACT_AFTER_RELEASE_DAYS = 14;

/** What differs between RECONNECT and Enhanced RECONNECT, as plain data kept in each case. */
export interface CustodyPolicy {
  pathway: 'reconnect' | 'enhancedReconnect';
  /** Pre-release support starts this long before release (or at referral, if later). */
  preReleaseWindow: { weeks: number } | { months: number };
  postReleaseMonths: number;
  limitReason: 'sixMonthLimitReached' | 'twelveMonthLimitReached';
  /** Contacts expected before release; a reminder fires `contactsReminderDays` before it if fewer. */
  minContactsBeforeRelease: number;
  contactsReminderDays: number;
  /** [decision] Reminders: named worker needed, handover due, limit approaching (days). */
  namedWorkerReminderDays: number;
  handoverReminderDays: number;
  limitWarningDays: number;
  /** Partial matches are a team decision (Enhanced RECONNECT). */
  teamMeeting: boolean;
}

export const RECONNECT_POLICY: Frozen<CustodyPolicy> = frozen({
  pathway: 'reconnect',
  preReleaseWindow: { weeks: 12 },
  postReleaseMonths: 6,
  limitReason: 'sixMonthLimitReached',
  minContactsBeforeRelease: 2,
  contactsReminderDays: 14,
  namedWorkerReminderDays: 28,
  handoverReminderDays: 14,
  limitWarningDays: 28,
  teamMeeting: false,
});

export const ENHANCED_POLICY: Frozen<CustodyPolicy> = frozen({
  pathway: 'enhancedReconnect',
  preReleaseWindow: { months: 6 },
  postReleaseMonths: 12,
  limitReason: 'twelveMonthLimitReached',
  minContactsBeforeRelease: 0,
  contactsReminderDays: 14,
  namedWorkerReminderDays: 28,
  handoverReminderDays: 14,
  limitWarningDays: 28,
  teamMeeting: true,
});

export interface CustodyContact {
  mode: string;
  occurredAt: string;
  notFaceToFaceBecause?: string;
  duringRotl: boolean;
  phase: 'preRelease' | 'postRelease';
  recordedBy: string;
}

export interface CustodyContext extends CaseContext {
  closure?: Closure<CustodyClosureReason>;
  policy: CustodyPolicy;
  referral: CustodyReferral | EnhancedReferral;
  eligibility: CustodyDecision & { priorityGroup?: PriorityGroup };
  /** The scheduled release date while in custody; `null` when unknown. */
  releaseDate: string | null;
  releasedOn?: string;
  /** The case moved to post-release on the expected date, with no release reported. */
  releaseAssumed?: boolean;
  receivingService?: string;
  /** The receiving service the handover message went to, when it was sent on entering pre-release. */
  handoverSentTo?: string;
  /**
   * Accepted: the clock for agreeing next steps with the referrer starts. On receipt when the
   * referral goes straight to assessment (rules edition 3), else when the assessment accepts it.
   */
  acceptedAt?: string;
  referrerContactedAt?: string;
  peerSupport?: { offeredAt: string; accepted: boolean; by: string };
  handoverCompletedAt?: string;
  contacts: CustodyContact[];
  /** Contacts since the person was last in custody (reset on recall); rules edition 3 counts `contacts`. */
  preReleaseContactCount: number;
  /** Where this time in custody's contacts begin in `contacts`: set on recall (rules edition 3). */
  custodyContactsFrom?: number;
  extensionRequest?: { until: string; justification: string; requestedBy: string; requestedAt: string };
  extendedUntil?: string;
  meeting: MeetingSchedule;
  meetingAt?: string;
  meetingsCarriedOver: number;
}

export interface CustodyInput {
  caseId: string;
  referral: CustodyReferral | EnhancedReferral;
  calendar: HolidayCalendar;
  team: string;
  /** The rules edition (see machines/common/rules.ts). */
  rules?: number;
  meeting?: MeetingSchedule;
}

/** The local date the pre-release window opens, if the release date is known. */
export function windowOpensOn(ctx: Pick<CustodyContext, 'releaseDate' | 'policy'>): string | undefined {
  if (!ctx.releaseDate) return undefined;
  const w = ctx.policy.preReleaseWindow;
  return 'weeks' in w ? addWeeks(ctx.releaseDate, -w.weeks) : addMonths(ctx.releaseDate, -w.months);
}

export function isWindowOpen(ctx: Pick<CustodyContext, 'releaseDate' | 'policy'>, at: string): boolean {
  const opens = windowOpensOn(ctx);
  return opens !== undefined && localDateOf(at) >= opens;
}

/**
 * The contacts that count towards those expected before release. Rules edition 3 counts the
 * contacts of this time in custody that fall in the pre-release window once the release date is
 * known (RECONNECT's 12 weeks, 004), so a contact made long before, on temporary licence while no
 * date was known or before the date moved later, does not silence the reminder; earlier
 * editions counted every contact before release, whatever its date.
 */
export function contactsBeforeRelease(
  ctx: Pick<
    CustodyContext,
    'rules' | 'releaseDate' | 'policy' | 'contacts' | 'preReleaseContactCount' | 'custodyContactsFrom'
  >,
): number {
  if (!underRules(ctx, 3)) return ctx.preReleaseContactCount;
  const opens = windowOpensOn(ctx);
  return ctx.contacts
    .slice(ctx.custodyContactsFrom ?? 0)
    .filter((c) => c.phase === 'preRelease' && (!opens || localDateOf(c.occurredAt) >= opens)).length;
}

/** The last day of post-release support: the extension's end, or N calendar months after release. */
export function postReleaseLimit(
  ctx: Pick<CustodyContext, 'releasedOn' | 'extendedUntil' | 'policy'>,
): string | undefined {
  if (!ctx.releasedOn) return undefined;
  return ctx.extendedUntil ?? addMonths(ctx.releasedOn, ctx.policy.postReleaseMonths);
}

const rule = ruleOn<CustodyContext, CustodyEvent>();

const releaseCorrected = {
  type: 'notify' as const,
  params: { to: 'namedWorker' as const, subject: 'Release date corrected: the person was not released' },
};

/** The rules a transition guards on, by name; a refusal quotes the rule that did not hold. */
export const custodyRules = frozen({
  ...meetingRules<CustodyEvent>(),
  releaseDateBeforeRelease: rule(
    'RELEASE_DATE_CHANGED',
    (ctx) => !ctx.releasedOn,
    () => 'the person has already been released; report a recall to custody instead',
  ),
  releaseNotInFuture: rule(
    'RELEASED',
    (ctx, e) => !underRules(ctx, 2) || e.releasedOn <= localDateOf(e.at),
    (_, e) =>
      `a release on ${e.releasedOn} has not happened yet: report the expected date (RELEASE_DATE_CHANGED)`,
  ),
  releaseWasAssumed: rule(
    'RELEASE_DATE_CORRECTED',
    (ctx) => ctx.releaseAssumed === true,
    () => 'the release was reported, not assumed on the expected date: report a recall instead (RECALLED)',
  ),
  correctedDateAhead: rule(
    'RELEASE_DATE_CORRECTED',
    (_, e) => e.releaseDate > localDateOf(e.at),
    () => 'the corrected release date is after today',
  ),
  correctionExplained: rule(
    'RELEASE_DATE_CORRECTED',
    (_, e) => !!e.reason,
    () => 'a release-date correction says why (reason)',
  ),
  referrerNotYetContacted: rule(
    'REFERRER_CONTACTED',
    (ctx) => !ctx.referrerContactedAt,
    (ctx) => `the referrer was contacted on ${ctx.referrerContactedAt}`,
  ),
  extensionApprovedByAnother: rule(
    'APPROVE_EXTENSION',
    (ctx, e) => !underRules(ctx, 2) || e.actor.id !== ctx.extensionRequest?.requestedBy,
    () => 'an extension is approved by a supervisor other than the one who requested it',
  ),
  releaseNotYetRecorded: rule(
    'RELEASED',
    (ctx) => !ctx.releasedOn,
    (ctx) => `the release on ${ctx.releasedOn} is already recorded`,
  ),
  remoteContactExplained: rule(
    'RECORD_CONTACT',
    (_, e) => e.mode === 'faceToFace' || !!e.notFaceToFaceBecause,
    () => 'a contact that was not face to face needs the reason (notFaceToFaceBecause)',
  ),
  // After remoteContactExplained: a refusal quotes the first rule that fails. From rules edition 3
  // a contact on licence is recorded while no release date is known (open prisons, parole pending);
  // once the date is known only those in the pre-release window count (contactsBeforeRelease).
  rotlWithinTwelveWeeks: rule(
    'RECORD_CONTACT',
    (ctx, e) =>
      e.duringRotl &&
      (ctx.releaseDate
        ? localDateOf(e.occurredAt) >= addWeeks(ctx.releaseDate, -ROTL_WEEKS_BEFORE_RELEASE)
        : underRules(ctx, 3)),
    (ctx) =>
      underRules(ctx, 3)
        ? `before pre-release support begins, only a contact during release on temporary licence is recorded, and once the release date is known only one within ${ROTL_WEEKS_BEFORE_RELEASE} weeks of it`
        : `before pre-release support begins, only a contact during release on temporary licence within ${ROTL_WEEKS_BEFORE_RELEASE} weeks of the release date is recorded`,
  ),
  receivingServiceSet: rule(
    'HANDOVER_COMPLETED',
    (ctx) => !!ctx.receivingService,
    () => 'no receiving service is set: set one first (SET_RECEIVING_SERVICE)',
  ),
  handoverNotYetComplete: rule(
    'HANDOVER_COMPLETED',
    (ctx) => !ctx.handoverCompletedAt,
    () => 'the handover is already complete',
  ),
  noExtensionWaiting: rule(
    'REQUEST_EXTENSION',
    (ctx) => !ctx.extensionRequest,
    () => 'an extension request is already waiting for a supervisor',
  ),
  extensionEndsAfterLimit: rule(
    'REQUEST_EXTENSION',
    (ctx, e) => {
      const limit = postReleaseLimit(ctx);
      return !limit || e.until > limit;
    },
    (ctx) => `the new end date must be after the current limit, ${postReleaseLimit(ctx)}`,
  ),
  extensionToApprove: rule(
    'APPROVE_EXTENSION',
    (ctx) => !!ctx.extensionRequest,
    () => 'there is no extension request to approve',
  ),
  extensionToReject: rule(
    'REJECT_EXTENSION',
    (ctx) => !!ctx.extensionRequest,
    () => 'there is no extension request to reject',
  ),
  ...kitRules(CASEWORKER_CLOSURE_REASONS),
});

/**
 * The states inside `open`, named once for the compiler: the machine's own type cannot carry
 * them, because the team-meeting state exists only in Enhanced RECONNECT (a test keeps this
 * list and the machines in step).
 */
export const CUSTODY_OPEN_STATES = frozen([
  'awaitingTeamMeeting',
  'assessment',
  'awaitingPreReleaseWindow',
  'preRelease',
  'postRelease',
] as const);
export type CustodyOpenState = (typeof CUSTODY_OPEN_STATES)[number];

/** Builds the machine for one custody pathway from its policy. */
export function createCustodyMachine(policy: CustodyPolicy) {
  const eligibilityOf = (r: CustodyInput['referral'], rules: number) =>
    policy.pathway === 'enhancedReconnect'
      ? enhancedEligibility(r as EnhancedReferral, rules)
      : reconnectEligibility(r);

  return setup({
    types: {
      context: {} as CustodyContext,
      events: {} as CustodyEvent,
      input: {} as CustodyInput,
    },
    guards: {
      ...editionGuards,
      ...rule.guards(custodyRules),
      outOfWindow: ({ context }) => context.eligibility.outOfWindow === true,
      ineligible: ({ context }) => context.eligibility.outcome === 'ineligible',
      teamDecision: ({ context }) => context.eligibility.outcome === 'teamDecision',
      decisionIs: ({ event }, decision: 'accept' | 'decline' | 'defer') =>
        event.type === 'TEAM_MEETING_DECISION' && event.decision === decision,
      noConsent: ({ event }) => event.type === 'ASSESSMENT_COMPLETED' && !event.consent,
      notAppropriate: ({ event }) => event.type === 'ASSESSMENT_COMPLETED' && !event.appropriate,
      released: ({ context }) => !!context.releasedOn,
      windowOpen: ({ context, event }) => isWindowOpen(context, event.at),
      // A receiving service known at referral gets the handover once pre-release begins, as one
      // set later does (rules edition 2); once per service.
      handoverToSend: ({ context }) =>
        underRules(context, 2) &&
        !!context.receivingService &&
        context.handoverSentTo !== context.receivingService,
      correctedWindowOpen: ({ context, event }) =>
        event.type === 'RELEASE_DATE_CORRECTED' &&
        isWindowOpen({ policy: context.policy, releaseDate: event.releaseDate }, event.at),
    },
    actions: {
      ...effectActions,
      closeIneligible: assign(({ context }, reason: CustodyClosureReason) => ({
        closure: {
          reason,
          at: context.receivedAt,
          by: TIMER,
          note: `Not eligible: ${context.eligibility.unmet.join('; ')}`,
          signposting: [],
        },
      })),
      close: assign(({ event }, reason: CustodyClosureReason) => ({
        closure: closureOf(reason, event, signpostingOf(event)),
      })),
      closeAsRequested: assign(kitUpdates.closeAsRequested(CustodyClosureReason)),
      closeAtLimit: assign(({ context, event }) => ({
        closure: closureOf(context.extendedUntil ? 'extensionEnded' : context.policy.limitReason, event),
      })),
      scheduleMeeting: assign(({ context }) => ({
        meetingAt: nextTeamMeeting(context.receivedAt, context.calendar, context.meeting),
      })),
      carryOverMeeting: assign(({ context }) => ({
        meetingAt: nextTeamMeeting(
          context.meetingAt ?? context.receivedAt,
          context.calendar,
          context.meeting,
        ),
        meetingsCarriedOver: context.meetingsCarriedOver + 1,
      })),
      changeReleaseDate: assign(({ event }) => {
        assertEvent(event, 'RELEASE_DATE_CHANGED');
        return { releaseDate: event.releaseDate };
      }),
      // Reported, or assumed on the expected date when the date came with no report.
      recordRelease: assign(({ context, event }) => {
        assertEvent(event, ['RELEASED', 'RELEASE_DATE_REACHED']);
        if (event.type === 'RELEASED') return { releasedOn: event.releasedOn, releaseAssumed: false };
        return { releasedOn: context.releaseDate ?? localDateOf(event.at), releaseAssumed: true };
      }),
      // Back before release: every post-release clock waits for the new date.
      correctRelease: assign(({ event }) => {
        assertEvent(event, 'RELEASE_DATE_CORRECTED');
        return {
          releaseDate: event.releaseDate,
          releasedOn: undefined,
          releaseAssumed: false,
          extendedUntil: undefined,
          extensionRequest: undefined,
        };
      }),
      // Accepted on receipt (rules edition 3): the team contacts the referrer to agree next steps
      // once it has the referral (003), whatever the assessment then decides.
      acceptOnReceipt: assign(({ context }) =>
        underRules(context, 3)
          ? {
              acceptedAt: context.receivedAt,
              ...stampDue(context, 'referrerNextSteps', context.receivedAt, REFERRER_CONTACT_WORKING_DAYS),
            }
          : {},
      ),
      // Accepted after assessment: the clock starts now, unless it started on receipt.
      recordAcceptance: assign(({ context, event }) =>
        underRules(context, 3) && context.acceptedAt
          ? {}
          : {
              acceptedAt: event.at,
              ...stampDue(context, 'referrerNextSteps', event.at, REFERRER_CONTACT_WORKING_DAYS),
            },
      ),
      recordReferrerContact: assign(({ event }) => {
        assertEvent(event, 'REFERRER_CONTACTED');
        return { referrerContactedAt: event.occurredAt };
      }),
      recordPeerSupport: assign(({ event }) => {
        assertEvent(event, 'PEER_SUPPORT_OFFERED');
        return { peerSupport: { offeredAt: event.occurredAt, accepted: event.accepted, by: event.actor.id } };
      }),
      markHandoverSent: assign(({ context }) => ({ handoverSentTo: context.receivingService })),
      recordRecall: assign(({ context }) => ({
        releaseDate: null,
        releasedOn: undefined,
        extendedUntil: undefined,
        extensionRequest: undefined,
        preReleaseContactCount: 0,
        ...(underRules(context, 3) ? { custodyContactsFrom: context.contacts.length } : {}),
      })),
      recordContact: assign(({ context, event }) => {
        if (event.type !== 'RECORD_CONTACT') return {};
        const phase = context.releasedOn ? 'postRelease' : 'preRelease';
        const contact: CustodyContact = {
          mode: event.mode,
          occurredAt: event.occurredAt,
          duringRotl: event.duringRotl,
          phase,
          recordedBy: event.actor.id,
          ...(event.notFaceToFaceBecause ? { notFaceToFaceBecause: event.notFaceToFaceBecause } : {}),
        };
        return {
          contacts: [...context.contacts, contact],
          preReleaseContactCount: context.preReleaseContactCount + (phase === 'preRelease' ? 1 : 0),
        };
      }),
      setReceivingService: assign(({ event }) => {
        assertEvent(event, 'SET_RECEIVING_SERVICE');
        return {
          receivingService: event.service,
          handoverSentTo: event.service,
          handoverCompletedAt: undefined,
        };
      }),
      completeHandover: assign(({ event }) => ({ handoverCompletedAt: event.at })),
      requestExtension: assign(({ context, event }) => {
        assertEvent(event, 'REQUEST_EXTENSION');
        return {
          ...stampDue(context, 'extensionDecisionDue', event.at, EXTENSION_DECISION_WORKING_DAYS),
          extensionRequest: {
            until: event.until,
            justification: event.justification,
            requestedBy: event.actor.id,
            requestedAt: event.at,
          },
        };
      }),
      approveExtension: assign(({ context }) => ({
        extendedUntil: context.extensionRequest?.until,
        extensionRequest: undefined,
      })),
      rejectExtension: assign(() => ({ extensionRequest: undefined })),
      updateReferenceData: assign(kitUpdates.updateReferenceData),
      assignWorker: assign(kitUpdates.assignWorker),
      setFollowUp: assign(({ context, event }) => kitUpdates.setFollowUp(context, event)),
      keepRecord: assign(({ context, event }) => kitUpdates.keepRecord(context, event)),
    },
  }).createMachine({
    id: policy.pathway,
    context: ({ input }) => {
      const r = input.referral;
      return {
        caseId: input.caseId,
        calendar: input.calendar,
        team: input.team,
        rules: input.rules ?? RULES_VERSION,
        receivedAt: r.receivedAt,
        policy,
        referral: r,
        eligibility: eligibilityOf(r, input.rules ?? RULES_VERSION),
        releaseDate: r.custody.status === 'inCustody' ? (r.custody.releaseDate ?? null) : null,
        ...(r.custody.status === 'released' ? { releasedOn: r.custody.releasedOn } : {}),
        ...(r.receivingService ? { receivingService: r.receivingService } : {}),
        contacts: [],
        preReleaseContactCount: 0,
        meeting: input.meeting ?? MONDAY_MEETING,
        meetingsCarriedOver: 0,
        ...stampDue({ calendar: input.calendar }, 'assessmentDue', r.receivedAt, ASSESSMENT_WORKING_DAYS),
      };
    },
    initial: 'received',
    states: {
      received: {
        always: [
          {
            guard: 'outOfWindow',
            target: 'closed',
            actions: [
              { type: 'closeIneligible', params: 'referralOutOfWindow' },
              {
                type: 'notify',
                params: ({ context }) => ({
                  to: 'referrer',
                  subject: 'Referral refused: outside the 28-day window after release',
                  detail: context.eligibility.unmet.join('; '),
                }),
              },
            ],
          },
          {
            guard: 'ineligible',
            target: 'closed',
            actions: [
              { type: 'closeIneligible', params: 'notAppropriate' },
              {
                type: 'notify',
                params: ({ context }) => ({
                  to: 'referrer',
                  subject: 'Referral declined: eligibility criteria not met',
                  detail: context.eligibility.unmet.join('; '),
                }),
              },
            ],
          },
          ...(policy.teamMeeting
            ? [
                {
                  guard: 'teamDecision' as const,
                  target: 'open.awaitingTeamMeeting',
                  actions: 'scheduleMeeting' as const,
                },
              ]
            : []),
          { target: 'open.assessment', actions: 'acceptOnReceipt' },
        ],
      },
      open: {
        initial: 'assessment',
        on: {
          RELEASE_DATE_CHANGED: { guard: 'releaseDateBeforeRelease', actions: 'changeReleaseDate' },
          REFERRER_CONTACTED: { guard: 'referrerNotYetContacted', actions: 'recordReferrerContact' },
          PEER_SUPPORT_OFFERED: { actions: 'recordPeerSupport' },
          REMOVED_FROM_UK: {
            target: 'closed',
            actions: [
              { type: 'close', params: 'removedFromUk' },
              { type: 'notify', params: { to: 'namedWorker', subject: 'Case closed: removed from the UK' } },
            ],
          },
          ...KIT_HANDLERS,
        },
        states: {
          ...(policy.teamMeeting
            ? {
                awaitingTeamMeeting: {
                  on: {
                    ...awaitingTeamMeetingState(`#${policy.pathway}.closed`, 'the person referred').on,
                    RELEASED: {
                      guard: and(['releaseNotYetRecorded', 'releaseNotInFuture']),
                      actions: 'recordRelease',
                    },
                  },
                },
              }
            : {}),
          assessment: {
            on: {
              RELEASED: {
                guard: and(['releaseNotYetRecorded', 'releaseNotInFuture']),
                actions: 'recordRelease',
              },
              ASSESSMENT_COMPLETED: [
                {
                  guard: 'noConsent',
                  target: '#' + policy.pathway + '.closed',
                  actions: { type: 'close', params: 'declinedConsent' },
                },
                {
                  guard: 'notAppropriate',
                  target: '#' + policy.pathway + '.closed',
                  actions: [
                    { type: 'close', params: 'notAppropriate' },
                    {
                      type: 'notify',
                      params: { to: 'referrer', subject: 'Referral not appropriate after assessment' },
                    },
                  ],
                },
                { guard: 'released', target: 'postRelease', actions: 'recordAcceptance' },
                { guard: 'windowOpen', target: 'preRelease', actions: 'recordAcceptance' },
                { target: 'awaitingPreReleaseWindow', actions: 'recordAcceptance' },
              ],
            },
          },
          awaitingPreReleaseWindow: {
            on: {
              PRE_RELEASE_WINDOW_OPENED: { guard: 'windowOpen', target: 'preRelease' },
              // Release on temporary licence may be supported within the 12 weeks before release (004).
              RECORD_CONTACT: {
                guard: and(['rotlWithinTwelveWeeks', 'remoteContactExplained']),
                actions: 'recordContact',
              },
              RELEASED: {
                guard: and(['releaseNotYetRecorded', 'releaseNotInFuture']),
                target: 'postRelease',
                actions: 'recordRelease',
              },
            },
          },
          preRelease: {
            entry: {
              type: 'notify',
              params: { to: 'namedWorker', subject: 'Pre-release support has started' },
            },
            always: {
              guard: 'handoverToSend',
              actions: [
                'markHandoverSent',
                {
                  type: 'handover',
                  params: ({ context }) => ({ receivingService: context.receivingService ?? '' }),
                },
              ],
            },
            on: {
              RECORD_CONTACT: { guard: 'remoteContactExplained', actions: 'recordContact' },
              SET_RECEIVING_SERVICE: {
                actions: [
                  'setReceivingService',
                  {
                    type: 'handover',
                    params: ({ event }) => {
                      assertEvent(event, 'SET_RECEIVING_SERVICE');
                      return { receivingService: event.service };
                    },
                  },
                ],
              },
              HANDOVER_COMPLETED: {
                guard: and(['receivingServiceSet', 'handoverNotYetComplete']),
                actions: 'completeHandover',
              },
              RELEASED: {
                guard: and(['releaseNotYetRecorded', 'releaseNotInFuture']),
                target: 'postRelease',
                actions: 'recordRelease',
              },
              RELEASE_DATE_REACHED: { target: 'postRelease', actions: 'recordRelease' },
            },
          },
          postRelease: {
            on: {
              RECORD_CONTACT: { guard: 'remoteContactExplained', actions: 'recordContact' },
              REQUEST_EXTENSION: {
                guard: and(['noExtensionWaiting', 'extensionEndsAfterLimit']),
                actions: [
                  'requestExtension',
                  {
                    type: 'notify',
                    params: { to: 'supervisor', subject: 'Extension requested: approval needed' },
                  },
                ],
              },
              RELEASE_DATE_CORRECTED: [
                {
                  guard: and([
                    'releaseWasAssumed',
                    'correctedDateAhead',
                    'correctionExplained',
                    'correctedWindowOpen',
                  ]),
                  target: 'preRelease',
                  actions: ['correctRelease', releaseCorrected],
                },
                {
                  guard: and(['releaseWasAssumed', 'correctedDateAhead', 'correctionExplained']),
                  target: 'awaitingPreReleaseWindow',
                  actions: ['correctRelease', releaseCorrected],
                },
              ],
              APPROVE_EXTENSION: {
                guard: and(['extensionToApprove', 'extensionApprovedByAnother']),
                actions: [
                  'approveExtension',
                  { type: 'notify', params: { to: 'namedWorker', subject: 'Extension approved' } },
                ],
              },
              REJECT_EXTENSION: {
                guard: 'extensionToReject',
                actions: [
                  'rejectExtension',
                  { type: 'notify', params: { to: 'namedWorker', subject: 'Extension not approved' } },
                ],
              },
              RECALLED: {
                target: 'preRelease',
                actions: [
                  'recordRecall',
                  { type: 'notify', params: { to: 'namedWorker', subject: 'Recalled to custody' } },
                ],
              },
              NEEDS_MET: {
                target: '#' + policy.pathway + '.closed',
                actions: { type: 'close', params: 'needsMet' },
              },
              POST_RELEASE_LIMIT_REACHED: {
                target: '#' + policy.pathway + '.closed',
                actions: [
                  'closeAtLimit',
                  {
                    type: 'notify',
                    params: { to: 'namedWorker', subject: 'Discharged at the post-release limit' },
                  },
                ],
              },
            },
          },
        },
      },
      closed: { type: 'final', entry: 'archive' },
    },
  });
}

export const reconnectMachine = createCustodyMachine(RECONNECT_POLICY);
export const enhancedReconnectMachine = createCustodyMachine(ENHANCED_POLICY);
