import { instant } from '../../calendar/calendar';
import { frozen, type Frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';

/**
 * Who may act on a case. `system` is another service (prison, social care); `admin` keeps the
 * service's reference data; `timer` is the case's own clock and never comes from outside.
 */
export const Role = z.enum(['caseworker', 'supervisor', 'system', 'timer', 'admin']);
export type Role = z.infer<typeof Role>;

export const Actor = z.object({ id: z.string().trim().min(1).max(100), role: Role });
export type Actor = z.infer<typeof Actor>;

/** Every event says who acted, when it was recorded, why, and carries an id for idempotency. */
export const envelope = Object.freeze({
  eventId: z.string().trim().min(1).max(120),
  at: instant,
  actor: Actor,
  reason: z.string().trim().max(2000).optional(),
});

export type Envelope = { eventId: string; at: string; actor: Actor; reason?: string };

/** Defines one event: its `type` literal plus the envelope plus its own fields. */
export function defineEvent<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ...envelope, ...shape });
}

/** The actor used for events the case's own clock fires. */
export const TIMER: Frozen<Actor> = frozen({ id: 'timer', role: 'timer' });

export const Signposting = z.array(z.string().trim().min(1).max(300)).max(20);

export const FreeText = z.string().trim().min(1).max(2000);

/**
 * Event fields that hold free text, or a child's personal details recorded after the referral (the
 * front door's census details: sex, ethnicity, disability, UPN, date of birth): need-to-know, like
 * the referral's personal details (see the API).
 */
export const FREE_TEXT_FIELDS = frozen([
  'summary',
  'notFaceToFaceBecause',
  'justification',
  'note',
  'outcome',
  'explanation',
  'informationRequested',
  'sex',
  'ethnicity',
  'disabilities',
  'upn',
  'upnUnknown',
  'dateOfBirth',
  // The case record's notes and corrections (recordKeeping.ts).
  'text',
  'present',
  'value',
] as const);

/** A staff or team id: it becomes part of an address, so a safe alphabet only. */
export const StaffId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore; at most 64');
