import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  baseUrl: string;
  output(): string;
  /** Ctrl-C, as a person would; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/** Starts the real service (`service/main.ts`) and waits until it says it is running. */
export async function startService(env: Record<string, string>): Promise<RunningService> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = () => out.includes('Press Ctrl-C to stop.') && resolve();
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`service exited (${code}):\n${out}`)));
  });
  return {
    baseUrl: `http://${env.API_HOST ?? '127.0.0.1'}:${env.API_PORT}`,
    output: () => out,
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
