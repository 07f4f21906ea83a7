import { instant } from '../../calendar/calendar';
import { defineEvent, FreeText, Signposting, type Envelope } from '../common/envelope';
import { kitEvents } from '../common/kit';
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

export const FrontDoorEvent = z.discriminatedUnion('type', [
  ...kitEvents(FrontDoorClosureReason),
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
  }),
  defineEvent('STRATEGY_DISCUSSION_HELD', { heldAt: instant, section47Enquiry: z.boolean() }),
  defineEvent('INITIAL_CONFERENCE_HELD', {
    heldAt: instant,
    outcome: z.enum(['childProtectionPlan', 'childInNeedPlan', 'noFurtherAction']),
  }),
  defineEvent('CORE_GROUP_HELD', { heldAt: instant }),
  defineEvent('REVIEW_CONFERENCE_HELD', {
    heldAt: instant,
    outcome: z.enum(['continuePlan', 'endPlan', 'stepDownToChildInNeed']),
  }),
  defineEvent('ENTER_PRE_PROCEEDINGS', {}),
  defineEvent('PRE_PROCEEDINGS_ENDED', {}),
  defineEvent('CARE_PROCEEDINGS_ISSUED', { issuedAt: instant }),
  defineEvent('PROCEEDINGS_EXTENDED', { weeks: z.number().int().min(1).max(8), justification: FreeText }),
  defineEvent('PROCEEDINGS_CONCLUDED', { outcome: FreeText.optional() }),
  defineEvent('PLAN_ENDED', {}),
  defineEvent('FAMILY_INFORMED', {}),
  defineEvent('RECORD_OVERDUE_REASON', { clock: Clock, explanation: FreeText }),
  defineEvent('ENQUIRY_STEP_RECORDED', {
    step: EnquiryStep,
    occurredAt: instant,
    /** Who was seen or contacted, in words (no identifiers needed). */
    with: z.string().trim().min(1).max(300).optional(),
  }),
]);
export type FrontDoorEvent = z.infer<typeof FrontDoorEvent> & Envelope;
