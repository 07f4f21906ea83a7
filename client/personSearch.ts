import type { Caller } from '../auth/caller';
import type { CaseView } from '../contract/case';
import { CaseInputError } from './cases';
import { LIST_READ, type AccessLog } from '../store/accessLog';
import type { CaseStanding } from '../store/facts';
import type { IdentifierKind, PersonIndex } from '../store/people';
import type { CaseReferences } from '../store/people';

/** Who is being looked for: an NHS number, or a name and date of birth (or all three). */
export interface PersonQuery {
  nhsNumber?: string;
  name?: string;
  dateOfBirth?: string;
}

/** A possible match in a case the searcher may see: where, as whom, and on what. */
export interface VisibleMatch {
  restricted: false;
  caseId: string;
  reference?: string;
  pathway: string;
  /** The person's part in the case: parent, baby, child or person. */
  role: string;
  on: IdentifierKind[];
  /** Whether the case is open, where the record store knows. */
  open?: boolean;
}

/**
 * Possible matches in cases the searcher may not see, all in one entry: that there is one, and
 * the strongest identifiers it matched on, never which case, pathway, team or how many, so a
 * referral form can say "a possible match was found; ask a supervisor" without revealing a case.
 */
export interface RestrictedMatch {
  restricted: true;
  on: IdentifierKind[];
}

export type PersonSearchMatch = VisibleMatch | RestrictedMatch;

export interface PersonSearchDeps {
  people: Pick<PersonIndex, 'find'>;
  references?: Pick<CaseReferences, 'many'>;
  /** Where each matched case stands (store/facts.ts `standing`). */
  facts?: { standing(caseIds: readonly string[]): Promise<Map<string, CaseStanding>> };
  /** Cases with no facts in the store yet are asked directly, where a case client is given. */
  cases?: { view(caseId: string): Promise<Pick<CaseView, 'pathway' | 'team' | 'namedWorker' | 'open'>> };
  accessLog: Pick<AccessLog, 'record'>;
  /**
   * Whether the searcher may see a case standing so: access/rules.ts's `seesTeam` and
   * `needsToKnow` for them, as each door passes it in (client/ sits below access/).
   */
  mayRead: (standing: CaseStanding) => boolean;
}

/** At most this many matches are considered: a search is for one person, not a list. */
export const MAX_MATCHES = 50;

/**
 * "Is this person known to us?": possible matches across pathways and closed cases, through the
 * person index. Cases the searcher may not see (another team's, or one they do not need to know)
 * are folded into one restricted entry. Every search writes one access-log row naming every
 * case it matched, with the searcher's reason. The API and the workspace both call this.
 */
export async function searchPeople(
  deps: PersonSearchDeps,
  caller: Extract<Caller, { kind: 'staff' }>,
  query: PersonQuery,
  why: string,
): Promise<PersonSearchMatch[]> {
  if (!query.nhsNumber && !(query.name && query.dateOfBirth))
    throw new CaseInputError('give an NHS number, or a name and date of birth');
  const found = (await deps.people.find(query)).slice(0, MAX_MATCHES);
  const caseIds = [...new Set(found.map((m) => m.caseId))];
  const standing = (await deps.facts?.standing(caseIds)) ?? new Map<string, CaseStanding>();
  for (const id of caseIds.filter((c) => !standing.has(c))) {
    const view = await deps.cases?.view(id).catch(() => undefined);
    if (view)
      standing.set(id, {
        pathway: view.pathway,
        team: view.team,
        open: view.open,
        ...(view.namedWorker ? { namedWorker: view.namedWorker } : {}),
      });
  }
  await deps.accessLog.record({
    who: caller,
    caseId: LIST_READ,
    caseIds,
    what: 'person-search',
    why,
  });
  const mayRead = (s: CaseStanding | undefined): s is CaseStanding => !!s && deps.mayRead(s);
  const visible = found.filter((m) => mayRead(standing.get(m.caseId)));
  const references = (await deps.references?.many(visible.map((m) => m.caseId))) ?? new Map<string, string>();
  const matches: PersonSearchMatch[] = visible.map((m) => {
    const s = standing.get(m.caseId)!;
    const reference = references.get(m.caseId);
    return {
      restricted: false,
      caseId: m.caseId,
      ...(reference ? { reference } : {}),
      pathway: s.pathway,
      role: m.role,
      on: m.on,
      open: s.open,
    };
  });
  const hidden = found.filter((m) => !mayRead(standing.get(m.caseId)));
  if (hidden.length) {
    const strongest = hidden.reduce((a, b) => (b.on.length > a.on.length ? b : a));
    matches.push({ restricted: true, on: [...strongest.on].sort() });
  }
  return matches;
}
