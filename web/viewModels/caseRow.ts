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

/**
 * `caseRow` for the rows of one list: cases due on the same instant (a team's cases often are)
 * have their deadline put in words once.
 */
export function caseRows(now = new Date().toISOString()): (r: CaseloadRow) => CaseRow {
  const words = new Map<string, ReturnType<typeof deadlineInWords>>();
  const inWords = (at: string) => {
    let w = words.get(at);
    if (!w) words.set(at, (w = deadlineInWords(at, now, shippedHolidays)));
    return w;
  };
  return (r) => ({
    ...r,
    pathwayName: pathwayName(r.pathway),
    stateName: stateName(r.state),
    due: r.nextDeadline ? inWords(r.nextDeadline) : undefined,
    release: r.releaseDate ? longDate(r.releaseDate) : undefined,
  });
}
