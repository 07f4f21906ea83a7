import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../machines/common/envelope';
import type { Consultation, ConsultationOutcome, ConsultationState } from '../machines/consultation';

/** A consultation as its workflow reports it. `consultation` holds personal data: need-to-know. */
export interface ConsultationView {
  consultationId: string;
  pathway: Consultation['pathway'];
  route: Consultation['route'];
  team: string;
  state: ConsultationState;
  open: boolean;
  allowedActions: string[];
  receivedAt: string;
  recordedBy: Actor;
  /** When an open consultation lapses, closed as advice only. */
  lapsesAt?: string;
  caseId?: string;
  outcome?: ConsultationOutcome;
  closedAt?: string;
  /** Who did what, and when; notes are free text. */
  timeline: { at: string; actor: Actor; type: string; note?: string; caseId?: string }[];
  consultation: Consultation;
}

export interface ConsultationWorkflowInput {
  consultation: Consultation;
  team: string;
  actor: Actor;
  /** Upsert search attributes (off only on servers without the custom attributes registered). */
  searchAttributes?: boolean;
}

/** What a caller sends: the workflow stamps `at` with its own clock. */
export type ConsultationCommand =
  | { type: 'REFERRED'; eventId: string; actor: Actor; caseId: string }
  | { type: 'CLOSED'; eventId: string; actor: Actor; outcome: string; note?: string };

export const consultationUpdate = defineUpdate<ConsultationView, [ConsultationCommand, { teams: string[] }?]>(
  'consultationAct',
);
export const consultationQuery = defineQuery<ConsultationView>('consultation');
