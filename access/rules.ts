import { seesTeam, type Caller } from '../auth/caller';
import { CaseRefusedError, type CaseClient } from '../client/cases';
import type { CaseView, TimelineEntry } from '../contract/case';
import type { Role } from '../machines/common/envelope';

/**
 * Who may see and do what: one module below both the API and the workspace's pages, so each door
 * checks the same rules and neither imports the other.
 */

export type Staff = Extract<Caller, { kind: 'staff' }>;

/** The machine role a staff member acts in for an event: the most senior the role table allows. */
export function actingRole(caller: Staff, allowed: readonly Role[]): Role | undefined {
  return (['supervisor', 'caseworker'] as const).find((r) => caller.roles.includes(r) && allowed.includes(r));
}

/** Personal data and free text: supervisors of the team, the named worker, or intake staff before one is named. */
export function needsToKnow(caller: Staff, view: Pick<CaseView, 'team' | 'namedWorker'>): boolean {
  if (!caller.teams.includes(view.team)) return false;
  if (caller.roles.includes('supervisor')) return true;
  return caller.roles.includes('caseworker') && (!view.namedWorker || view.namedWorker === caller.id);
}

/**
 * Actions that need the same relationship to the case as reading its details: ending it, and
 * writing or changing its record (a note, a correction, a transfer).
 */
export const NEEDS_RELATIONSHIP: readonly string[] = Object.freeze([
  'CLOSE',
  'NOTE_RECORDED',
  'NOTE_AMENDED',
  'NOTE_SIGNED_OFF',
  'DETAILS_CORRECTED',
  'TRANSFER_REQUESTED',
  'TRANSFER_WITHDRAWN',
]);
/** Answers to a transfer: a supervisor of the team it is offered to gives them. */
export const TRANSFER_ANSWERS: readonly string[] = Object.freeze(['TRANSFER_ACCEPTED', 'TRANSFER_DECLINED']);

/** Is the case offered to one of the caller's teams? */
export const offeredTo = (caller: Staff, view: Pick<CaseView, 'transfer'>): boolean =>
  !!view.transfer && caller.teams.includes(view.transfer.toTeam);

/** Whether the caller may take this action on this case, beyond the role table. */
export function mayTake(
  caller: Staff,
  view: Pick<CaseView, 'team' | 'namedWorker' | 'transfer'>,
  type: string,
): boolean {
  if (TRANSFER_ANSWERS.includes(type)) return offeredTo(caller, view) && caller.roles.includes('supervisor');
  return !NEEDS_RELATIONSHIP.includes(type) || needsToKnow(caller, view);
}

/** Can the caller see this case at all: one of their teams has it, or is offered it (reference only). */
export const seesCase = (caller: Staff, view: Pick<CaseView, 'team' | 'transfer'>): boolean =>
  seesTeam(caller, view.team) || offeredTo(caller, view);

/** A note as the record keeps it, as far as who may read it. */
interface NoteAccess {
  author: string;
  restricted: boolean;
}

/**
 * Who reads a note: those who need to know the case; a restricted note only its author and the
 * supervisors of the case's team.
 */
export function mayReadNote(
  caller: Staff,
  view: Pick<CaseView, 'team' | 'namedWorker'>,
  note: NoteAccess,
): boolean {
  if (!needsToKnow(caller, view)) return false;
  if (!note.restricted) return true;
  return note.author === caller.id || caller.roles.includes('supervisor');
}

/** A case's details as this caller may read them: restricted notes they may not read are left out. */
export function detailsFor(
  caller: Staff,
  view: Pick<CaseView, 'team' | 'namedWorker'>,
  details: Record<string, unknown>,
): Record<string, unknown> {
  const notes = details.notes as NoteAccess[] | undefined;
  if (!notes?.length) return details;
  return { ...details, notes: notes.filter((n) => mayReadNote(caller, view, n)) };
}

/**
 * A timeline with free text as this caller may read it: the words of restricted notes they may
 * not read are left out (the entry stays, so the record shows a note was made).
 */
export function timelineFor<E extends Pick<TimelineEntry, 'type' | 'eventId' | 'actor' | 'data'>>(
  caller: Staff,
  view: Pick<CaseView, 'team' | 'namedWorker'>,
  entries: readonly E[],
): E[] {
  const notes = new Map<string, NoteAccess>();
  const noteIdOf = (e: E) => (typeof e.data?.noteId === 'string' ? e.data.noteId : '');
  for (const e of entries) {
    const restricted = e.data?.restricted;
    if (e.type === 'NOTE_RECORDED')
      notes.set(e.eventId, { author: e.actor.id, restricted: restricted === true });
    if (e.type === 'NOTE_AMENDED' && typeof restricted === 'boolean') {
      const note = notes.get(noteIdOf(e));
      if (note) note.restricted = restricted;
    }
  }
  return entries.map((e) => {
    const id = e.type === 'NOTE_RECORDED' ? e.eventId : noteIdOf(e);
    const note = e.type.startsWith('NOTE_') ? notes.get(id) : undefined;
    if (!note || mayReadNote(caller, view, note)) return e;
    const { text: _text, present: _present, ...data } = e.data ?? {};
    return { ...e, data: { ...data, withheld: true } };
  });
}

/** A case the caller's teams can see (403 otherwise). */
export async function visibleCase(cases: CaseClient, caller: Staff, caseId: string): Promise<CaseView> {
  const view = await cases.view(caseId);
  if (!seesCase(caller, view)) throw new CaseRefusedError('forbidden', 'this case belongs to another team');
  return view;
}

/**
 * A case whose personal data and free text the caller may read: one they can see and need to
 * know (403 otherwise). Every read of a case's personal data goes through it: its details, and
 * its payloads decoded for the Temporal Web UI.
 */
export async function caseToRead(cases: CaseClient, caller: Staff, caseId: string): Promise<CaseView> {
  const view = await visibleCase(cases, caller, caseId);
  if (!needsToKnow(caller, view))
    throw new CaseRefusedError(
      'forbidden',
      "only the named worker or a supervisor may read this case's details",
    );
  return view;
}

/** A case's view for anyone who may see the case: the closure's note is free text, so it is left out. */
export function viewForAll<V extends Pick<CaseView, 'closure'>>(view: V): V {
  if (!view.closure?.note) return view;
  const { note: _note, ...closure } = view.closure;
  return { ...view, closure };
}
