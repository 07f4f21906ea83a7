import { instant } from '../../calendar/calendar';
import { defineEvent, FreeText, Signposting, type Envelope } from '../common/envelope';
import { AssignWorker, closeEvent, SetFollowUp } from '../common/kit';
import { RECORD_EVENTS } from '../common/recordKeeping';
import { ReferenceDataUpdated } from '../common/referenceData';
import {
  AssessmentFactors,
  CategoryOfAbuse,
  CensusClosureReason,
  childDetailsFields,
  FamilyGroupDecisionMaking,
  PrimaryNeed,
} from './census';
import { z } from '../../validation/zod';

export const FrontDoorClosureReason = z.enum([
  'noFurtherAction',
  'adviceAndConsultation',
  'signpostedToServices',
  'childInNeedPlanEnded',
  'childProtectionPlanEnded',
  'proceedingsConcluded',
  'movedOutOfArea',
  'other',
]);
export type FrontDoorClosureReason = z.infer<typeof FrontDoorClosureReason>;

/** The statutory and local clocks a missed deadline can be explained against. */
export const Clock = z.enum([
  'referralDecision',
  'assessment',
  'strategyDiscussion',
  'initialConference',
  'firstCoreGroup',
  'reviewConference',
  'careProceedings',
]);

/** The recorded steps of a section 47 enquiry (Working Together 2023; seed 002). */
export const EnquiryStep = z.enum([
  'childSeen',
  'childSeenAlone',
  'parentsContacted',
  'parentalResponsibilityContacted',
  'professionalsContacted',
  'jointEnquiryWithPolice',
  'paediatricMedicalExamination',
]);
export type EnquiryStep = z.infer<typeof EnquiryStep>;

/**
 * Closing, as every pathway closes, and for the census the reason in its terms when the pathway
 * cannot tell it (adopted, died, an order made): otherwise it is derived from how the case ended.
 */
const FrontDoorClose = closeEvent(FrontDoorClosureReason).extend({
  censusReason: CensusClosureReason.optional(),
});

export const FrontDoorEvent = z.discriminatedUnion('type', [
  ReferenceDataUpdated,
  AssignWorker,
  SetFollowUp,
  FrontDoorClose,
  ...RECORD_EVENTS,
  defineEvent('REFERRAL_DECISION', {
    decision: z.enum([
      'noFurtherAction',
      'adviceAndConsultation',
      'universalOrSpecialistServices',
      'section17',
      'section47',
    ]),
    signposting: Signposting.default([]),
  }),
  defineEvent('ASSESSMENT_COMPLETED', {
    outcome: z.enum(['childInNeedPlan', 'noFurtherAction', 'escalateToSection47']),
    /** For the census: the child's primary need, and the factors the assessment identified. */
    primaryNeed: PrimaryNeed.optional(),
    factors: AssessmentFactors.optional(),
  }),
  defineEvent('STRATEGY_DISCUSSION_HELD', { heldAt: instant, section47Enquiry: z.boolean() }),
  defineEvent('INITIAL_CONFERENCE_HELD', {
    heldAt: instant,
    outcome: z.enum(['childProtectionPlan', 'childInNeedPlan', 'noFurtherAction']),
    /** For the census, when the outcome is a child protection plan: its category of abuse. */
    categoryOfAbuse: CategoryOfAbuse.optional(),
  }),
  defineEvent('CORE_GROUP_HELD', { heldAt: instant }),
  defineEvent('REVIEW_CONFERENCE_HELD', {
    heldAt: instant,
    outcome: z.enum(['continuePlan', 'endPlan', 'stepDownToChildInNeed']),
    /** For the census: the plan's category of abuse, if the review changed it. */
    categoryOfAbuse: CategoryOfAbuse.optional(),
  }),
  defineEvent('ENTER_PRE_PROCEEDINGS', {
    /** For the census (2025-26): whether family group decision making was offered, and its outcome. */
    familyGroupDecisionMaking: FamilyGroupDecisionMaking.optional(),
  }),
  defineEvent('PRE_PROCEEDINGS_ENDED', {}),
  defineEvent('CARE_PROCEEDINGS_ISSUED', { issuedAt: instant }),
  defineEvent('PROCEEDINGS_EXTENDED', { weeks: z.number().int().min(1).max(8), justification: FreeText }),
  defineEvent('PROCEEDINGS_CONCLUDED', { outcome: FreeText.optional() }),
  defineEvent('PLAN_ENDED', {}),
  defineEvent('FAMILY_INFORMED', {}),
  defineEvent('RECORD_OVERDUE_REASON', { clock: Clock, explanation: FreeText }),
  /** For the census: the child's details as they become known (a birth, a UPN, a disability). */
  defineEvent('CHILD_DETAILS_RECORDED', childDetailsFields),
  defineEvent('ENQUIRY_STEP_RECORDED', {
    step: EnquiryStep,
    occurredAt: instant,
    /** Who was seen or contacted, in words (no identifiers needed). */
    with: z.string().trim().min(1).max(300).optional(),
  }),
]);
export type FrontDoorEvent = z.infer<typeof FrontDoorEvent> & Envelope;
