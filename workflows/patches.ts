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
  /** New cases open under rules edition 3 (machines/common/rules.ts). */
  rulesEdition3: 'rules-edition-3',
  /**
   * A report is taken only when the service's own client issued it for this case (sealed); any
   * other, and one no key opens, is recorded as refused and never fails the workflow task.
   */
  issuedReports: 'issued-reports',
} as const;

/**
 * The rules edition each patch brought to new cases, oldest first (machines/common/rules.ts:
 * RULES_VERSION is the last). A case opened before all of them keeps the first edition.
 */
export const RULES_EDITIONS = [
  { patch: PATCHES.rulesFromSources, edition: 2 },
  { patch: PATCHES.rulesEdition3, edition: 3 },
] as const;

/**
 * The rules edition a case opens under: that of the last patch in turn its history has (a new
 * case has them all). `patched` is the workflow API's, so a replay finds the edition it recorded.
 */
export function rulesEditionOf(patched: (patchId: string) => boolean): number {
  let edition = 1;
  for (const { patch, edition: next } of RULES_EDITIONS) {
    if (!patched(patch)) break;
    edition = next;
  }
  return edition;
}
