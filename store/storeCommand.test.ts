import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { accessLogKeyOf, loadOrCreateKeyFile } from '../security/keys';
import { StoreAccessLog } from './accessLog';
import { openStore } from './store';

const dataDir = mkdtempSync(join(tmpdir(), 'reconnect-store-command-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm run store -- verify` on the data folder: its exit code and what it said. */
function verify(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, STORE_URL: '' };
    execFile(
      join('node_modules', '.bin', 'tsx'),
      ['scripts/store.ts', 'verify', ...args],
      { env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? -1) : 0, out: stdout + stderr }),
    );
  });
}

test('npm run store -- verify exits 0 while the chain holds and 1 naming the row that does not', async () => {
  const key = accessLogKeyOf(loadOrCreateKeyFile(join(dataDir, 'keys.json')));
  const db = await openStore({ kind: 'embedded', dir: join(dataDir, 'store') });
  const log = new StoreAccessLog(db, key);
  for (const caseId of ['case-1', 'case-2', 'case-3'])
    await log.record({ who: { id: 'ann', roles: ['practitioner'] }, caseId, what: 'details', why: 'visit' });
  await db.destroy();

  const intact = await verify();
  expect(intact.code).toBe(0);
  const tail = /^tail (\d+:[0-9a-f]{64}) /m.exec(intact.out)?.[1];
  expect(intact.out).toMatch(/^access log intact: 3 rows, one unbroken chain\ntail 3:/);
  expect(tail).toBeDefined();
  expect((await verify('--tail', tail!)).code).toBe(0);

  const again = await openStore({ kind: 'embedded', dir: join(dataDir, 'store') });
  await sql`alter table access_log disable trigger access_log_append_only`.execute(again);
  await sql`update access_log set case_id = 'case-7' where seq = 2`.execute(again);
  await again.destroy();

  expect(await verify()).toEqual({
    code: 1,
    out: 'access log broken: row 2 is not as written (changed, or put in)\n',
  });
});
