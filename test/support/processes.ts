import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Every process a test starts is stopped when its file ends, whether its assertions passed or not:
// `stopStartedProcesses` runs after each test file (jest's setupFilesAfterEnv), and the global
// teardown stops anything still below jest, so jest exits on its own and a run never hangs.

const started = new Set<number>();

/**
 * Tracks a child started in its own process group (`detached: true`): after the test file, the
 * whole group is stopped, including members that outlived the leader (an orphan of `npm start`).
 */
export function track<T extends ChildProcess>(child: T): T {
  if (child.pid) started.add(child.pid);
  return child;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group has gone already.
  }
}

async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Stops each tracked process group that still has members: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopStartedProcesses(graceMs = 10_000): Promise<void> {
  const groups = [...started];
  started.clear();
  await Promise.all(
    groups.map(async (pgid) => {
      const empty = () => processesInGroup(pgid).length === 0;
      if (empty()) return;
      signalGroup(pgid, 'SIGTERM');
      if (await until(empty, graceMs)) return;
      signalGroup(pgid, 'SIGKILL');
      await until(empty, 5_000);
    }),
  );
}

/** Every live process on the machine, as /proc (Linux) shows it: pid, parent and group. */
function processTable(): { pid: number; ppid: number; pgid: number }[] {
  const rows: { pid: number; ppid: number; pgid: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command's name: state, ppid, pgrp. A zombie has gone for every purpose here.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') rows.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid) });
    } catch {
      // Gone while being read.
    }
  }
  return rows;
}

/** Every process below `root`, deepest first, with its command line. */
export function descendantsOf(root: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of processTable()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: { pid: number; command: string }[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
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

/** Pids of the processes still in process group `pgid`. */
export function processesInGroup(pgid: number): number[] {
  return processTable()
    .filter((p) => p.pgid === pgid)
    .map((p) => p.pid);
}
