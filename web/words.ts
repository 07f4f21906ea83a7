import { DateTime } from 'luxon';
import { addDays, isWorkingDay, localDateOf, ZONE, type HolidayCalendar } from '../calendar/calendar';

/** "Mon 30 Nov" (the year only when it is not this year's). */
export function shortDate(date: string, today: string): string {
  const d = DateTime.fromISO(date, { zone: ZONE });
  return d.toFormat(date.slice(0, 4) === today.slice(0, 4) ? 'ccc d LLL' : 'ccc d LLL yyyy');
}

/** "30 November 2026, 10:00" in UK time. */
export function dateTime(iso: string): string {
  return DateTime.fromISO(iso, { zone: ZONE }).toFormat('d LLLL yyyy, HH:mm');
}

/** "30 November 2026". */
export function longDate(date: string): string {
  return DateTime.fromISO(date, { zone: ZONE }).toFormat('d LLLL yyyy');
}

/** A deadline's last moment as people say it: the end of a day, or a time on it. */
function dueWhen(at: string, today: string): { date: string; words: string } {
  const t = DateTime.fromISO(at, { zone: ZONE });
  if (t.hour === 0 && t.minute === 0) {
    const date = localDateOf(new Date(Date.parse(at) - 1).toISOString());
    return { date, words: `by end of ${shortDate(date, today)}` };
  }
  const date = t.toISODate()!;
  return { date, words: `by ${t.toFormat('HH:mm')} on ${shortDate(date, today)}` };
}

/** Working days after `from` up to and including `to`. */
function workingDaysBetween(from: string, to: string, cal: HolidayCalendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}

export interface DeadlineWords {
  text: string;
  overdue: boolean;
  /** Due within the next 7 days. */
  soon: boolean;
}

/** "due by end of Mon 30 Nov", "due today by 17:00", "overdue by 2 working days". */
export function deadlineInWords(at: string, now: string, cal: HolidayCalendar): DeadlineWords {
  const today = localDateOf(now);
  const { date, words } = dueWhen(at, today);
  if (Date.parse(at) <= Date.parse(now)) {
    const late = workingDaysBetween(date, today, cal);
    if (late === 0) return { text: `overdue since ${words.replace(/^by /, '')}`, overdue: true, soon: true };
    return { text: `overdue by ${late} working day${late === 1 ? '' : 's'}`, overdue: true, soon: true };
  }
  const soon = Date.parse(at) - Date.parse(now) <= 7 * 24 * 3600 * 1000;
  if (date === today)
    return {
      text: `due today ${words.replace(/ on .*$/, '').replace(/^by end of .*$/, 'by end of day')}`,
      overdue: false,
      soon,
    };
  return { text: `due ${words}`, overdue: false, soon };
}

/** "domesticAbuse" → "Domestic abuse". */
export function words(code: string): string {
  const spaced = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
