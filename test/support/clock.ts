import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, addWeeks, localDateOf } from '../../calendar/calendar';

export const DAY = 24 * 60 * 60 * 1000;

/** Dates relative to an instant, as UK local dates (weekends, bank holidays and clock changes included). */
export function clockAt(now: string) {
  const today = localDateOf(now);
  return {
    now,
    today,
    daysFromToday: (n: number) => addDays(today, n),
    weeksFromToday: (n: number) => addWeeks(today, n),
  };
}

/** Dates relative to the test server's own clock (which the time-skipping server moves). */
export async function serverClock(env: TestWorkflowEnvironment) {
  return clockAt(new Date(await env.currentTimeMs()).toISOString());
}

/**
 * Dates relative to the real clock, which the dev server, the cluster and the service run on:
 * a test against any of them takes every date from here, never a fixed calendar date.
 */
export function realClock() {
  return clockAt(new Date().toISOString());
}

/** Skips the server's clock to just after `iso`. */
export async function skipTo(env: TestWorkflowEnvironment, iso: string, slackMs = 60_000): Promise<void> {
  const wait = Date.parse(iso) - (await env.currentTimeMs()) + slackMs;
  if (wait > 0) await env.sleep(wait);
}
