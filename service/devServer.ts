import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { toolPaths } from '../tools/paths';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

const TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** The embedded Temporal dev server, its state in a SQLite file under the data folder. */
export async function startDevServer(o: {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
}): Promise<DevServer> {
  mkdirSync(o.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    join(o.dataDir, 'temporal.sqlite'),
    '--port',
    String(o.port),
    '--ui-port',
    String(o.uiPort),
    '--namespace',
    o.namespace,
    '--log-level',
    'error',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${TYPE_NAMES[k.type]}`]),
  ];
  const child: ChildProcess = spawn(toolPaths().temporalCli, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((res) => child.once('exit', res));
  // Never leave a server behind, even if this process dies unexpectedly.
  process.once('exit', () => child.kill('SIGTERM'));
  const address = `127.0.0.1:${o.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${o.uiPort}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
