import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);
