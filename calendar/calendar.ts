import { DateTime, type WeekdayNumbers } from 'luxon';
import { frozen, type Frozen } from '../validation/frozen';
import { z } from '../validation/zod';

/** All local times in the service are UK local time, daylight saving included. */
export const ZONE = 'Europe/London';

/** Holiday reference data as plain, versioned data: it travels inside case state. */
export interface HolidayCalendar {
  version: string;
  holidays: readonly string[];
}

/** The shape of the public bank-holidays feed, so a newer file can be dropped in. */
const bankHolidayFeed = z.object({
  'england-and-wales': z.object({
    events: z.array(z.object({ title: z.string(), date: z.iso.date() })).min(1),
  }),
});

export function parseBankHolidayFeed(json: unknown): HolidayCalendar {
  const dates = bankHolidayFeed
    .parse(json)
    ['england-and-wales'].events.map((e) => e.date)
    .sort();
  return { version: `${dates[0]}..${dates[dates.length - 1]}#${dates.length}`, holidays: dates };
}

export const instant = z.iso.datetime({ offset: true });
export const localDate = z.iso.date();

function local(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone: ZONE, setZone: false }).setZone(ZONE);
  if (!dt.isValid) throw new RangeError(`not an ISO date or time: ${iso}`);
  return dt;
}

function toInstant(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: false }) as string;
}

/**
 * A pure conversion, remembered: every case recomputes its deadlines after each change, and
 * time-zone arithmetic is the dearest part of that. Bounded; results never depend on it.
 */
function remembered(fn: (iso: string) => string, size = 10_000): (iso: string) => string {
  const known = new Map<string, string>();
  return (iso) => {
    let value = known.get(iso);
    if (value === undefined) {
      value = fn(iso);
      if (known.size >= size) known.clear();
      known.set(iso, value);
    }
    return value;
  };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The local calendar date (YYYY-MM-DD) of an instant. */
export const localDateOf: (iso: string) => string = remembered((iso) => local(iso).toISODate() as string);

/**
 * The local date of a date or an instant, for calendar arithmetic. Whole dates need no time
 * zone, so this is a date in UTC, where every day has 24 hours.
 */
function day(iso: string): DateTime {
  const dt = DateTime.fromISO(DATE_ONLY.test(iso) ? iso : localDateOf(iso), { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO date or time: ${iso}`);
  return dt;
}

/** 00:00 UK time on a local date, as a UTC instant. */
export const startOfLocalDay: (date: string) => string = remembered((date) =>
  toInstant(local(date).startOf('day')),
);

/** The instant a whole local day ends (00:00 the next day): "by the end of" that date. */
export const endOfLocalDay: (date: string) => string = remembered((date) =>
  toInstant(local(date).startOf('day').plus({ days: 1 })),
);

function isWorking(d: DateTime, cal: HolidayCalendar): boolean {
  return d.weekday <= 5 && !cal.holidays.includes(d.toISODate() as string);
}

export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  return isWorking(day(date), cal);
}

function nextWorkingDayOnOrAfter(d: DateTime, cal: HolidayCalendar): DateTime {
  let day = d.startOf('day');
  while (!isWorking(day, cal)) day = day.plus({ days: 1 });
  return day;
}

export interface OpeningHours {
  opens: string;
  closes: string;
}
export const INBOX_HOURS: Frozen<OpeningHours> = frozen({ opens: '09:00', closes: '17:00' });

function at(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** When a message arriving at `receivedAt` is first seen: now if the inbox is open, else its next opening. */
export function inboxSeenAt(
  receivedAt: string,
  cal: HolidayCalendar,
  hours: Readonly<OpeningHours> = INBOX_HOURS,
): string {
  const t = local(receivedAt);
  const today = nextWorkingDayOnOrAfter(t, cal);
  if (today.hasSame(t, 'day')) {
    if (t < at(today, hours.opens)) return toInstant(at(today, hours.opens));
    if (t < at(today, hours.closes)) return toInstant(t);
  }
  const next = today.hasSame(t, 'day') ? nextWorkingDayOnOrAfter(today.plus({ days: 1 }), cal) : today;
  return toInstant(at(next, hours.opens));
}

export interface MeetingSchedule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: WeekdayNumbers;
  time: string;
}
export const MONDAY_MEETING: Frozen<MeetingSchedule> = frozen({ weekday: 1, time: '10:00' });

/**
 * The first team meeting that starts strictly after `after`. A meeting whose day is a
 * bank holiday moves to the next working day.
 */
export function nextTeamMeeting(
  after: string,
  cal: HolidayCalendar,
  schedule: Readonly<MeetingSchedule> = MONDAY_MEETING,
): string {
  const t = local(after);
  let weekStart = t.startOf('day').minus({ days: (t.weekday - schedule.weekday + 7) % 7 });
  for (;;) {
    const meeting = at(nextWorkingDayOnOrAfter(weekStart, cal), schedule.time);
    if (meeting > t) return toInstant(meeting);
    weekStart = weekStart.plus({ weeks: 1 });
  }
}

/** The local date that is `n` working days after the local date of `from`. */
export function addWorkingDays(from: string, n: number, cal: HolidayCalendar): string {
  let d = day(from);
  for (let left = n; left > 0;) {
    d = d.plus({ days: 1 });
    if (isWorking(d, cal)) left--;
  }
  return d.toISODate() as string;
}

/** The local date that is `n` working days before the local date `date`. */
export function subtractWorkingDays(date: string, n: number, cal: HolidayCalendar): string {
  let d = day(date);
  for (let left = n; left > 0;) {
    d = d.minus({ days: 1 });
    if (isWorking(d, cal)) left--;
  }
  return d.toISODate() as string;
}

/** Calendar months later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  return day(date).plus({ months }).toISODate() as string;
}

export function addDays(date: string, days: number): string {
  return day(date).plus({ days }).toISODate() as string;
}

export function addWeeks(date: string, weeks: number): string {
  return day(date).plus({ weeks }).toISODate() as string;
}

export function addMonthsToInstant(iso: string, months: number): string {
  return toInstant(local(iso).plus({ months }));
}

/** Whole calendar days from local date `a` to local date `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round(day(b).diff(day(a), 'days').days);
}

/** Completed years of age on a local date. */
export function ageOn(dateOfBirth: string, date: string): number {
  return Math.floor(day(date).diff(day(dateOfBirth), 'years').years);
}

/** Earlier of two instants; instants are UTC ISO strings, so they compare as text. */
export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}
