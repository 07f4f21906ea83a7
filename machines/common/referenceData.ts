import {
  addWorkingDays,
  endOfLocalDay,
  isWorkingDay,
  localDate,
  localDateOf,
  type HolidayCalendar,
} from '../../calendar/calendar';
import { defineEvent } from './envelope';
import { z } from '../../validation/zod';

/**
 * Reference data inside a case. Bank holidays travel in the case's context; a newer set arrives
 * as REFERENCE_DATA_UPDATED. A working-day deadline is stored when it is computed, so new
 * holidays apply only to deadlines computed after them.
 */
export const HolidayCalendarSchema = z.object({
  version: z.string().trim().min(1).max(100),
  holidays: z.array(localDate).max(5000),
});

export const ReferenceDataUpdated = defineEvent('REFERENCE_DATA_UPDATED', {
  calendar: HolidayCalendarSchema,
});

export interface WithWorkingDayDue {
  calendar: HolidayCalendar;
  /** Working-day deadlines by name, as computed when their clock started. */
  workingDayDue?: Record<string, string>;
}

/** The end of the n-th working day after `from`, with the case's holidays. */
export function workingDaysDue(calendar: HolidayCalendar, from: string, n: number): string {
  return endOfLocalDay(addWorkingDays(from, n, calendar));
}

/** The end of the working day `from` falls on, or of the next working day when it falls on none. */
export function sameWorkingDayDue(calendar: HolidayCalendar, from: string): string {
  const day = localDateOf(from);
  return isWorkingDay(day, calendar) ? endOfLocalDay(day) : workingDaysDue(calendar, from, 1);
}

/** Context change that records a working-day deadline now, with the holidays in force now. */
export function stampDue(ctx: WithWorkingDayDue, name: string, from: string, n: number) {
  return { workingDayDue: { ...ctx.workingDayDue, [name]: workingDaysDue(ctx.calendar, from, n) } };
}

/** The stored deadline; cases opened before deadlines were stored derive it as before. */
export function dueOf(ctx: WithWorkingDayDue, name: string, from: string, n: number): string {
  return ctx.workingDayDue?.[name] ?? workingDaysDue(ctx.calendar, from, n);
}

/** A reference-data update is new: not the version the case already has. */
export function newReferenceData(ctx: WithWorkingDayDue, calendar: HolidayCalendar): boolean {
  return calendar.version !== ctx.calendar.version;
}
