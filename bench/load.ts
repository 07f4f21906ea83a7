import { performance } from 'node:perf_hooks';
import { percentiles, type Latency } from './servers';

/** One side at one offered rate: latency, and the rate it actually completed. */
export interface LoadSide extends Latency {
  completedPerSecond: number;
  failed: number;
}
export interface LoadStep {
  offeredPerSecond: number;
  case: LoadSide;
  baseline: LoadSide;
}

/**
 * Like Promise.all, but waits for every call to finish before failing with the first error, so
 * no call is still retrying when its connection closes.
 */
export async function allSettled<T>(calls: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(calls);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Open loop: calls start on a fixed schedule whether or not earlier ones have finished, as
 * independent callers do, so a slow server shows up as queueing, not as a lower offered rate.
 */
async function openLoop(
  rate: number,
  seconds: number,
  call: (i: number) => Promise<unknown>,
): Promise<LoadSide> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    await pause(started + (i * 1000) / rate - performance.now());
    const t = performance.now();
    calls.push(
      call(i).then(
        () => void latencies.push(performance.now() - t),
        () => void failed++,
      ),
    );
  }
  await Promise.all(calls);
  const elapsed = (performance.now() - started) / 1000;
  return { ...percentiles(latencies), completedPerSecond: latencies.length / elapsed, failed };
}

/**
 * Each offered rate for `seconds`, case actions and baseline updates in turn (the order
 * alternating from rate to rate), after a warm-up at the lowest rate.
 */
export async function measureLoad(o: {
  rates: number[];
  seconds: number;
  caseAction: (i: number) => Promise<unknown>;
  baselineUpdate: (i: number) => Promise<unknown>;
}): Promise<LoadStep[]> {
  await openLoop(o.rates[0]!, 2, o.caseAction);
  await openLoop(o.rates[0]!, 2, o.baselineUpdate);
  const steps: LoadStep[] = [];
  for (const [n, rate] of o.rates.entries()) {
    const first = n % 2 === 0 ? o.caseAction : o.baselineUpdate;
    const second = n % 2 === 0 ? o.baselineUpdate : o.caseAction;
    const a = await openLoop(rate, o.seconds, first);
    const b = await openLoop(rate, o.seconds, second);
    steps.push({
      offeredPerSecond: rate,
      ...(n % 2 === 0 ? { case: a, baseline: b } : { case: b, baseline: a }),
    });
  }
  return steps;
}

/** The highest offered rate each side sustained with p99 under `limitMs` and nothing failed. */
export function sustained(steps: LoadStep[], side: 'case' | 'baseline', limitMs = 200): number {
  let best = 0;
  for (const s of steps)
    if (s[side].p99 < limitMs && s[side].failed === 0) best = Math.max(best, s.offeredPerSecond);
  return best;
}
