import { instant } from '../../calendar/calendar';
import { defineEvent, FreeText, Signposting, type Envelope } from '../common/envelope';
import { frozen, type Frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';
import { kitEvents } from '../common/kit';
import { SocialCareStatus } from './referral';

export const ClosureReason = z.enum([
  'completed',
  'socialCareNoLongerInvolved',
  'careProceedingsStarted',
  'declinedAtScreening',
  'declinedAtTeamMeeting',
  'notSuitableAfterAssessment',
  'withdrewConsent',
  'disengaged',
  'movedOutOfArea',
  'other',
]);
export type ClosureReason = z.infer<typeof ClosureReason>;

/** Reasons a caseworker may close with; the rest belong to decisions, the clock or a supervisor. */
export const CASEWORKER_CLOSURE_REASONS: Frozen<ClosureReason[]> = frozen([
  'completed',
  'socialCareNoLongerInvolved',
  'withdrewConsent',
  'disengaged',
  'movedOutOfArea',
  'other',
]);

export const ContactKind = z.enum([
  'individualTherapy',
  'groupSession',
  'videoInteractionGuidance',
  'consultation',
]);

export const ParentInfantEvent = z.discriminatedUnion('type', [
  ...kitEvents(ClosureReason),
  defineEvent('ACCEPT_FOR_ASSESSMENT', {}),
  defineEvent('REFER_TO_TEAM_MEETING', {}),
  defineEvent('DECLINE_AT_SCREENING', { signposting: Signposting }),
  defineEvent('TEAM_MEETING_DECISION', {
    decision: z.enum(['accept', 'decline', 'defer']),
    signposting: Signposting.default([]),
    informationRequested: FreeText.optional(),
  }),
  defineEvent('MEETING_DECISION_OVERDUE', {}),
  defineEvent('ASSESSMENT_COMPLETED', { suitable: z.boolean(), summary: FreeText.optional() }),
  defineEvent('RECORD_CONTACT', { kind: ContactKind, attended: z.boolean(), occurredAt: instant }),
  defineEvent('SOCIAL_CARE_STATUS_CHANGED', { status: SocialCareStatus }),
  defineEvent('CARE_PROCEEDINGS_STARTED', {}),
]);
export type ParentInfantEvent = z.infer<typeof ParentInfantEvent> & Envelope;
