import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
import { instant } from '../../calendar/calendar';
import { frozen, type Frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';
import { PATHWAYS } from '../common/case';
import { Actor, FreeText } from '../common/envelope';
import { contactEmailChecked, PersonName } from '../common/people';
import { receiptRules } from '../common/receipt';
import { openingRefusals, referralRefusals } from '../common/rules';

/**
 * A duty-line call or a consultation request (seed 000: professionals may call the duty
 * clinician before referring). It is a light-weight item, not a case: no eligibility, no
 * clocks but one. It ends as a referral, as advice given, or lapses after LAPSE_DAYS.
 */
export const LAPSE_DAYS = 28;

export const ConsultationRoute = z.enum(['dutyLine', 'consultationRequest']);
export const ConsultationOutcome = z.enum(['adviceGiven', 'signposted', 'noFurtherAction', 'lapsed']);
export type ConsultationOutcome = z.infer<typeof ConsultationOutcome>;

export const Consultation = z.object({
  pathway: z.enum(PATHWAYS),
  route: ConsultationRoute,
  receivedAt: instant,
  professional: z.object({
    name: PersonName,
    role: z.string().trim().min(1).max(120),
    organisation: z.string().trim().max(200).optional(),
    contact: z.object({ route: z.enum(['phone', 'email']), value: z.string().trim().min(3).max(200) }),
  }),
  /** What the professional is worried about, in their words: free text, need-to-know. */
  concern: FreeText,
  /** What the duty clinician advised. */
  advice: FreeText.optional(),
});
export type Consultation = z.infer<typeof Consultation>;

const at = instant;
export const ConsultationEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('REFERRED'), at, actor: Actor, caseId: z.string().min(1).max(100) }),
  z.object({
    type: z.literal('CLOSED'),
    at,
    actor: Actor,
    outcome: ConsultationOutcome.exclude(['lapsed']),
    note: FreeText.optional(),
  }),
  z.object({ type: z.literal('LAPSED'), at, actor: Actor }),
]);
export type ConsultationEvent = z.infer<typeof ConsultationEvent>;

/** Who may do what to a consultation. */
export const CONSULTATION_ROLES: Frozen<Record<ConsultationEvent['type'], readonly Actor['role'][]>> = frozen(
  {
    REFERRED: ['caseworker', 'supervisor'],
    CLOSED: ['caseworker', 'supervisor'],
    LAPSED: ['timer'],
  },
);

/** The rules a consultation's details are judged by, as the referral rules judge a referral. */
const consultationRules = frozen({
  contactEmailChecked: contactEmailChecked<Consultation>((c) => c.professional.contact, "the professional's"),
});

/**
 * Every reason a consultation cannot be recorded at `now`, the service's clock: when it was
 * received, and how to reach the professional. Judged once, before it is recorded.
 */
export function consultationRefusals(consultation: Consultation, now: string): string[] {
  return [
    ...openingRefusals(receiptRules, consultation, now),
    ...referralRefusals(consultationRules, consultation),
  ];
}

/** A consultation's details, if they are valid (the schema itself stays here). */
export function parseConsultation(input: unknown): Consultation | undefined {
  const parsed = Consultation.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}

/** An action on a consultation, if it is one. */
export function parseConsultationEvent(input: unknown): ConsultationEvent | undefined {
  const parsed = ConsultationEvent.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}

export interface ConsultationContext {
  consultation: Consultation;
  caseId?: string;
  outcome?: ConsultationOutcome;
  closedAt?: string;
}

export const consultationMachine = setup({
  types: {
    context: {} as ConsultationContext,
    input: {} as { consultation: Consultation },
    events: {} as ConsultationEvent,
  },
}).createMachine({
  id: 'consultation',
  context: ({ input }) => ({ consultation: input.consultation }),
  initial: 'open',
  states: {
    open: {
      on: {
        REFERRED: {
          target: 'referred',
          actions: assign({ caseId: ({ event }) => event.caseId, closedAt: ({ event }) => event.at }),
        },
        CLOSED: {
          target: 'closed',
          actions: assign({ outcome: ({ event }) => event.outcome, closedAt: ({ event }) => event.at }),
        },
        LAPSED: {
          target: 'closed',
          actions: assign({ outcome: 'lapsed', closedAt: ({ event }) => event.at }),
        },
      },
    },
    referred: { type: 'final' },
    closed: { type: 'final' },
  },
});

export type ConsultationState = 'open' | 'referred' | 'closed';

/** A consultation as its workflow holds it: plain data, without the machine every one shares. */
export interface ConsultationSnapshot {
  value: ConsultationState;
  context: ConsultationContext;
}

const plain = (snapshot: SnapshotFrom<typeof consultationMachine>): ConsultationSnapshot => ({
  value: snapshot.value,
  context: snapshot.context,
});

export function openConsultation(consultation: Consultation): ConsultationSnapshot {
  return plain(initialTransition(consultationMachine, { consultation })[0]);
}

export function applyConsultationEvent(
  snapshot: ConsultationSnapshot,
  event: ConsultationEvent,
): ConsultationSnapshot {
  return plain(transition(consultationMachine, consultationMachine.resolveState(snapshot), event)[0]);
}

/** The actions a person can take now (the timer's own event is not one). */
export function consultationActions(
  snapshot: Pick<ConsultationSnapshot, 'value'>,
): ('REFERRED' | 'CLOSED')[] {
  return snapshot.value === 'open' ? ['REFERRED', 'CLOSED'] : [];
}
