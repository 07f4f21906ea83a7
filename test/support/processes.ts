import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Every process a test starts is stopped when its file ends, whether its assertions passed or not:
// `stopStartedProcesses` runs after each test file (jest's setupFilesAfterEnv), and the global
// teardown stops anything still below jest, so jest exits on its own and a run never hangs.

const started = new Set<ChildProcess>();

/** Tracks a child started in its own process group (`detached: true`), so the whole group stops. */
export function track<T extends ChildProcess>(child: T): T {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has gone already.
  }
}

/** Stops each tracked process group still running: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopStartedProcesses(graceMs = 10_000): Promise<void> {
  const running = [...started].filter(alive);
  await Promise.all(
    running.map(async (child) => {
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      signalGroup(child.pid!, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((res) => (timer = setTimeout(() => res('late'), graceMs)));
      if ((await Promise.race([exited, late])) === 'late') {
        signalGroup(child.pid!, 'SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    }),
  );
  // The group's other members (a server the service started) may outlive its leader briefly.
  for (const child of running) signalGroup(child.pid!, 'SIGKILL');
}

/** Pids of every process below `root`, read from /proc (Linux), deepest first. */
export function descendantsOf(root: number): { pid: number; command: string }[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone while being read.
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (pid: number) => {
    for (const child of parents.get(pid) ?? []) {
      walk(child);
      let command = '';
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // Gone while being read.
      }
      found.push({ pid: child, command });
    }
  };
  walk(root);
  return found;
}
