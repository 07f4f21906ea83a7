import { instant, localDate } from '../../calendar/calendar';
import { defineEvent, FreeText, Signposting, type Envelope } from '../common/envelope';
import { kitEvents } from '../common/kit';
import { frozen, type Frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';

export const ContactMode = z.enum(['faceToFace', 'video', 'telephone']);

export const RECONNECT_CLOSURE_REASONS = frozen([
  'needsMet',
  'sixMonthLimitReached',
  'extensionEnded',
  'declinedConsent',
  'referralOutOfWindow',
  'notAppropriate',
  'disengaged',
  'removedFromUk',
  'died',
  'other',
] as const);

export const ENHANCED_CLOSURE_REASONS = frozen([
  'needsMet',
  'twelveMonthLimitReached',
  'extensionEnded',
  'declinedConsent',
  'declinedAtTeamMeeting',
  'notAppropriate',
  'disengaged',
  'removedFromUk',
  'died',
  'noLongerOpenToProbationOrNsd',
  'movedOutOfBirminghamAndSolihull',
  'other',
] as const);

type AnyCustodyReason =
  (typeof RECONNECT_CLOSURE_REASONS)[number] | (typeof ENHANCED_CLOSURE_REASONS)[number];
/** Either custody pathway's closure reasons (each pathway's events take its own list). */
export const CustodyClosureReason = z.enum([
  ...new Set<AnyCustodyReason>([...RECONNECT_CLOSURE_REASONS, ...ENHANCED_CLOSURE_REASONS]),
] as [AnyCustodyReason, ...AnyCustodyReason[]]);
export type CustodyClosureReason = z.infer<typeof CustodyClosureReason>;

/** Reasons a caseworker may close with; decisions, the clock and supervisors own the rest. */
export const CASEWORKER_CLOSURE_REASONS: Frozen<CustodyClosureReason[]> = frozen([
  'needsMet',
  'disengaged',
  'died',
  'noLongerOpenToProbationOrNsd',
  'movedOutOfBirminghamAndSolihull',
  'other',
]);

/** The events of a custody pathway; only the closure reasons differ between the two. */
export function custodyEvents<R extends readonly [string, ...string[]]>(closureReasons: R) {
  return z.discriminatedUnion('type', [
    ...kitEvents(z.enum(closureReasons)),
    defineEvent('TEAM_MEETING_DECISION', {
      decision: z.enum(['accept', 'decline', 'defer']),
      signposting: Signposting.default([]),
    }),
    defineEvent('MEETING_DECISION_OVERDUE', {}),
    defineEvent('ASSESSMENT_COMPLETED', {
      appropriate: z.boolean(),
      consent: z.boolean(),
      summary: FreeText.optional(),
    }),
    defineEvent('PRE_RELEASE_WINDOW_OPENED', {}),
    /** `null`: the release date is no longer known. */
    defineEvent('RELEASE_DATE_CHANGED', { releaseDate: localDate.nullable() }),
    defineEvent('RELEASED', { releasedOn: localDate }),
    defineEvent('RELEASE_DATE_REACHED', {}),
    /** The case moved to post-release on the expected date, but the person was not released. */
    defineEvent('RELEASE_DATE_CORRECTED', { releaseDate: localDate }),
    defineEvent('REFERRER_CONTACTED', { occurredAt: instant, nextSteps: FreeText.optional() }),
    defineEvent('PEER_SUPPORT_OFFERED', { occurredAt: instant, accepted: z.boolean() }),
    defineEvent('RECALLED', {}),
    defineEvent('REMOVED_FROM_UK', {}),
    defineEvent('RECORD_CONTACT', {
      mode: ContactMode,
      occurredAt: instant,
      /** Required when the contact was not face to face. */
      notFaceToFaceBecause: FreeText.optional(),
      duringRotl: z.boolean().default(false),
    }),
    defineEvent('SET_RECEIVING_SERVICE', { service: z.string().trim().min(1).max(200) }),
    defineEvent('HANDOVER_COMPLETED', {}),
    defineEvent('REQUEST_EXTENSION', { until: localDate, justification: FreeText }),
    defineEvent('APPROVE_EXTENSION', {}),
    defineEvent('REJECT_EXTENSION', {}),
    defineEvent('POST_RELEASE_LIMIT_REACHED', {}),
    defineEvent('NEEDS_MET', { signposting: Signposting.default([]) }),
  ]);
}

export const ReconnectEvent = custodyEvents(RECONNECT_CLOSURE_REASONS);
export const EnhancedEvent = custodyEvents(ENHANCED_CLOSURE_REASONS);
export type CustodyEvent = (z.infer<typeof ReconnectEvent> | z.infer<typeof EnhancedEvent>) & Envelope;
