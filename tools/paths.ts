import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache folder the setup script installs into (outside the repo). */
export function cacheDir(env = process.env): string {
  return env.RECONNECT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'reconnect-cases');
}

/** Where `scripts/setup.sh` put the Temporal CLI and the time-skipping test server. */
export function toolPaths(): { temporalCli: string; testServer: string } {
  const file = join(cacheDir(), 'tools.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run setup" first`);
  return JSON.parse(readFileSync(file, 'utf8')) as { temporalCli: string; testServer: string };
}
