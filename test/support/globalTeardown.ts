import { descendantsOf } from './processes';

/**
 * After the whole run: anything still running below jest is stopped and named, so a leak is seen
 * and jest exits on its own instead of waiting for CI's time limit.
 */
export default async function globalTeardown(): Promise<void> {
  const left = descendantsOf(process.pid);
  if (!left.length) return;
  process.stderr.write(
    `Stopping ${left.length} process(es) the tests left running:\n` +
      left.map((p) => `  ${p.pid} ${p.command.slice(0, 160)}`).join('\n') +
      '\n',
  );
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
