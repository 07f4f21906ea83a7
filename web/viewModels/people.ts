import { localDateOf } from '../../calendar/calendar';
import { longDate, yearsBetween } from '../../calendar/words';
import type { CaseView } from '../../contract/case';
import { needsToKnow, type Staff } from '../../access/rules';
import type { CaseClient } from '../../client/cases';
import type { PersonDetails } from '../../store/people';

const ROLE_WORDS: Readonly<Record<string, string>> = Object.freeze({
  parent: 'Parent',
  baby: 'Baby',
  child: 'Child',
  person: 'Person leaving custody',
});

/** One person a case is about, as a list shows them. */
export interface PersonLine {
  role: string;
  name: string;
  /** "born 4 December 1990 (aged 36)", or nothing when the date of birth is not known. */
  born?: string;
}

/** The people of a case in words: name, then date of birth and age. */
export function personLines(people: readonly PersonDetails[] | undefined, now = new Date()): PersonLine[] {
  const today = localDateOf(now.toISOString());
  return (people ?? []).map((p) => {
    const role = ROLE_WORDS[p.role] ?? 'Person';
    const born = p.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(p.dateOfBirth) ? p.dateOfBirth : undefined;
    const age = born ? yearsBetween(born, today) : undefined;
    const name = p.name ?? (p.role === 'baby' && !p.dateOfBirth ? 'Not yet born' : 'Name not given');
    return {
      role,
      name,
      ...(born
        ? {
            born: `born ${longDate(born)}${age !== undefined ? ` (aged ${age === 0 ? 'under 1' : age})` : ''}`,
          }
        : {}),
    };
  });
}

/** A case's people on one line, for a table cell. */
export const whoText = (lines: readonly PersonLine[]) =>
  lines.map((l) => `${l.role}: ${l.name}${l.born ? `, ${l.born}` : ''}`).join('; ');

/**
 * The people of the listed cases that this member of staff has a reason to see (named worker,
 * supervisors of the case's team, the team's intake caseworkers while no worker is named), in one
 * query to the record store's person index. Cases they have no reason to see are not asked for.
 */
export async function peopleFor(
  cases: CaseClient,
  caller: Staff,
  rows: readonly (Pick<CaseView, 'caseId' | 'namedWorker'> & { team?: string })[],
  /** The people of the caller's teams' open cases, read while the list was (`prefetchTeamPeople`). */
  prefetched?: Promise<Map<string, PersonDetails[]>>,
): Promise<Map<string, PersonLine[]>> {
  const known = rows
    .filter((r) => r.team !== undefined && needsToKnow(caller, { team: r.team, namedWorker: r.namedWorker }))
    .map((r) => r.caseId);
  const index = cases.options.records?.people;
  if (!known.length || !index) return new Map();
  const found = new Map(await (prefetched ?? Promise.resolve(new Map<string, PersonDetails[]>())));
  // Cases the prefetch did not place (their facts not yet written, or another team's), asked for by id.
  const missing = known.filter((id) => !found.has(id));
  if (missing.length) for (const [id, people] of await index.people(missing)) found.set(id, people);
  const now = new Date();
  return new Map(known.map((id) => [id, personLines(found.get(id), now)]));
}

/**
 * Starts reading the people of the caller's teams' open cases, so a team's list can be read from
 * Temporal and the record store at once; undefined when the caller sees no names by team.
 */
export function prefetchTeamPeople(
  cases: CaseClient,
  caller: Staff,
): Promise<Map<string, PersonDetails[]>> | undefined {
  const index = cases.options.records?.people;
  if (!index || !caller.teams.length || !caller.roles.some((r) => r === 'supervisor' || r === 'caseworker'))
    return undefined;
  const read = index.peopleOfTeams(caller.teams);
  // Awaited by `peopleFor`; a list that fails first must not leave it unhandled.
  read.catch(() => undefined);
  return read;
}
