import { NATIONAL_RECONNECT, projectCapacity } from './capacity';

describe('the national capacity simulation', () => {
  const figures = {
    sustainedPerWorker: 40,
    replayMs: 180,
    cachedPerWorker: 500,
    historyBytesPerAction: 3400,
    memoryKiBPerCachedCase: 200,
  };
  const projected = projectCapacity(figures);
  const row = (workers: number, allCached: boolean) =>
    projected.rows.find((r) => r.workers === workers && (r.cachedShare === 1) === allCached)!;

  it('is the same on every run', () => {
    expect(projectCapacity(figures)).toEqual(projected);
  });

  it('derives the caseload and the week from the national load', () => {
    expect(projected.openCases).toBe(22_500);
    expect(projected.actionsPerWeek).toBeCloseTo((30_000 * 50 * 7) / 365, 6);
    expect(projected.timersPerMidnight).toBe(Math.round((30_000 * 15 * 7) / 365 / 5));
    expect(projected.memoryGiBAllCached).toBeCloseTo((22_500 * 200) / 2 ** 20, 6);
  });

  it('clears the midnight timers sooner with more workers, and sooner still with every case cached', () => {
    expect(row(2, false).midnightClearSeconds).toBeLessThan(row(1, false).midnightClearSeconds);
    expect(row(4, false).midnightClearSeconds).toBeLessThan(row(2, false).midnightClearSeconds);
    expect(row(1, true).midnightClearSeconds).toBeLessThan(row(1, false).midnightClearSeconds / 4);
    // Every timer is work a worker must do: at least timers ÷ rate seconds.
    expect(row(1, true).midnightClearSeconds).toBeGreaterThanOrEqual(
      Math.floor(projected.timersPerMidnight / figures.sustainedPerWorker),
    );
  });

  it('makes caseworkers wait less as workers are added, and never leaves a worker idle at no load', () => {
    expect(row(4, false).actionWaitP99).toBeLessThan(row(1, false).actionWaitP99);
    const idle = projectCapacity({
      ...figures,
      load: { ...NATIONAL_RECONNECT, referralsPerYear: 0 },
    });
    expect(idle.rows.every((r) => r.utilisation === 0 && r.actionWaitMax === 0)).toBe(true);
  });
});
