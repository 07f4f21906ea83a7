import { performance } from 'node:perf_hooks';

export interface Measured {
  name: string;
  opsPerSecond: number;
}

/** Median throughput over several rounds, after a warm-up round. */
export async function measure(
  name: string,
  fn: () => unknown,
  { rounds = 5, minMs = 300 } = {},
): Promise<Measured> {
  const round = async () => {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < minMs) {
      await fn();
      n++;
    }
    return (n * 1000) / (performance.now() - start);
  };
  await round();
  const results: number[] = [];
  for (let i = 0; i < rounds; i++) results.push(await round());
  results.sort((a, b) => a - b);
  return { name, opsPerSecond: results[Math.floor(results.length / 2)]! };
}

/** One line per comparison: both rates and how many times slower the candidate is than the baseline. */
export function report(title: string, baseline: Measured, candidate: Measured): string {
  const ratio = baseline.opsPerSecond / candidate.opsPerSecond;
  const rate = (m: Measured) => `${m.name} ${m.opsPerSecond.toFixed(0)}/s`;
  return `${title.padEnd(44)} ${rate(baseline).padEnd(42)} ${rate(candidate).padEnd(42)} ratio ${ratio.toFixed(2)}x`;
}
