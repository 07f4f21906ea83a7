import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { CaseClient } from '../../client/cases';
import { LocalCluster } from '../../cluster/cluster';
import { temporalPortsFrom } from '../../cluster/temporalServer';
import { caseDataConverter } from '../../security/dataConverter';
import { loadOrCreateKeyFile } from '../../security/keys';
import { staffToken } from './auth';
import { freePort } from './service';

/** `count` consecutive free ports below 32768 (Temporal's membership ports must be). */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const servers: Server[] = [];
    try {
      for (let p = base; p < base + count; p++) {
        const s = createServer();
        await new Promise<void>((res, rej) => {
          s.once('error', rej);
          s.listen(p, '127.0.0.1', res);
        });
        servers.push(s);
      }
      return base;
    } catch {
      // taken: try another block
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  }
  throw new Error('no free block of ports below 32768');
}

/** What an SMTP server on loopback received, by Message-ID; it can be stopped and started again. */
export class TestMailServer {
  readonly received: { messageId: string; caseId: string; subject: string }[] = [];
  private server: SMTPServer | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData: (stream, _session, done) => {
        let body = '';
        stream.on('data', (c: Buffer) => (body += c.toString()));
        stream.on('end', () => {
          const headers = body.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
          const header = (name: string) =>
            new RegExp(`^${name}: *(.*)$`, 'mi').exec(headers)?.[1]?.trim() ?? '';
          this.received.push({
            messageId: header('Message-ID'),
            caseId: header('X-Case-Id'),
            subject: header('Subject'),
          });
          done();
        });
      },
    });
    // A client cut off when the server stops is part of the outage the tests cause.
    this.server.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET') throw err;
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve()));
  }
}

export interface TestCluster {
  cluster: LocalCluster;
  cases: CaseClient;
  mail: TestMailServer;
  teardown(): Promise<void>;
}

/** A cluster (not yet started) with two workers, in a new temporary folder, on free ports. */
export async function clusterOnFreePorts(
  prefix: string,
  env: Record<string, string>,
  api?: { port: number; idpPort: number; secondPort?: number },
): Promise<LocalCluster> {
  const base = await freePortBlock(10);
  return new LocalCluster({
    ...(api ? { api } : {}),
    dataDir: mkdtempSync(join(tmpdir(), prefix)),
    workers: 2,
    historyShards: 4,
    namespace: 'default',
    postgresPort: base + 9,
    temporalPorts: temporalPortsFrom(base),
    env,
  });
}

/** A cluster on fresh ports and data folder, with two workers e-mailing a test SMTP server. */
export async function startTestCluster(): Promise<TestCluster> {
  const mail = new TestMailServer(await freePort());
  await mail.start();
  const cluster = await clusterOnFreePorts('reconnect-cluster-', {
    NOTIFIER: 'smtp',
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    STAFF_EMAIL_DOMAIN: 'example.org',
    LOG_LEVEL: 'warn',
  });
  const dataDir = cluster.o.dataDir;
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const keys = loadOrCreateKeyFile(join(dataDir, 'keys.json'));
  const client = new Client({
    connection: await Connection.connect({ address: cluster.address }),
    namespace: 'default',
    dataConverter: caseDataConverter(keys),
  });
  const cases = new CaseClient(client, { taskQueue: 'cases', keys, team: 'bucks-reconnect' });
  return {
    cluster,
    cases,
    mail,
    teardown: async () => {
      await client.connection.close();
      await cluster.stop();
      await mail.stop();
    },
  };
}

export interface ApiCluster {
  cluster: LocalCluster;
  /** The two API processes' addresses. */
  apis: [string, string];
  /** The first API's development identity provider, which both trust. */
  issuer: string;
  /** A member of staff's token, good on both APIs. */
  token(staffId: string): Promise<string>;
  teardown(): Promise<void>;
}

/** A cluster on fresh ports and data folder with two workers and two API processes on one PostgreSQL. */
export async function startApiCluster(env: Record<string, string> = {}): Promise<ApiCluster> {
  const [port, secondPort, idpPort] = [await freePort(), await freePort(), await freePort()];
  const cluster = await clusterOnFreePorts(
    'reconnect-apis-',
    { LOG_LEVEL: 'warn', ...env },
    { port, idpPort, secondPort },
  );
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const apis: [string, string] = [`http://127.0.0.1:${port}`, `http://127.0.0.1:${secondPort}`];
  const issuer = `http://127.0.0.1:${idpPort}`;
  return {
    cluster,
    apis,
    issuer,
    token: (staffId) => staffToken({ dataDir: cluster.o.dataDir, issuer, apiUrl: apis[0] }, staffId),
    teardown: () => cluster.stop(),
  };
}

/** Polls `check` until it returns a value, for up to `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
