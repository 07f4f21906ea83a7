import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributeUpdatePair,
} from '@temporalio/common';
import type { CaseSummary, PathwayId } from '../machines/common/case';

/**
 * Search attributes for caseloads. They are not encrypted, so they hold no names,
 * dates of birth, NHS numbers or free text: only codes, staff ids and dates of process.
 */
export const SA = {
  pathway: defineSearchAttributeKey('CasePathway', SearchAttributeType.KEYWORD),
  state: defineSearchAttributeKey('CaseState', SearchAttributeType.KEYWORD),
  open: defineSearchAttributeKey('CaseOpen', SearchAttributeType.BOOL),
  team: defineSearchAttributeKey('CaseTeam', SearchAttributeType.KEYWORD),
  namedWorker: defineSearchAttributeKey('NamedWorker', SearchAttributeType.KEYWORD),
  releaseDate: defineSearchAttributeKey('ReleaseDate', SearchAttributeType.DATETIME),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  priorityGroup: defineSearchAttributeKey('PriorityGroup', SearchAttributeType.KEYWORD),
  /** A keyed hash of the child's reference, so linked cases can be found without exposing it. */
  childLink: defineSearchAttributeKey('ChildLinkKey', SearchAttributeType.KEYWORD),
  /** The case's short reference (a code the service made, not personal data), set when it starts. */
  reference: defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD),
  /** The team a transfer of the case waits on (set only on cases that have been offered for transfer). */
  transferTo: defineSearchAttributeKey('CaseTransferTo', SearchAttributeType.KEYWORD),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

/** What a case publishes for search: codes, staff ids and process dates, never personal data. */
export function searchAttributesOf(
  pathway: PathwayId,
  summary: CaseSummary,
  nextDeadline: string | undefined,
  childLinkKey: string | undefined,
): SearchAttributeUpdatePair[] {
  return [
    { key: SA.pathway, value: pathway },
    { key: SA.state, value: summary.state },
    { key: SA.open, value: summary.open },
    { key: SA.team, value: summary.team },
    { key: SA.namedWorker, value: summary.namedWorker ?? null },
    { key: SA.releaseDate, value: summary.releaseDate ? new Date(summary.releaseDate) : null },
    { key: SA.nextDeadline, value: nextDeadline ? new Date(nextDeadline) : null },
    { key: SA.priorityGroup, value: summary.priorityGroup ?? null },
    { key: SA.childLink, value: childLinkKey ?? null },
    // Only on cases ever offered for transfer, so every other case publishes what it always did.
    ...(summary.transferTo !== undefined ? [{ key: SA.transferTo, value: summary.transferTo }] : []),
  ];
}
