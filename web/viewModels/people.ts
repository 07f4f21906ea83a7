import { DateTime } from 'luxon';
import { ZONE } from '../../calendar/calendar';
import { longDate } from '../../calendar/words';
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

function ageOf(dateOfBirth: string, today: DateTime): number | undefined {
  const born = DateTime.fromISO(dateOfBirth, { zone: ZONE });
  if (!born.isValid || born > today) return undefined;
  return Math.floor(today.diff(born, 'years').years);
}

/** The people of a case in words: name, then date of birth and age. */
export function personLines(people: readonly PersonDetails[] | undefined, now = new Date()): PersonLine[] {
  const today = DateTime.fromJSDate(now, { zone: ZONE });
  return (people ?? []).map((p) => {
    const role = ROLE_WORDS[p.role] ?? 'Person';
    const age = p.dateOfBirth ? ageOf(p.dateOfBirth, today) : undefined;
    const name = p.name ?? (p.role === 'baby' && !p.dateOfBirth ? 'Not yet born' : 'Name not given');
    return {
      role,
      name,
      ...(p.dateOfBirth
        ? {
            born: `born ${longDate(p.dateOfBirth)}${age !== undefined ? ` (aged ${age === 0 ? 'under 1' : age})` : ''}`,
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
): Promise<Map<string, PersonLine[]>> {
  const known = rows
    .filter((r) => r.team !== undefined && needsToKnow(caller, { team: r.team, namedWorker: r.namedWorker }))
    .map((r) => r.caseId);
  const index = cases.options.records?.people;
  if (!known.length || !index) return new Map();
  const found = await index.people(known);
  const now = new Date();
  return new Map(known.map((id) => [id, personLines(found.get(id), now)]));
}
