import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { accessLogKeyOf } from '../security/keys';
import { storeEngines } from '../test/support/storeEngines';
import { LIST_READ, StoreAccessLog, type AccessEntry } from './accessLog';
import { openStore, type Store, type StoreConfig } from './store';

const key = randomBytes(32);
const staff = (id: string): AccessEntry['who'] => ({ id, roles: ['practitioner'] });
const read = (who: string, caseId: string, why = 'planning a visit'): AccessEntry => ({
  who: staff(who),
  caseId,
  what: 'details',
  why,
});

/** What someone with the owner's rights could do behind the service's back. */
async function tamper(db: Store, statement: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`alter table access_log disable trigger access_log_append_only`.execute(trx);
    await sql.raw(statement).execute(trx);
    await sql`alter table access_log enable trigger access_log_append_only`.execute(trx);
  });
}

describe.each(storeEngines())('the access log in the record store, $name', (engine) => {
  const open: Store[] = [];
  const store = async (config?: StoreConfig) => {
    const db = await openStore(config ?? (await engine.fresh()));
    open.push(db);
    return db;
  };

  beforeAll(() => engine.start(), 120_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.destroy()));
  });
  afterAll(() => engine.stop(), 60_000);

  test('records reads and finds them by case, by member of staff and by period', async () => {
    const log = new StoreAccessLog(await store(), key);
    const first = await log.record(read('ann', 'case-1'));
    await log.record(read('bob', 'case-1', 'safeguarding check'));
    await log.record({ ...read('ann', 'case-2'), what: 'timeline' });
    const later = new Date(Date.now() + 60_000);

    expect(first).toMatchObject({ seq: 1, caseId: 'case-1', who: { id: 'ann', roles: ['practitioner'] } });
    expect((await log.find({ caseId: 'case-1' })).map((r) => [r.seq, r.who.id, r.why])).toEqual([
      [1, 'ann', 'planning a visit'],
      [2, 'bob', 'safeguarding check'],
    ]);
    expect((await log.find({ whoId: 'ann' })).map((r) => [r.caseId, r.what])).toEqual([
      ['case-1', 'details'],
      ['case-2', 'timeline'],
    ]);
    expect(await log.find({ from: new Date(first.at), to: later })).toHaveLength(3);
    expect(await log.find({ from: later })).toEqual([]);
    expect(await log.find({ caseId: 'case-2', whoId: 'bob' })).toEqual([]);
    expect(await log.verify()).toMatchObject({ intact: true, rows: 3 });
  });

  test('the log survives closing and opening the store again, and its chain still holds', async () => {
    const config = await engine.fresh();
    const db = await openStore(config);
    await new StoreAccessLog(db, key).record(read('ann', 'case-1'));
    await db.destroy();
    const again = new StoreAccessLog(await store(config), key);
    await again.record(read('bob', 'case-1'));
    expect(await again.verify()).toMatchObject({ intact: true, rows: 2 });
  });

  test('the service cannot change or remove a row', async () => {
    const db = await store();
    const log = new StoreAccessLog(db, key);
    await log.record(read('ann', 'case-1'));
    await expect(sql`update access_log set why = 'nothing'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from access_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate access_log`.execute(db)).rejects.toThrow(/append-only/);
    expect(await log.verify()).toMatchObject({ intact: true, rows: 1 });
  });

  test('an edited row is named by verify', async () => {
    const db = await store();
    const log = new StoreAccessLog(db, key);
    for (const c of ['case-1', 'case-2', 'case-3', 'case-4']) await log.record(read('ann', c));
    await tamper(db, `update access_log set why = 'routine' where seq = 3`);
    expect(await log.verify()).toEqual({ intact: false, problem: 'altered', seq: 3 });
  });

  test('a row whose hash was recomputed without the key is still named', async () => {
    const db = await store();
    const log = new StoreAccessLog(db, key);
    for (const c of ['case-1', 'case-2', 'case-3']) await log.record(read('ann', c));
    const other = new StoreAccessLog(db, randomBytes(32));
    await tamper(db, `delete from access_log where seq = 3`);
    await other.record(read('mallory', 'case-9'));
    expect(await log.verify()).toEqual({ intact: false, problem: 'altered', seq: 3 });
  });

  test('a deleted row is named as a gap by verify', async () => {
    const db = await store();
    const log = new StoreAccessLog(db, key);
    for (const c of ['case-1', 'case-2', 'case-3', 'case-4', 'case-5']) await log.record(read('ann', c));
    await tamper(db, `delete from access_log where seq in (2, 3)`);
    expect(await log.verify()).toEqual({ intact: false, problem: 'gap', from: 2, to: 3 });
  });

  test('a list read names all its cases in one row, found by any of them, its cases in the chain', async () => {
    const db = await store();
    const log = new StoreAccessLog(db, key);
    await log.record(read('ann', 'case-1'));
    await log.record({
      who: staff('ann'),
      caseId: LIST_READ,
      caseIds: ['case-1', 'case-2', 'case-3'],
      what: 'list',
      why: 'my work',
    });
    expect((await log.find({ caseId: 'case-2' })).map((r) => [r.seq, r.what, r.caseIds])).toEqual([
      [2, 'list', ['case-1', 'case-2', 'case-3']],
    ]);
    expect((await log.find({ caseId: 'case-1' })).map((r) => r.seq)).toEqual([1, 2]);
    expect((await log.find({ caseIds: ['case-3', 'case-9'] })).map((r) => r.seq)).toEqual([2]);
    expect(await log.verify()).toMatchObject({ intact: true, rows: 2 });
    await tamper(db, `update access_log set case_ids = array['case-1', 'case-2'] where seq = 2`);
    expect(await log.verify()).toEqual({ intact: false, problem: 'altered', seq: 2 });
  });

  test('rows removed from the end are found against a tail kept elsewhere', async () => {
    const db = await store();
    const log = new StoreAccessLog(db, key);
    for (const c of ['case-1', 'case-2', 'case-3', 'case-4']) await log.record(read('ann', c));
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ intact: true, rows: 4, tail: { seq: 4 } });
    const tail = verdict.intact ? verdict.tail! : undefined;
    await log.record(read('bob', 'case-5'));
    expect(await log.verify(tail)).toMatchObject({ intact: true, rows: 5 });
    await tamper(db, `delete from access_log where seq >= 3`);
    // Without the kept tail the shortened chain still holds together; with it, the loss shows.
    expect(await log.verify()).toMatchObject({ intact: true, rows: 2 });
    expect(await log.verify(tail)).toEqual({ intact: false, problem: 'gap', from: 3, to: 4 });
  });

  test('writes made at the same time keep one unbroken chain', async () => {
    const config = await engine.fresh();
    // Two processes' stores on a server; the embedded store is one process's, shared.
    const first = await store(config);
    const second = config.kind === 'postgres' ? await store(config) : first;
    const writers = [new StoreAccessLog(first, key), new StoreAccessLog(second, key)];
    const written = await Promise.all(
      Array.from({ length: 40 }, (_, i) => writers[i % 2]!.record(read(`staff-${i % 2}`, `case-${i}`))),
    );
    expect(written.map((w) => w.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(await writers[0]!.verify()).toMatchObject({ intact: true, rows: 40 });
  });
});

test("the chain's key is the key ring's own, or else derived from the link key and unlike it", () => {
  const ring = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]), linkKey: randomBytes(32) };
  const own = randomBytes(32);
  expect(accessLogKeyOf({ ...ring, accessLogKey: own })).toEqual(own);
  const derived = accessLogKeyOf(ring);
  expect(derived).toHaveLength(32);
  expect(derived.equals(ring.linkKey)).toBe(false);
  expect(accessLogKeyOf(ring).equals(derived)).toBe(true);
});
