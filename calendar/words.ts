import { DateTime } from 'luxon';
import { addDays, isWorkingDay, localDateOf, ZONE, type HolidayCalendar } from './calendar';

/** "Mon 30 Nov" (the year only when it is not this year's). */
export function shortDate(date: string, today: string): string {
  const d = DateTime.fromISO(date, { zone: ZONE });
  return d.toFormat(date.slice(0, 4) === today.slice(0, 4) ? 'ccc d LLL' : 'ccc d LLL yyyy');
}

/** "30 November 2026, 10:00" in UK time. */
export function dateTime(iso: string): string {
  return DateTime.fromISO(iso, { zone: ZONE }).toFormat('d LLLL yyyy, HH:mm');
}

const MONTHS = Object.freeze([
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]);

/** "30 November 2026": a date as it is (a list shows hundreds), an instant on its UK date. */
export function longDate(date: string): string {
  const whole = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (whole) return `${Number(whole[3])} ${MONTHS[Number(whole[2]) - 1]} ${whole[1]}`;
  return DateTime.fromISO(date, { zone: ZONE }).toFormat('d LLLL yyyy');
}

/** Whole years from a date of birth to a date (both YYYY-MM-DD); undefined before birth. */
export function yearsBetween(born: string, on: string): number | undefined {
  if (born > on) return undefined;
  const years = Number(on.slice(0, 4)) - Number(born.slice(0, 4));
  return on.slice(5) < born.slice(5) ? years - 1 : years;
}

/** A deadline's last moment as people say it: the end of a day, or a time on it. */
function dueWhen(at: string): { date: string; time?: string } {
  const t = DateTime.fromISO(at, { zone: ZONE });
  if (t.hour === 0 && t.minute === 0)
    return { date: localDateOf(new Date(Date.parse(at) - 1).toISOString()) };
  return { date: t.toISODate()!, time: t.toFormat('HH:mm') };
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
  const { date, time } = dueWhen(at);
  const day = date === today ? 'today' : shortDate(date, today);
  const by = time ? `by ${time} ${day === 'today' ? 'today' : `on ${day}`}` : `by end of ${day}`;
  if (Date.parse(at) <= Date.parse(now)) {
    const late = workingDaysBetween(date, today, cal);
    const text =
      late === 0 ? `overdue: was due ${by}` : `overdue by ${late} working day${late === 1 ? '' : 's'}`;
    return { text, overdue: true, soon: true };
  }
  const soon = Date.parse(at) - Date.parse(now) <= 7 * 24 * 3600 * 1000;
  return { text: `due ${by}`, overdue: false, soon };
}

/** "domesticAbuse" → "Domestic abuse". */
export function words(code: string): string {
  const spaced = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
