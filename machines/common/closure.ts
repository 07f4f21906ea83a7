import type { Closure } from './case';
import type { Envelope } from './envelope';

/** A closure: why, when, by whom, the event's reason as the note, and any signposting. */
export function closureOf<R extends string>(reason: R, e: Envelope, signposting: string[] = []): Closure<R> {
  return { reason, at: e.at, by: e.actor, signposting, ...(e.reason ? { note: e.reason } : {}) };
}

/** Signposting an event carries, if it has any. */
export function signpostingOf(e: object): string[] {
  return 'signposting' in e && Array.isArray(e.signposting) ? (e.signposting as string[]) : [];
}

/** The closure a CLOSE event asks for; its own note wins over the envelope's reason. */
export function requestedClosure<R extends string>(
  e: Envelope & { closureReason: R; note?: string; signposting: string[] },
): Closure<R> {
  return { ...closureOf(e.closureReason, e, e.signposting), ...(e.note ? { note: e.note } : {}) };
}
