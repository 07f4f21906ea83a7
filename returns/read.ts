import type { CaseClient } from '../client/cases';
import type { CaseForReturn } from './cin/fromCases';

/**
 * The front door's cases, read through the service's own client: every case Temporal still holds,
 * open or closed, with its details and timeline. A case that cannot be read is named, not guessed at.
 */
export async function frontDoorCases(
  client: Pick<CaseClient, 'caseload' | 'details' | 'timeline'>,
  options: { limit?: number; concurrency?: number } = {},
): Promise<{ cases: CaseForReturn[]; unreadable: string[] }> {
  const rows = await client.caseload({ pathway: 'frontDoor' }, options.limit ?? 100_000);
  const ids = [...new Set(rows.map((r) => r.caseId))];
  const cases: CaseForReturn[] = [];
  const unreadable: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const caseId = ids[next++]!;
      try {
        const [context, timeline] = await Promise.all([client.details(caseId), client.timeline(caseId)]);
        cases.push({ caseId, context, timeline });
      } catch {
        unreadable.push(caseId);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, ids.length) }, worker));
  cases.sort((a, b) => a.caseId.localeCompare(b.caseId));
  return { cases, unreadable: unreadable.sort() };
}
