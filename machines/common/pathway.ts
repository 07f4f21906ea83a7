import type { CaseSnapshot, CaseSummary } from './case';
import type { Role } from './envelope';
import { stateName } from './snapshot';

/** Who may send an event, in the words the pathways use. */
export const ROLES = {
  casework: ['caseworker', 'supervisor'],
  supervisor: ['supervisor'],
  /** Reported by staff or by another system. */
  reported: ['caseworker', 'supervisor', 'system'],
  timer: ['timer'],
  referenceData: ['system', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

/** The machine input most pathways need: the case, its referral, holidays and team. */
export function standardInput<R>(args: { caseId: string; referral: R; calendar: unknown; team: string }) {
  const { caseId, referral, calendar, team } = args;
  return { caseId, referral, calendar, team };
}

/** The search-safe summary every pathway shares. */
export function baseSummary(snapshot: CaseSnapshot): CaseSummary {
  const ctx = snapshot.context;
  return {
    state: stateName(snapshot),
    open: snapshot.status !== 'done',
    team: ctx.team,
    ...(ctx.namedWorker ? { namedWorker: ctx.namedWorker } : {}),
  };
}
