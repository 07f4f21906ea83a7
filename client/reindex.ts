import type { CaseClient } from './cases';
import { peopleOfReferral } from './people';

/** The details whose correction changes how a person is found in the person index. */
export const INDEXED_FIELDS: readonly string[] = Object.freeze(['name', 'dateOfBirth', 'nhsNumber']);

/**
 * Indexes a case's people again as they now stand (the referral with its corrections applied),
 * after a correction of a name, date of birth or NHS number. Without a person index, nothing.
 * The API and the workspace both call this.
 */
export async function reindexPeople(cases: CaseClient, caseId: string): Promise<void> {
  const people = cases.options.records?.people;
  if (!people) return;
  const [view, details] = await Promise.all([cases.view(caseId), cases.details(caseId)]);
  await people.index(caseId, peopleOfReferral(view.pathway, details.referral));
}
