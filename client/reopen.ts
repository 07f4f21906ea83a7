import { createHash } from 'node:crypto';
import type { CaseView } from '../contract/case';
import type { Actor } from '../machines/common/envelope';
import { CaseRefusedError, type CaseClient } from './cases';

/**
 * Reopening a closed case: within `REOPEN_WITHIN_DAYS` of its closure, the same team opens it
 * again as a linked re-referral of the same pathway, carrying the people as they stood at closure
 * (corrections included), received now, with the reason kept as the first note of the new case.
 * A closed case never changes: the new case links to it, and it to nothing. After the period a
 * re-referral is made in the usual way (a new referral, linked to the closed case).
 */
export const REOPEN_WITHIN_DAYS = 28;
const DAY_MS = 86_400_000;

/** Why a closed case cannot be reopened now, in words; undefined when it can. */
export function reopenRefusal(view: Pick<CaseView, 'open' | 'closure'>, now: string): string | undefined {
  if (view.open) return 'the case is still open';
  if (!view.closure)
    return 'the case ended outside the service, so it cannot be reopened: make a re-referral';
  const days = (Date.parse(now) - Date.parse(view.closure.at)) / DAY_MS;
  return days > REOPEN_WITHIN_DAYS
    ? `the case closed more than ${REOPEN_WITHIN_DAYS} days ago: make a re-referral instead`
    : undefined;
}

/** The id of the case a closed case reopens as: the same every time it is asked. */
export function reopenedIdOf(closed: Pick<CaseView, 'caseId' | 'pathway'>): string {
  const hex = createHash('sha256').update(`reopened:${closed.caseId}`).digest('hex');
  return `${closed.pathway}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export async function reopenCase(
  cases: CaseClient,
  closed: CaseView,
  actor: Actor,
  reason: string,
): Promise<CaseView> {
  const now = await cases.now();
  const refused = reopenRefusal(closed, now);
  if (refused) throw new CaseRefusedError('notAllowed', `The case cannot be reopened: ${refused}.`);
  // A closed case reopens once: the new case's id is its own, so a second reopening finds it.
  const caseId = reopenedIdOf(closed);
  const already = await cases.view(caseId).catch(() => undefined);
  if (already)
    throw new CaseRefusedError(
      'notAllowed',
      `The case cannot be reopened: it was reopened already, as ${already.reference ?? already.caseId}.`,
    );
  const details = await cases.details(closed.caseId);
  const referral = { ...(details.referral as Record<string, unknown>), receivedAt: now };
  const opened = await cases.refer(closed.pathway, referral, actor, closed.team, closed.caseId, { caseId });
  return cases.act(opened.caseId, {
    type: 'NOTE_RECORDED',
    eventId: `${opened.caseId}:reopened`,
    actor,
    noteType: 'managementOversight',
    happenedAt: now,
    present: [],
    text: `Reopened from ${closed.reference ?? closed.caseId}: ${reason}`,
    significant: true,
  });
}
