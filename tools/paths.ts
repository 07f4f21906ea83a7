import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache folder the setup script installs into (outside the repo). */
export function cacheDir(env = process.env): string {
  return env.RECONNECT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'reconnect-cases');
}

export interface ToolPaths {
  temporalCli: string;
  testServer: string;
  /** Schemathesis's `st`, installed by `setup.sh --test`. */
  schemathesis: string;
  /** The Python of the DfE's CIN census validator (csc-validator-be-cin), installed by `setup.sh --test`. */
  cinValidator: string;
  /** The cluster's parts, installed by `setup.sh --cluster` (or `--test`). */
  temporalServer: string;
  temporalSqlTool: string;
  postgresBin: string;
}

/** Where `scripts/setup.sh` put the Temporal CLI, the time-skipping test server, Schemathesis and the CIN census validator. */
export function toolPaths(): ToolPaths {
  const file = join(cacheDir(), 'tools.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run setup" first`);
  return JSON.parse(readFileSync(file, 'utf8')) as ToolPaths;
}
