import { and, assertEvent, assign, setup } from 'xstate';
import {
  addDays,
  endOfLocalDay,
  inboxSeenAt,
  localDateOf,
  MONDAY_MEETING,
  nextTeamMeeting,
  type HolidayCalendar,
  type MeetingSchedule,
} from '../../calendar/calendar';
import { frozen } from '../../validation/frozen';
import type { CaseContext, Closure } from '../common/case';
import type { Decision } from '../common/decision';
import { closureOf, signpostingOf } from '../common/closure';
import { effectActions } from '../common/effects';
import { TIMER } from '../common/envelope';
import { stampDue } from '../common/referenceData';
import { KIT_HANDLERS, kitRules, kitUpdates } from '../common/kit';
import { editionGuards, ruleOn, RULES_VERSION, underRules } from '../common/rules';
import { awaitingTeamMeetingState, meetingRules } from '../common/teamMeeting';
import { parentInfantEligibility } from './eligibility';
import { CASEWORKER_CLOSURE_REASONS, ClosureReason, type ParentInfantEvent } from './events';
import type { ParentInfantReferral, SocialCareStatus } from './referral';

/** [decision] Engagement policy: reminders when contact lapses. */
export const ENGAGEMENT_POLICY = frozen({ noAttendedContactDays: 28, missedInARowForSupervisor: 3 });

/** [decision] A referral is screened by the end of this many working days after it was seen. */
export const SCREENING_WORKING_DAYS = 1;

/** Signposting given to the parent when care proceedings close the case. */
export const CARE_PROCEEDINGS_SIGNPOSTING = frozen([
  'Your GP, for mental health support',
  'NHS Talking Therapies (Buckinghamshire)',
  'Buckinghamshire adult community mental health team',
] as const);

/**
 * Closing because care proceedings began: the parent signposted, the worker told, and (rules
 * edition 2) the referrer told too; under edition 1 the referrer's notice resolves to null.
 */
const careProceedingsClosure = [
  'closeForCareProceedings' as const,
  {
    type: 'signpost' as const,
    params: ({ context }: { context: ParentInfantContext }) => ({
      signposting: [...CARE_PROCEEDINGS_SIGNPOSTING],
      ...(underRules(context, 2) ? { for: 'the parent' } : {}),
    }),
  },
  {
    type: 'notify' as const,
    params: { to: 'namedWorker' as const, subject: 'Case closed: care proceedings started' },
  },
  {
    type: 'notify' as const,
    params: ({ context }: { context: ParentInfantContext }) =>
      underRules(context, 2)
        ? {
            to: 'referrer' as const,
            subject: 'Case closed: care proceedings started',
            detail: 'The parent has been signposted to other support.',
          }
        : null,
  },
];

export interface Contact {
  kind: string;
  attended: boolean;
  occurredAt: string;
  recordedBy: string;
}

export interface ParentInfantContext extends CaseContext {
  closure?: Closure<ClosureReason>;
  referral: ParentInfantReferral;
  eligibility: Decision;
  seenAt: string;
  meeting: MeetingSchedule;
  meetingAt?: string;
  meetingsCarriedOver: number;
  engagementStartedAt?: string;
  contacts: Contact[];
  missedInARow: number;
  socialCareHistory: { status: SocialCareStatus; at: string }[];
}

export interface ParentInfantInput {
  caseId: string;
  referral: ParentInfantReferral;
  calendar: HolidayCalendar;
  team: string;
  /** The rules edition (see machines/common/rules.ts). */
  rules?: number;
  meeting?: MeetingSchedule;
}

const rule = ruleOn<ParentInfantContext, ParentInfantEvent>();

/** The rules a transition guards on, by name; a refusal quotes the rule that did not hold. */
export const parentInfantRules = frozen({
  ...meetingRules<ParentInfantEvent>(),
  ...kitRules(CASEWORKER_CLOSURE_REASONS),
});

export const parentInfantMachine = setup({
  types: {
    context: {} as ParentInfantContext,
    events: {} as ParentInfantEvent,
    input: {} as ParentInfantInput,
  },
  guards: {
    ...editionGuards,
    ...rule.guards(parentInfantRules),
    isIneligible: ({ context }) => context.eligibility.outcome === 'ineligible',
    decisionIs: ({ event }, decision: 'accept' | 'decline' | 'defer') =>
      event.type === 'TEAM_MEETING_DECISION' && event.decision === decision,
    careProceedingsReported: ({ event }) =>
      event.type === 'SOCIAL_CARE_STATUS_CHANGED' && event.status === 'careProceedings',
    isSuitable: ({ event }) => event.type === 'ASSESSMENT_COMPLETED' && event.suitable,
    missedThresholdReached: ({ context, event }) =>
      event.type === 'RECORD_CONTACT' &&
      !event.attended &&
      context.missedInARow + 1 === ENGAGEMENT_POLICY.missedInARowForSupervisor,
  },
  actions: {
    ...effectActions,
    declineIneligible: assign(({ context }) => ({
      closure: {
        reason: 'declinedAtScreening',
        at: context.seenAt,
        by: TIMER,
        note: `Not eligible: ${context.eligibility.unmet.join('; ')}`,
        signposting: [],
      } satisfies Closure<ClosureReason>,
    })),
    scheduleMeeting: assign(({ context, event }) => ({
      meetingAt: nextTeamMeeting(event.at, context.calendar, context.meeting),
    })),
    carryOverMeeting: assign(({ context }) => ({
      meetingAt: nextTeamMeeting(context.meetingAt ?? context.seenAt, context.calendar, context.meeting),
      meetingsCarriedOver: context.meetingsCarriedOver + 1,
    })),
    startEngagement: assign(({ event }) => ({ engagementStartedAt: event.at })),
    recordContact: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_CONTACT');
      const contact = {
        kind: event.kind,
        attended: event.attended,
        occurredAt: event.occurredAt,
        recordedBy: event.actor.id,
      };
      return {
        contacts: [...context.contacts, contact],
        missedInARow: event.attended ? 0 : context.missedInARow + 1,
      };
    }),
    recordSocialCareStatus: assign(({ context, event }) => {
      assertEvent(event, 'SOCIAL_CARE_STATUS_CHANGED');
      return { socialCareHistory: [...context.socialCareHistory, { status: event.status, at: event.at }] };
    }),
    updateReferenceData: assign(kitUpdates.updateReferenceData),
    assignWorker: assign(kitUpdates.assignWorker),
    setFollowUp: assign(({ context, event }) => kitUpdates.setFollowUp(context, event)),
    keepRecord: assign(({ context, event }) => kitUpdates.keepRecord(context, event)),
    close: assign(({ event }, reason: ClosureReason) => ({
      closure: closureOf(reason, event, signpostingOf(event)),
    })),
    closeAsRequested: assign(kitUpdates.closeAsRequested(ClosureReason)),
    closeForCareProceedings: assign(({ context, event }) => ({
      closure: closureOf('careProceedingsStarted', event, [...CARE_PROCEEDINGS_SIGNPOSTING]),
      socialCareHistory: [...context.socialCareHistory, { status: 'careProceedings' as const, at: event.at }],
    })),
  },
}).createMachine({
  id: 'parentInfant',
  context: ({ input }) => {
    const seenAt = inboxSeenAt(input.referral.receivedAt, input.calendar);
    return {
      caseId: input.caseId,
      calendar: input.calendar,
      team: input.team,
      rules: input.rules ?? RULES_VERSION,
      receivedAt: input.referral.receivedAt,
      referral: input.referral,
      eligibility: parentInfantEligibility(input.referral),
      seenAt,
      meeting: input.meeting ?? MONDAY_MEETING,
      meetingsCarriedOver: 0,
      contacts: [],
      missedInARow: 0,
      socialCareHistory: [{ status: input.referral.socialCareStatus, at: input.referral.receivedAt }],
      ...stampDue({ calendar: input.calendar }, 'screeningDue', seenAt, SCREENING_WORKING_DAYS),
    };
  },
  initial: 'received',
  states: {
    received: {
      always: [
        {
          guard: 'isIneligible',
          target: 'closed',
          actions: [
            'declineIneligible',
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
        { target: 'open' },
      ],
    },
    open: {
      initial: 'screening',
      on: {
        // However care proceedings are reported, the case closes, the parent is signposted and
        // the referrer is told (rules edition 2; the first edition closed on this event only).
        CARE_PROCEEDINGS_STARTED: { target: 'closed', actions: careProceedingsClosure },
        ...KIT_HANDLERS,
        SOCIAL_CARE_STATUS_CHANGED: [
          {
            guard: and(['underSourceRules', 'careProceedingsReported']),
            target: 'closed',
            actions: careProceedingsClosure,
          },
          { actions: 'recordSocialCareStatus' },
        ],
      },
      states: {
        screening: {
          on: {
            ACCEPT_FOR_ASSESSMENT: {
              target: 'assessment',
              actions: {
                type: 'notify',
                params: { to: 'referrer', subject: 'Referral accepted for assessment' },
              },
            },
            REFER_TO_TEAM_MEETING: { target: 'awaitingTeamMeeting', actions: 'scheduleMeeting' },
            DECLINE_AT_SCREENING: {
              target: '#parentInfant.closed',
              actions: [
                { type: 'close', params: 'declinedAtScreening' },
                { type: 'notify', params: { to: 'referrer', subject: 'Referral declined at screening' } },
              ],
            },
          },
        },
        awaitingTeamMeeting: awaitingTeamMeetingState('#parentInfant.closed', 'the parent'),
        assessment: {
          on: {
            ASSESSMENT_COMPLETED: [
              { guard: 'isSuitable', target: 'engagement', actions: 'startEngagement' },
              {
                target: '#parentInfant.closed',
                actions: [
                  { type: 'close', params: 'notSuitableAfterAssessment' },
                  { type: 'notify', params: { to: 'referrer', subject: 'Not suitable after assessment' } },
                ],
              },
            ],
          },
        },
        engagement: {
          on: {
            RECORD_CONTACT: [
              {
                guard: 'missedThresholdReached',
                actions: [
                  'recordContact',
                  {
                    type: 'notify',
                    params: {
                      to: 'supervisor',
                      subject: `${ENGAGEMENT_POLICY.missedInARowForSupervisor} sessions missed in a row`,
                    },
                  },
                ],
              },
              { actions: 'recordContact' },
            ],
          },
        },
      },
    },
    closed: { type: 'final', entry: 'archive' },
  },
});

/** When the no-contact reminder is due in engagement. */
export function noContactReminderAt(ctx: ParentInfantContext): string | undefined {
  const lastAttended = ctx.contacts.filter((c) => c.attended).at(-1)?.occurredAt ?? ctx.engagementStartedAt;
  return lastAttended
    ? endOfLocalDay(addDays(localDateOf(lastAttended), ENGAGEMENT_POLICY.noAttendedContactDays))
    : undefined;
}
