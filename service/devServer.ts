import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { toolPaths } from '../tools/paths';
import { startServerProcess } from '../tools/serverProcess';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/searchAttributes';

const TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** The embedded Temporal dev server, its state in a SQLite file under the data folder. */
export async function startDevServer(o: {
  dataDir: string;
  port: number;
  /** Omit to run without the Web UI. */
  uiPort?: number;
  namespace: string;
}): Promise<DevServer> {
  mkdirSync(o.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    join(o.dataDir, 'temporal.sqlite'),
    // Loopback only, the Web UI too: the CLI's server checks no Host header, so nothing but
    // this machine may reach it (a rebound page still could: see README, Production).
    '--ip',
    '127.0.0.1',
    '--port',
    String(o.port),
    ...(o.uiPort ? ['--ui-ip', '127.0.0.1', '--ui-port', String(o.uiPort)] : ['--headless']),
    '--namespace',
    o.namespace,
    '--log-level',
    'error',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${TYPE_NAMES[k.type]}`]),
  ];
  const address = `127.0.0.1:${o.port}`;
  const serverProcess = await startServerProcess(toolPaths().temporalCli, args, async () => {
    const c = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await c.workflowService.getSystemInfo({});
    } finally {
      await c.close();
    }
  });
  return {
    address,
    ...(o.uiPort ? { uiUrl: `http://127.0.0.1:${o.uiPort}` } : {}),
    stop: () => serverProcess.stop(),
  };
}
