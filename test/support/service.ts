import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integrationToken, staffToken } from './auth';
import { track } from './processes';
import type { LoggedAccess } from '../../store/accessLog';

/**
 * A free loopback port below 32768: outside the range the kernel hands to outgoing
 * connections, so no client socket can take it between this check and the server's bind.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port below 32768');
}

export interface RunningService {
  baseUrl: string;
  /** The development identity provider's issuer. */
  issuer: string;
  env: Record<string, string>;
  output(): string;
  /** Ctrl-C, as a person would; resolves with the exit code. */
  interrupt(): Promise<number | null>;
  /** SIGTERM, as a process manager would; resolves with the exit code. */
  terminate(): Promise<number | null>;
  /** The pid of the process group the service runs in. */
  pid: number;
}

/**
 * Starts the real service (`service/main.ts`, or `npm start` as a person types it, with no
 * terminal) and waits until it says it is running.
 */
export async function startService(
  env: Record<string, string>,
  o: { via?: 'node' | 'npm' } = {},
): Promise<RunningService> {
  const [command, args] =
    o.via === 'npm'
      ? ['npm', ['start', '--silent']]
      : [process.execPath, ['--import', 'tsx', 'service/main.ts']];
  // Its own process group, stopped with everything it started after the test file even if the test fails.
  const child: ChildProcess = track(
    spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
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
    issuer: `http://127.0.0.1:${env.IDP_PORT}`,
    env,
    output: () => out,
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
    terminate: () => {
      child.kill('SIGTERM');
      return exited;
    },
    pid: child.pid!,
  };
}

/** Fresh ports and data folder for one service. */
export async function serviceEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'reconnect-svc-')),
    API_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    IDP_PORT: String(await freePort()),
    ...extra,
  };
}

/** Tokens for a running service's development identity provider. */
export function tokensFor(service: RunningService) {
  const o = { dataDir: service.env.DATA_DIR!, issuer: service.issuer, apiUrl: service.baseUrl };
  return {
    staff: (id: string) => staffToken(o, id),
    integration: (clientId: string, scope: string) => integrationToken(o, clientId, scope),
  };
}

/** A Temporal client straight to a running service's dev server, with no codec: what an intruder has. */
export async function rawTemporalClient(service: RunningService): Promise<Client> {
  return new Client({
    connection: await Connection.connect({ address: `127.0.0.1:${service.env.TEMPORAL_PORT}` }),
  });
}

/**
 * Who has read a case, from the running service's access history, asked as its administrator
 * would; the entries of these look-ups themselves are left out.
 */
export async function accessHistory(service: RunningService, caseId: string): Promise<LoggedAccess[]> {
  const token = await tokensFor(service).staff('admin-sam');
  const res = await fetch(
    `${service.baseUrl}/cases/${encodeURIComponent(caseId)}/access?reason=${encodeURIComponent('checking the access log')}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (res.status !== 200) throw new Error(`access history of ${caseId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as LoggedAccess[]).filter((e) => e.what !== 'access-history');
}
