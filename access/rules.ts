import { seesTeam, type Caller } from '../auth/caller';
import { CaseRefusedError, type CaseClient } from '../client/cases';
import type { CaseView } from '../contract/case';
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

/** Actions that end a case: they need the same relationship to it as reading its details. */
export const ENDS_THE_CASE: readonly string[] = Object.freeze(['CLOSE']);

/** Whether the caller may take this action on this case, beyond the role table: closing needs need-to-know. */
export function mayTake(caller: Staff, view: Pick<CaseView, 'team' | 'namedWorker'>, type: string): boolean {
  return !ENDS_THE_CASE.includes(type) || needsToKnow(caller, view);
}

/** A case the caller's teams can see (403 otherwise). */
export async function visibleCase(cases: CaseClient, caller: Staff, caseId: string): Promise<CaseView> {
  const view = await cases.view(caseId);
  if (!seesTeam(caller, view.team))
    throw new CaseRefusedError('forbidden', 'this case belongs to another team');
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
