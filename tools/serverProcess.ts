import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

export interface ServerProcess {
  stop(): Promise<void>;
}

/**
 * Starts a local server process and waits until `ready()` succeeds, for as long as a slow,
 * busy machine needs. The process is stopped if this one exits.
 */
export async function startServerProcess(
  command: string,
  args: string[],
  ready: () => Promise<unknown>,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((res) => child.once('exit', res));
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  const stop = async () => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited with code ${child.exitCode}`);
    try {
      await ready();
      return { stop };
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Resolves once something accepts TCP connections on a loopback port. */
export function tcpReady(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}
