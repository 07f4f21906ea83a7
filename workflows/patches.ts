/**
 * Patch ids for changes to workflow code under running cases (README: "Changing workflow code
 * under running cases"). A patch stays until no running case predates it; then it is
 * deprecated, and later its old branch is removed.
 */
export const PATCHES = {
  /** Refused reports from other systems are recorded on the timeline and notified. */
  recordRefusedReports: 'record-refused-reports',
  /** One timer per deadline, kept across actions that leave the earliest deadline unchanged. */
  keepDeadlineTimer: 'keep-deadline-timer',
  /** New cases open under the current rules edition (machines/common/rules.ts), not the first. */
  rulesFromSources: 'rules-from-sources',
  /** Search attributes published again after effects, so an action taken meanwhile is not left unpublished. */
  publishAfterEffects: 'publish-after-effects',
  /** A clock whose reminder fired stays the published next deadline until it is met. */
  overdueStaysNext: 'overdue-stays-next',
} as const;
