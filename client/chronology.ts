import { localDateOf } from '../calendar/calendar';
import type { TimelineEntry } from '../contract/case';
import type { Correction, Note, Transfer } from '../machines/common/recordKeeping';

/**
 * A case's chronology: what happened to the family, in order, built from the case's own events
 * (referral, decisions, meetings, conferences, release, recall, handover, corrections, transfers,
 * closure) and the notes marked significant. The clock's reminders, follow-ups, refused reports
 * and bank-holiday updates are the service's housekeeping, not the family's story, so they are
 * left out, as are notes not marked significant.
 */

export interface ChronologyEntry {
  /** The event's id, or the note's: what a print view chooses by. */
  id: string;
  kind: 'event' | 'note';
  /** When it happened: a note's own time, an event's time recorded. */
  at: string;
  type: string;
  by: string;
  /** The timeline entry (events) or the note as it stands (notes). */
  entry?: TimelineEntry;
  note?: Note;
  /** The state the case moved to, when it moved. */
  movedTo?: string;
}

/** Housekeeping on the timeline: never in the chronology. */
const HOUSEKEEPING = new Set([
  'REMINDER',
  'SET_FOLLOW_UP',
  'REFERENCE_DATA_UPDATED',
  'EFFECT_FAILED',
  'REPORT_REFUSED',
  'NOTE_RECORDED',
  'NOTE_AMENDED',
  'NOTE_SIGNED_OFF',
]);
const isHousekeeping = (type: string) => HOUSEKEEPING.has(type) || type.endsWith('_IGNORED');

export interface ChronologyOptions {
  order?: 'newest' | 'oldest';
  /** Events, notes or both. */
  kinds?: readonly ChronologyEntry['kind'][];
  /** UK dates (YYYY-MM-DD), inclusive. */
  from?: string;
  to?: string;
  /** Only these ids (a print view's choice). */
  only?: readonly string[];
}

/** The chronology of a case from its timeline and its record (the details a caller may read). */
export function chronologyOf(
  timeline: readonly TimelineEntry[],
  record: { notes?: Note[]; corrections?: Correction[]; transfers?: Transfer[] },
  o: ChronologyOptions = {},
): ChronologyEntry[] {
  const events: ChronologyEntry[] = timeline
    .filter((e) => !isHousekeeping(e.type))
    .map((e) => ({
      id: e.eventId,
      kind: 'event',
      at: e.at,
      type: e.type,
      by: e.actor.id,
      entry: e,
      ...(e.to !== e.from ? { movedTo: e.to } : {}),
    }));
  const notes: ChronologyEntry[] = (record.notes ?? [])
    .filter((n) => n.significant)
    .map((n) => ({ id: n.id, kind: 'note', at: n.happenedAt, type: n.noteType, by: n.author, note: n }));
  const kinds = o.kinds ?? ['event', 'note'];
  const within = (at: string) => (!o.from || localDateOf(at) >= o.from) && (!o.to || localDateOf(at) <= o.to);
  const all = [...events, ...notes]
    .filter((c) => kinds.includes(c.kind) && within(c.at) && (!o.only || o.only.includes(c.id)))
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  return o.order === 'oldest' ? all : all.reverse();
}
