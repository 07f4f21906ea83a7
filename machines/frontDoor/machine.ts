import { and, assertEvent, assign, setup } from 'xstate';
import type { HolidayCalendar } from '../../calendar/calendar';
import { frozen, type Frozen } from '../../validation/frozen';
import type { CaseContext, Closure } from '../common/case';
import { closureOf, signpostingOf } from '../common/closure';
import { effectActions, type LinkedStatus } from '../common/effects';
import { sameWorkingDayDue, stampDue } from '../common/referenceData';
import { KIT_HANDLERS, kitRules, kitUpdates } from '../common/kit';
import { editionGuards, ruleOn, RULES_VERSION, underRules } from '../common/rules';
import type { SnapshotMigration } from '../common/versions';
import type { Envelope } from '../common/envelope';
import { FrontDoorClosureReason, type EnquiryStep, type FrontDoorEvent } from './events';
import type { FrontDoorReferral } from './referral';
import { UPN_CHECK_LETTER_WRONG, upnCheckLetterHolds } from './census';

/** Statutory clocks (Working Together 2023) and local defaults, per organisation. */
export interface FrontDoorPolicy {
  referralDecisionWorkingDays: number;
  assessmentWorkingDays: number;
  /** Local: no national figure. */
  strategyDiscussionWorkingDays: number;
  initialConferenceWorkingDays: number;
  /** Local default. */
  firstCoreGroupWorkingDays: number;
  firstReviewMonths: number;
  laterReviewMonths: number;
  careProceedingsWeeks: number;
  maxExtensionWeeks: number;
  /** Reminder to the named worker this many days before a clock of 10 working days or more. */
  warnDaysBefore: number;
  /** Reminder this many days before the care proceedings limit. */
  careProceedingsWarnDays: number;
}

export const FRONT_DOOR_POLICY: Frozen<FrontDoorPolicy> = frozen({
  referralDecisionWorkingDays: 1,
  assessmentWorkingDays: 45,
  strategyDiscussionWorkingDays: 1,
  initialConferenceWorkingDays: 15,
  firstCoreGroupWorkingDays: 10,
  firstReviewMonths: 3,
  laterReviewMonths: 6,
  careProceedingsWeeks: 26,
  maxExtensionWeeks: 8,
  warnDaysBefore: 2,
  careProceedingsWarnDays: 14,
});

/** Snapshot migrations, oldest first (see machines/common/versions.ts). */
export const FRONT_DOOR_MIGRATIONS: Frozen<SnapshotMigration[]> = frozen([
  // 1 → 2: the care proceedings reminder's lead time became a policy value (it was 14 days).
  (snapshot) => ({
    ...snapshot,
    context: {
      ...snapshot.context,
      policy: { careProceedingsWarnDays: 14, ...(snapshot.context.policy ?? {}) },
    },
  }),
]);

export interface FrontDoorContext extends CaseContext {
  closure?: Closure<FrontDoorClosureReason>;
  policy: FrontDoorPolicy;
  referral: FrontDoorReferral;
  childRef: string;
  familyInformed: boolean;
  decision?: string;
  assessmentCompletedAt?: string;
  /** When the need for a strategy discussion arose (s47 decision or escalation). */
  strategyFrom?: string;
  strategyHeldAt?: string;
  initialConferenceAt?: string;
  coreGroupHeldAt?: string;
  lastReviewAt?: string;
  proceedingsIssuedAt?: string;
  proceedingsExtensionWeeks: number;
  /** Significant harm suspected at referral: straight to a strategy discussion, the same working day. */
  urgent?: boolean;
  /** The steps of a section 47 enquiry, as recorded. */
  enquirySteps?: { step: EnquiryStep; occurredAt: string; with?: string; by: string }[];
  overdueReasons: { clock: string; explanation: string; at: string; by: string }[];
  /** The child's census details recorded since the referral, the latest of each kept. */
  childDetails?: ChildDetails;
}

/** What CHILD_DETAILS_RECORDED carries (census codes; see ./census.ts). */
export type ChildDetails = Omit<
  Extract<FrontDoorEvent, { type: 'CHILD_DETAILS_RECORDED' }>,
  keyof Envelope | 'type'
>;

export interface FrontDoorInput {
  caseId: string;
  referral: FrontDoorReferral;
  calendar: HolidayCalendar;
  team: string;
  /** The rules edition (see machines/common/rules.ts). */
  rules?: number;
  policy?: FrontDoorPolicy;
}

const rule = ruleOn<FrontDoorContext, FrontDoorEvent>();

/** The details an event records, without its envelope. */
function childDetailsOf(e: Extract<FrontDoorEvent, { type: 'CHILD_DETAILS_RECORDED' }>): ChildDetails {
  const { type: _t, eventId: _i, at: _a, actor: _r, reason: _why, ...details } = e;
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}

/** The rules a transition guards on, by name; a refusal quotes the rule that did not hold. */
export const frontDoorRules = frozen({
  extensionWithinMaximum: rule(
    'PROCEEDINGS_EXTENDED',
    (ctx, e) => e.weeks <= ctx.policy.maxExtensionWeeks,
    (ctx) => `an extension is at most ${ctx.policy.maxExtensionWeeks} weeks at a time`,
  ),
  enquiryStepNotInFuture: rule(
    'ENQUIRY_STEP_RECORDED',
    (_, e) => Date.parse(e.occurredAt) <= Date.parse(e.at),
    () => 'an enquiry step is recorded once it has happened',
  ),
  childDetailsGiven: rule(
    'CHILD_DETAILS_RECORDED',
    (_, e) => Object.keys(childDetailsOf(e)).length > 0,
    () => "record at least one of the child's details",
  ),
  upnCheckLetter: rule(
    'CHILD_DETAILS_RECORDED',
    (_, e) => upnCheckLetterHolds(e.upn),
    () => UPN_CHECK_LETTER_WRONG,
  ),
  upnOrReasonWhyNot: rule(
    'CHILD_DETAILS_RECORDED',
    (_, e) => !(e.upn && e.upnUnknown),
    () => 'record either a UPN or why it is not known, not both',
  ),
  familyNotYetInformed: rule(
    'FAMILY_INFORMED',
    (ctx) => !ctx.familyInformed,
    () => 'the family is already recorded as informed',
  ),
  // Only supervisors close a social care case (the role table), with any reason.
  ...kitRules(FrontDoorClosureReason.options),
});

/**
 * The child's social-care status, reported to linked parent–infant cases on entering a state
 * (rules edition 2; null: not reported, so earlier cases do as they did).
 */
const reportStatus = (status: LinkedStatus) => ({
  type: 'reportToLinkedCases' as const,
  params: ({ context }: { context: FrontDoorContext }) =>
    underRules(context, 2) ? { childRef: context.childRef, status } : null,
});

const is =
  <T extends FrontDoorEvent['type'], K extends keyof Extract<FrontDoorEvent, { type: T }>>(type: T, key: K) =>
  ({ event }: { event: FrontDoorEvent }, value: Extract<FrontDoorEvent, { type: T }>[K]) =>
    event.type === type && (event as Extract<FrontDoorEvent, { type: T }>)[key] === value;

export const frontDoorMachine = setup({
  types: {
    context: {} as FrontDoorContext,
    events: {} as FrontDoorEvent,
    input: {} as FrontDoorInput,
  },
  guards: {
    ...editionGuards,
    ...rule.guards(frontDoorRules),
    decisionIs: is('REFERRAL_DECISION', 'decision'),
    assessmentIs: is('ASSESSMENT_COMPLETED', 'outcome'),
    conferenceIs: is('INITIAL_CONFERENCE_HELD', 'outcome'),
    reviewIs: is('REVIEW_CONFERENCE_HELD', 'outcome'),
    harmSuspected: ({ context }) => context.referral.significantHarmSuspected,
    enquiryNeeded: ({ event }) => event.type === 'STRATEGY_DISCUSSION_HELD' && event.section47Enquiry,
  },
  actions: {
    ...effectActions,
    close: assign(({ event }, reason: FrontDoorClosureReason) => ({
      closure: closureOf(reason, event, signpostingOf(event)),
    })),
    closeAsRequested: assign(kitUpdates.closeAsRequested(FrontDoorClosureReason)),
    recordDecision: assign(({ context, event }) => {
      assertEvent(event, 'REFERRAL_DECISION');
      if (event.decision !== 'section47') return { decision: event.decision };
      return {
        decision: event.decision,
        strategyFrom: event.at,
        ...stampDue(context, 'strategyDiscussion', event.at, context.policy.strategyDiscussionWorkingDays),
      };
    }),
    recordAssessment: assign(({ event }) => ({ assessmentCompletedAt: event.at })),
    startUrgentStrategy: assign(({ context }) => ({
      urgent: true,
      strategyFrom: context.receivedAt,
      workingDayDue: {
        ...context.workingDayDue,
        strategyDiscussion: sameWorkingDayDue(context.calendar, context.receivedAt),
      },
    })),
    recordEnquiryStep: assign(({ context, event }) => {
      assertEvent(event, 'ENQUIRY_STEP_RECORDED');
      const step = {
        step: event.step,
        occurredAt: event.occurredAt,
        by: event.actor.id,
        ...(event.with ? { with: event.with } : {}),
      };
      return { enquirySteps: [...(context.enquirySteps ?? []), step] };
    }),
    startStrategy: assign(({ context, event }) => ({
      strategyFrom: event.at,
      ...stampDue(context, 'strategyDiscussion', event.at, context.policy.strategyDiscussionWorkingDays),
    })),
    recordStrategy: assign(({ context, event }) => {
      assertEvent(event, 'STRATEGY_DISCUSSION_HELD');
      return {
        strategyHeldAt: event.heldAt,
        ...stampDue(context, 'initialConference', event.heldAt, context.policy.initialConferenceWorkingDays),
      };
    }),
    recordConference: assign(({ context, event }) => {
      assertEvent(event, 'INITIAL_CONFERENCE_HELD');
      return {
        initialConferenceAt: event.heldAt,
        ...stampDue(context, 'firstCoreGroup', event.heldAt, context.policy.firstCoreGroupWorkingDays),
      };
    }),
    updateReferenceData: assign(kitUpdates.updateReferenceData),
    recordCoreGroup: assign(({ context, event }) => {
      assertEvent(event, 'CORE_GROUP_HELD');
      return { coreGroupHeldAt: context.coreGroupHeldAt ?? event.heldAt };
    }),
    recordReview: assign(({ event }) => {
      assertEvent(event, 'REVIEW_CONFERENCE_HELD');
      return { lastReviewAt: event.heldAt };
    }),
    recordProceedings: assign(({ event }) => {
      assertEvent(event, 'CARE_PROCEEDINGS_ISSUED');
      return { proceedingsIssuedAt: event.issuedAt };
    }),
    extendProceedings: assign(({ context, event }) => {
      assertEvent(event, 'PROCEEDINGS_EXTENDED');
      return { proceedingsExtensionWeeks: context.proceedingsExtensionWeeks + event.weeks };
    }),
    recordFamilyInformed: assign(() => ({ familyInformed: true })),
    recordChildDetails: assign(({ context, event }) => {
      assertEvent(event, 'CHILD_DETAILS_RECORDED');
      const given = childDetailsOf(event);
      // A UPN found replaces the reason it was not known, and the other way round.
      const { upn, upnUnknown, ...kept } = context.childDetails ?? {};
      const identifier =
        given.upn || given.upnUnknown
          ? {}
          : { ...(upn ? { upn } : {}), ...(upnUnknown ? { upnUnknown } : {}) };
      return { childDetails: { ...kept, ...identifier, ...given } };
    }),
    recordOverdueReason: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_OVERDUE_REASON');
      return {
        overdueReasons: [
          ...context.overdueReasons,
          { clock: event.clock, explanation: event.explanation, at: event.at, by: event.actor.id },
        ],
      };
    }),
    assignWorker: assign(kitUpdates.assignWorker),
    setFollowUp: assign(({ context, event }) => kitUpdates.setFollowUp(context, event)),
    keepRecord: assign(({ context, event }) => kitUpdates.keepRecord(context, event)),
  },
}).createMachine({
  id: 'frontDoor',
  context: ({ input }) => {
    const policy = input.policy ?? FRONT_DOOR_POLICY;
    const { calendar, referral } = input;
    return {
      caseId: input.caseId,
      calendar,
      team: input.team,
      rules: input.rules ?? RULES_VERSION,
      receivedAt: referral.receivedAt,
      policy,
      referral,
      childRef: referral.childRef,
      familyInformed: referral.familyInformed,
      proceedingsExtensionWeeks: 0,
      overdueReasons: [],
      workingDayDue: {
        ...stampDue({ calendar }, 'referralDecision', referral.receivedAt, policy.referralDecisionWorkingDays)
          .workingDayDue,
        ...stampDue({ calendar }, 'assessment', referral.receivedAt, policy.assessmentWorkingDays)
          .workingDayDue,
      },
    };
  },
  initial: 'open',
  states: {
    open: {
      initial: 'awaitingDecision',
      on: {
        FAMILY_INFORMED: { guard: 'familyNotYetInformed', actions: 'recordFamilyInformed' },
        CHILD_DETAILS_RECORDED: {
          guard: and(['childDetailsGiven', 'upnCheckLetter', 'upnOrReasonWhyNot']),
          actions: 'recordChildDetails',
        },
        RECORD_OVERDUE_REASON: { actions: 'recordOverdueReason' },
        ...KIT_HANDLERS,
      },
      states: {
        awaitingDecision: {
          // Seriousness and urgency (rules edition 2): suspected significant harm goes straight
          // to a strategy discussion on the same working day.
          always: {
            guard: and(['underSourceRules', 'harmSuspected']),
            target: 'strategyDiscussion',
            actions: [
              'startUrgentStrategy',
              {
                type: 'notify',
                params: {
                  to: 'supervisor',
                  subject: 'Significant harm suspected: strategy discussion today',
                },
              },
            ],
          },
          on: {
            REFERRAL_DECISION: [
              {
                guard: { type: 'decisionIs', params: 'noFurtherAction' },
                target: '#frontDoor.closed',
                actions: ['recordDecision', { type: 'close', params: 'noFurtherAction' }],
              },
              {
                guard: { type: 'decisionIs', params: 'adviceAndConsultation' },
                target: '#frontDoor.closed',
                actions: ['recordDecision', { type: 'close', params: 'adviceAndConsultation' }],
              },
              {
                guard: { type: 'decisionIs', params: 'universalOrSpecialistServices' },
                target: '#frontDoor.closed',
                actions: [
                  'recordDecision',
                  { type: 'close', params: 'signpostedToServices' },
                  {
                    type: 'signpost',
                    params: ({ event }) => {
                      assertEvent(event, 'REFERRAL_DECISION');
                      return { signposting: event.signposting };
                    },
                  },
                ],
              },
              {
                guard: { type: 'decisionIs', params: 'section17' },
                target: 'childInNeedAssessment',
                actions: 'recordDecision',
              },
              {
                guard: { type: 'decisionIs', params: 'section47' },
                target: 'strategyDiscussion',
                actions: 'recordDecision',
              },
            ],
          },
        },
        childInNeedAssessment: {
          on: {
            ASSESSMENT_COMPLETED: [
              {
                guard: { type: 'assessmentIs', params: 'childInNeedPlan' },
                target: 'childInNeedPlan',
                actions: 'recordAssessment',
              },
              {
                guard: { type: 'assessmentIs', params: 'noFurtherAction' },
                target: '#frontDoor.closed',
                actions: ['recordAssessment', { type: 'close', params: 'noFurtherAction' }],
              },
              { target: 'strategyDiscussion', actions: 'startStrategy' },
            ],
          },
        },
        strategyDiscussion: {
          on: {
            STRATEGY_DISCUSSION_HELD: [
              { guard: 'enquiryNeeded', target: 'section47Enquiry', actions: 'recordStrategy' },
              { target: 'childInNeedAssessment', actions: 'recordStrategy' },
            ],
          },
        },
        section47Enquiry: {
          on: {
            ASSESSMENT_COMPLETED: { actions: 'recordAssessment' },
            ENQUIRY_STEP_RECORDED: { guard: 'enquiryStepNotInFuture', actions: 'recordEnquiryStep' },
            // The emergency route: proceedings issued during the enquiry.
            CARE_PROCEEDINGS_ISSUED: { target: 'careProceedings', actions: 'recordProceedings' },
            INITIAL_CONFERENCE_HELD: [
              {
                guard: { type: 'conferenceIs', params: 'childProtectionPlan' },
                target: 'childProtectionPlan',
                actions: 'recordConference',
              },
              {
                guard: { type: 'conferenceIs', params: 'childInNeedPlan' },
                target: 'childInNeedPlan',
                actions: 'recordConference',
              },
              {
                target: '#frontDoor.closed',
                actions: ['recordConference', { type: 'close', params: 'noFurtherAction' }],
              },
            ],
          },
        },
        childInNeedPlan: {
          entry: reportStatus('childInNeed'),
          on: {
            CARE_PROCEEDINGS_ISSUED: { target: 'careProceedings', actions: 'recordProceedings' },
            PLAN_ENDED: {
              target: '#frontDoor.closed',
              actions: { type: 'close', params: 'childInNeedPlanEnded' },
            },
          },
        },
        childProtectionPlan: {
          entry: reportStatus('childProtectionPlan'),
          on: {
            CORE_GROUP_HELD: { actions: 'recordCoreGroup' },
            REVIEW_CONFERENCE_HELD: [
              { guard: { type: 'reviewIs', params: 'continuePlan' }, actions: 'recordReview' },
              {
                guard: { type: 'reviewIs', params: 'stepDownToChildInNeed' },
                target: 'childInNeedPlan',
                actions: 'recordReview',
              },
              {
                target: '#frontDoor.closed',
                actions: ['recordReview', { type: 'close', params: 'childProtectionPlanEnded' }],
              },
            ],
            ENTER_PRE_PROCEEDINGS: { target: 'preProceedings' },
            CARE_PROCEEDINGS_ISSUED: { target: 'careProceedings', actions: 'recordProceedings' },
          },
        },
        preProceedings: {
          entry: reportStatus('preProceedingsPlo'),
          on: {
            CORE_GROUP_HELD: { actions: 'recordCoreGroup' },
            REVIEW_CONFERENCE_HELD: {
              guard: { type: 'reviewIs', params: 'continuePlan' },
              actions: 'recordReview',
            },
            PRE_PROCEEDINGS_ENDED: { target: 'childProtectionPlan' },
            CARE_PROCEEDINGS_ISSUED: { target: 'careProceedings', actions: 'recordProceedings' },
          },
        },
        careProceedings: {
          entry: [
            { type: 'closeLinkedCases', params: ({ context }) => ({ childRef: context.childRef }) },
            {
              type: 'notify',
              params: { to: 'supervisor', subject: 'Care proceedings issued: linked ReConnect cases closed' },
            },
          ],
          on: {
            PROCEEDINGS_EXTENDED: { guard: 'extensionWithinMaximum', actions: 'extendProceedings' },
            PROCEEDINGS_CONCLUDED: {
              target: '#frontDoor.closed',
              actions: { type: 'close', params: 'proceedingsConcluded' },
            },
          },
        },
      },
    },
    closed: {
      type: 'final',
      entry: [
        // Closed to social care, unless proceedings closed the linked cases already.
        {
          type: 'reportToLinkedCases',
          params: ({ context }) =>
            underRules(context, 2) && !context.proceedingsIssuedAt
              ? { childRef: context.childRef, status: 'closedToSocialCare' as const }
              : null,
        },
        'archive',
      ],
    },
  },
});
