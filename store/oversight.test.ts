import { sql } from 'kysely';
import type { CaseFacts } from '../reports/facts';
import { assembleReport, signedKey, talliesOf, type ReportOptions } from '../reports/report';
import { storeEngines } from '../test/support/storeEngines';
import { testKeys } from '../test/support/temporal';
import { recordsOf, type Records } from './records';
import { SignOffError } from './oversight';
import { openStore, type Store } from './store';

const keys = testKeys();

/** A case's facts: received on a day of 2026, and assessed or closed some days later if asked. */
function facts(
  caseId: string,
  o: { team?: string; day?: number; assessedAfter?: number; closedAfter?: number } = {},
): CaseFacts {
  const at = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000 + 36_000_000).toISOString();
  const day = o.day ?? 100;
  return {
    caseId,
    pathway: 'frontDoor',
    team: o.team ?? 'north',
    seq: 3,
    receivedAt: at(day),
    source: 'school',
    fromConsultation: false,
    state: o.closedAfter !== undefined ? 'closed' : 'assessment',
    open: o.closedAfter === undefined,
    clocks: [],
    ...(o.assessedAfter !== undefined
      ? { assessment: { at: at(day + o.assessedAfter), outcome: 'childInNeedPlan' } }
      : {}),
    ...(o.closedAfter !== undefined
      ? { closure: { at: at(day + o.closedAfter), reason: 'noFurtherAction' } }
      : {}),
  };
}

describe.each(storeEngines())('management oversight in the record store, $name', (engine) => {
  const open: Store[] = [];
  const records = async (): Promise<Records> => {
    const db = await openStore(await engine.fresh());
    open.push(db);
    return recordsOf(db, keys);
  };

  beforeAll(() => engine.start(), 120_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.destroy()));
  });
  afterAll(() => engine.stop(), 60_000);

  test('a supervisor signs off an assessment outcome and a closure once each; the note is sealed', async () => {
    const r = await records();
    await r.facts.put(facts('frontDoor-1', { assessedAfter: 5 }));
    await r.facts.put(facts('frontDoor-2'));
    expect(await r.oversight.subjectsOf('frontDoor-1')).toEqual({
      caseId: 'frontDoor-1',
      pathway: 'frontDoor',
      team: 'north',
      assessment: 'childInNeedPlan',
    });
    expect(await r.oversight.subjectsOf('frontDoor-9')).toBeUndefined();

    // Nothing to sign: no assessment yet, not closed.
    await expect(r.oversight.signOff('frontDoor-2', 'assessment', 'sup-jo')).rejects.toMatchObject({
      reason: 'nothingToSign',
    });
    await expect(r.oversight.signOff('frontDoor-1', 'closure', 'sup-jo')).rejects.toBeInstanceOf(
      SignOffError,
    );

    const at = new Date('2026-04-20T09:00:00.000Z');
    expect(
      await r.oversight.signOff('frontDoor-1', 'assessment', 'sup-jo', 'Plan agreed with Mrs Testparent', at),
    ).toEqual({
      caseId: 'frontDoor-1',
      subject: 'assessment',
      signedBy: 'sup-jo',
      signedAt: at.toISOString(),
      hasNote: true,
      note: 'Plan agreed with Mrs Testparent',
    });
    await expect(r.oversight.signOff('frontDoor-1', 'assessment', 'sup-al')).rejects.toMatchObject({
      reason: 'alreadySigned',
    });
    const { rows } = await sql<{ note: Buffer }>`select note from oversight_signoff`.execute(r.db);
    expect(rows.some((x) => Buffer.from(x.note).includes('Testparent'))).toBe(false);
    expect(await r.oversight.signOffs('frontDoor-1', false)).toEqual([
      {
        caseId: 'frontDoor-1',
        subject: 'assessment',
        signedBy: 'sup-jo',
        signedAt: at.toISOString(),
        hasNote: true,
      },
    ]);
    expect((await r.oversight.signOffs('frontDoor-1', true))[0]?.note).toBe(
      'Plan agreed with Mrs Testparent',
    );

    // Closed after the workflow ended: its last facts are written, and the closure is signed.
    await r.facts.put({ ...facts('frontDoor-1', { assessedAfter: 5, closedAfter: 40 }), seq: 9 });
    expect(await r.oversight.signOff('frontDoor-1', 'closure', 'sup-jo')).toMatchObject({ hasNote: false });
    expect((await r.oversight.signOffs('frontDoor-1', true)).map((s) => s.subject)).toEqual([
      'assessment',
      'closure',
    ]);
  });

  test('awaiting sign-off: outcomes and closures of the teams asked for, with no sign-off, oldest first', async () => {
    const r = await records();
    await r.facts.putMany([
      facts('frontDoor-a', { day: 10, assessedAfter: 3 }),
      facts('frontDoor-b', { day: 5, assessedAfter: 2, closedAfter: 30 }),
      facts('frontDoor-c', { day: 1 }),
      facts('frontDoor-s', { day: 2, assessedAfter: 1, team: 'south' }),
    ]);
    const awaiting = async (teams: string[] | null) =>
      (await r.oversight.awaiting(teams)).map((a) => `${a.caseId} ${a.subject} ${a.since}`);
    expect(await awaiting(['north'])).toEqual([
      'frontDoor-b assessment 2026-01-08',
      'frontDoor-a assessment 2026-01-14',
      'frontDoor-b closure 2026-02-05',
    ]);
    expect(await awaiting(null)).toHaveLength(4);
    expect(await awaiting([])).toEqual([]);
    await r.oversight.signOff('frontDoor-b', 'assessment', 'sup-jo');
    expect(await awaiting(['north', 'south'])).toEqual([
      'frontDoor-s assessment 2026-01-04',
      'frontDoor-a assessment 2026-01-14',
      'frontDoor-b closure 2026-02-05',
    ]);
  });

  test('reports count sign-offs, signed and awaiting, in SQL as in memory, with small numbers suppressed', async () => {
    const r = await records();
    const all = Array.from({ length: 40 }, (_, i) =>
      facts(`frontDoor-${i}`, {
        day: 90 + i,
        team: i % 3 ? 'north' : 'south',
        ...(i % 2 ? { assessedAfter: 4 } : {}),
        ...(i % 4 === 1 ? { closedAfter: 20 } : {}),
      }),
    );
    await r.facts.putMany(all);
    const signed = new Set<string>();
    for (const [i, f] of all.entries()) {
      if (f.assessment && i % 3 !== 2) {
        await r.oversight.signOff(f.caseId, 'assessment', 'sup-jo');
        signed.add(signedKey(f.caseId, 'assessment'));
      }
      if (f.closure && i % 8 === 1 && i < 20) {
        await r.oversight.signOff(f.caseId, 'closure', 'sup-jo');
        signed.add(signedKey(f.caseId, 'closure'));
      }
    }
    const periods: Omit<ReportOptions, 'pathway'>[] = [
      { from: '2026-04-01', to: '2026-06-30', now: '2026-07-15T12:00:00.000Z' },
      { from: '2026-04-10', to: '2026-04-20', now: '2026-07-15T12:00:00.000Z', teams: ['north'] },
    ];
    for (const p of periods) {
      const o = { ...p, pathway: 'frontDoor' as const };
      const inSql = await r.facts.tallies(o);
      expect(Object.fromEntries(inSql.oversight)).toEqual(
        Object.fromEntries(talliesOf(all, o, signed).oversight),
      );
    }
    const o = { ...periods[0]!, pathway: 'frontDoor' as const };
    const report = assembleReport(await r.facts.tallies(o), o);
    const table = (id: string) => report.tables.find((t) => t.id === id)!;
    expect(table('oversight:assessment').rows.map((x) => [x.key, x.value])).toEqual([
      ['signed', 14],
      ['awaiting', 6],
    ]);
    // Three closures signed and seven awaiting: the small count and the next smallest are withheld.
    expect(table('oversight:closure').rows.map((x) => [x.key, x.value])).toEqual([
      ['awaiting', null],
      ['signed', null],
    ]);
    expect(table('oversight:closure').total).toBe(10);
  });

  test('where cases stand, for telling who may see them, in one look-up', async () => {
    const r = await records();
    await r.facts.putMany([
      { ...facts('frontDoor-1'), namedWorker: 'cw-amira' },
      facts('frontDoor-2', { team: 'south', closedAfter: 3 }),
    ]);
    expect(await r.facts.standing(['frontDoor-1', 'frontDoor-2', 'frontDoor-9'])).toEqual(
      new Map([
        ['frontDoor-1', { pathway: 'frontDoor', team: 'north', open: true, namedWorker: 'cw-amira' }],
        ['frontDoor-2', { pathway: 'frontDoor', team: 'south', open: false }],
      ]),
    );
    expect(await r.facts.standing([])).toEqual(new Map());
  });

  test("a closed case's people stay in the person index until its record is purged, and sign-off notes go then", async () => {
    const r = await records();
    const caseId = 'frontDoor-00000000-0000-4000-8000-000000000001';
    await r.people.index(caseId, [{ role: 'child', name: 'Max Testchild', dateOfBirth: '2015-02-03' }]);
    await r.facts.put({ ...facts(caseId, { assessedAfter: 2, closedAfter: 10 }) });
    await r.oversight.signOff(caseId, 'closure', 'sup-jo', 'Closed: family moved away');
    await r.archive.put(caseId, 'frontDoor', '2026-01-01T10:00:00.000Z', { caseId });
    const search = { name: 'Max Testchild', dateOfBirth: '2015-02-03' };
    expect(await r.people.find(search)).toEqual([{ caseId, role: 'child', on: ['birthAndFamilyName'] }]);
    expect((await r.people.people([caseId])).get(caseId)).toEqual([
      { role: 'child', name: 'Max Testchild', dateOfBirth: '2015-02-03' },
    ]);
    const entry = (await r.archive.entry(caseId))!;
    expect((await r.archive.purge(entry.retainUntil)).purged).toEqual([caseId]);
    expect(await r.people.find(search)).toEqual([]);
    expect(await r.people.people([caseId])).toEqual(new Map());
    expect(await r.oversight.signOffs(caseId, true)).toEqual([
      expect.objectContaining({ subject: 'closure', signedBy: 'sup-jo', hasNote: false }),
    ]);
  });
});
