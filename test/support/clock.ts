import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, addWeeks, localDateOf } from '../../calendar/calendar';

export const DAY = 24 * 60 * 60 * 1000;

/** Dates relative to the test server's own clock (which the time-skipping server moves). */
export async function serverClock(env: TestWorkflowEnvironment) {
  const now = new Date(await env.currentTimeMs()).toISOString();
  return {
    now,
    today: localDateOf(now),
    daysFromToday: (n: number) => addDays(localDateOf(now), n),
    weeksFromToday: (n: number) => addWeeks(localDateOf(now), n),
  };
}

/** Skips the server's clock to just after `iso`. */
export async function skipTo(env: TestWorkflowEnvironment, iso: string, slackMs = 60_000): Promise<void> {
  const wait = Date.parse(iso) - (await env.currentTimeMs()) + slackMs;
  if (wait > 0) await env.sleep(wait);
}
