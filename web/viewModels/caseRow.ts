import { shippedHolidays } from '../../calendar/holidays';
import { deadlineInWords, longDate } from '../../calendar/words';
import type { CaseloadRow } from '../../client/cases';
import { pathwayName, stateName } from '../../machines/plainEnglish';

/** A caseload row as a list shows it: pathway and state in words, its next deadline and release. */
export function caseRow(r: CaseloadRow, now = new Date().toISOString()) {
  return {
    ...r,
    pathwayName: pathwayName(r.pathway),
    stateName: stateName(r.state),
    due: r.nextDeadline ? deadlineInWords(r.nextDeadline, now, shippedHolidays) : undefined,
    release: r.releaseDate ? longDate(r.releaseDate) : undefined,
  };
}
export type CaseRow = ReturnType<typeof caseRow>;
