import { mkdirSync, mkdtempSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { OutboundMessage } from '../activities/notifier';
import type { PathwayId } from '../machines/common/case';
import type { CaseFacts } from '../reports/facts';
import { talliesOf, type ReportOptions } from '../reports/report';
import { encrypt } from '../security/codec';
import { seededRandom } from '../tools/seededRandom';
import { storeEngines } from '../test/support/storeEngines';
import { testKeys } from '../test/support/temporal';
import { importDataFolder } from './importFiles';
import { recordsOf, type Records } from './records';
import { openStore, type Store } from './store';

const keys = testKeys();
const supervisor = { id: 'sup-jo', role: 'supervisor' as const };
const admin = { id: 'adm-sam', role: 'admin' as const };

/** A year's worth of facts with every shape a report counts, from a seed. */
function generatedFacts(n: number, seed: number): CaseFacts[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const pathways: PathwayId[] = ['parentInfant', 'frontDoor', 'reconnect', 'enhancedReconnect'];
  const at = (dayOffset: number) =>
    new Date(Date.UTC(2026, 0, 1) + dayOffset * 86_400_000 + Math.floor(random() * 86_400_000)).toISOString();
  return Array.from({ length: n }, (_, i) => {
    const pathway = pick(pathways);
    const received = Math.floor(random() * 400) - 30;
    const open = random() < 0.4;
    const clocks = Array.from({ length: Math.floor(random() * 3) }, () => {
      const due = received + Math.floor(random() * 20);
      const met = random() < 0.6 ? due + Math.floor(random() * 6) - 3 : undefined;
      return {
        name: pick(['screeningDue', 'referralDecision', 'assessment', 'strategyDiscussion']),
        due: at(due),
        ...(met !== undefined ? { metAt: at(met) } : {}),
      };
    });
    const closedAt = open ? undefined : at(received + Math.floor(random() * 200));
    return {
      caseId: `${pathway}-${i}`,
      pathway,
      team: pick(['north', 'south']),
      seq: 1 + Math.floor(random() * 40),
      receivedAt: at(received),
      source: pick(['gp', 'healthVisitor', 'midwife', 'police', 'school']),
      fromConsultation: random() < 0.1,
      state: open ? pick(['screening', 'assessment', 'engaged']) : 'closed',
      open,
      ...(random() < 0.2 ? {} : { namedWorker: pick(['cw-amira', 'cw-ben', 'cw-cat']) }),
      ...(random() < 0.7
        ? { firstDecision: { at: at(received + 1), outcome: pick(['accepted', 'declined']) } }
        : {}),
      clocks,
      ...(closedAt
        ? {
            closure: {
              at: closedAt,
              reason: pick(['completed', 'needsMet', 'sixMonthLimitReached', 'disengaged', 'extensionEnded']),
            },
          }
        : {}),
      ...(random() < 0.4
        ? { assessment: { at: at(received + 10), outcome: pick(['suitable', 'childInNeedPlan']) } }
        : {}),
      ...(random() < 0.5
        ? {
            outcome: {
              ...(random() < 0.5
                ? { socialCareAtClosure: pick(['none', 'childInNeed', 'childProtection']) }
                : {}),
              ...(random() < 0.6 ? { releasedAt: at(received + 30) } : {}),
              ...(random() < 0.5
                ? {
                    releasedOn: at(received + 31).slice(0, 10),
                    contactsBeforeRelease: Math.floor(random() * 4),
                    ...(random() < 0.8 ? { daysToFirstCommunityContact: Math.floor(random() * 40) } : {}),
                  }
                : {}),
              engagedBeforeRelease: random() < 0.5,
              handedOver: random() < 0.5,
              handedOverBeforeRelease: random() < 0.5,
            },
          }
        : {}),
    };
  });
}

/** Tallies as plain data, each map's keys in order: the order rows come in is not a count. */
const normalised = (v: unknown): unknown =>
  v instanceof Map
    ? Object.fromEntries(
        [...v.entries()]
          .sort(([a], [b]) => String(a).localeCompare(String(b)))
          .map(([k, x]) => [k, normalised(x)]),
      )
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalised(x)]))
      : v;

describe.each(storeEngines())('the record store, $name', (engine) => {
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

  describe('the archive', () => {
    const record = { caseId: 'parentInfant-1', referral: { parent: { name: 'Jane Testparent' } } };

    test('keeps a record sealed with its retention date, and logs every read', async () => {
      const r = await records();
      const entry = await r.archive.put('parentInfant-1', 'parentInfant', '2026-11-23T10:00:00.000Z', record);
      expect(entry).toMatchObject({ pathway: 'parentInfant', retainUntil: '2046-11-23T10:00:00.000Z' });
      // A retry of the same closure changes nothing.
      expect(
        await r.archive.put('parentInfant-1', 'parentInfant', '2026-11-23T10:00:00.000Z', record),
      ).toEqual(entry);
      const { rows } = await sql<{ record: Buffer }>`select record from archive_record`.execute(r.db);
      expect(Buffer.from(rows[0]!.record).includes('Testparent')).toBe(false);

      const read = await r.archive.read('parentInfant-1', supervisor, 'subject access request');
      expect(read.record).toEqual(record);
      expect(await r.accessLog.find({ caseId: 'parentInfant-1' })).toEqual([
        expect.objectContaining({
          what: 'archive',
          why: 'subject access request',
          who: { id: 'sup-jo', roles: ['supervisor'] },
        }),
      ]);
    });

    test('keeps child protection records for 35 years', async () => {
      const r = await records();
      const entry = await r.archive.put('frontDoor-1', 'frontDoor', '2026-11-23T10:00:00.000Z', {});
      expect(entry.retainUntil.slice(0, 10)).toBe('2061-11-23');
    });

    test('the purge skips a record under a legal hold until the hold is lifted, and leaves ids and dates', async () => {
      const r = await records();
      await r.archive.put('parentInfant-held', 'parentInfant', '2000-01-10T10:00:00.000Z', record);
      await r.archive.put('parentInfant-due', 'parentInfant', '2000-01-10T10:00:00.000Z', record);
      await r.archive.put('parentInfant-kept', 'parentInfant', '2026-01-10T10:00:00.000Z', record);
      await expect(r.archive.hold('parentInfant-held', admin, '  ')).rejects.toThrow(/needs a reason/);
      await r.archive.hold('parentInfant-held', admin, 'serious case review 2026/04');
      await expect(r.archive.hold('parentInfant-held', admin, 'again')).rejects.toThrow(
        /already under a legal hold/,
      );

      expect(await r.archive.purge('2026-12-01T00:00:00.000Z')).toEqual({
        purged: ['parentInfant-due'],
        held: ['parentInfant-held'],
      });
      expect(await r.archive.entry('parentInfant-due')).toMatchObject({
        caseId: 'parentInfant-due',
        retainUntil: '2020-01-10T10:00:00.000Z',
        purgedAt: expect.any(String),
      });
      await expect(r.archive.read('parentInfant-due', supervisor, 'audit')).rejects.toThrow(/was deleted on/);
      expect((await r.archive.read('parentInfant-held', supervisor, 'review')).record).toEqual(record);

      await expect(r.archive.lift('parentInfant-due', admin, 'done')).rejects.toThrow(
        /not under a legal hold/,
      );
      const lifted = await r.archive.lift('parentInfant-held', admin, 'review concluded');
      expect(lifted).toMatchObject({
        placedBy: 'adm-sam',
        lifted: { by: 'adm-sam', reason: 'review concluded' },
      });
      expect((await r.archive.purge('2026-12-01T00:00:00.000Z')).purged).toEqual(['parentInfant-held']);
      expect((await r.archive.purgeLog()).map((p) => p.caseId)).toEqual([
        'parentInfant-due',
        'parentInfant-held',
      ]);
      expect(JSON.stringify(await r.archive.purgeLog())).not.toContain('Testparent');
      // A purged record is never brought back by a late retry of its archiving.
      await r.archive.put('parentInfant-due', 'parentInfant', '2000-01-10T10:00:00.000Z', record);
      await expect(r.archive.read('parentInfant-due', supervisor, 'audit')).rejects.toThrow(/was deleted on/);
      await expect(r.archive.hold('parentInfant-due', admin, 'too late')).rejects.toThrow(/was deleted on/);
    });
  });

  describe('the report facts', () => {
    test('keep the newest sequence of each case', async () => {
      const r = await records();
      const [f] = generatedFacts(1, 7);
      await r.facts.put({ ...f!, seq: 5, state: 'assessment' });
      await r.facts.put({ ...f!, seq: 4, state: 'screening' });
      expect((await r.facts.all()).map((x) => [x.seq, x.state])).toEqual([[5, 'assessment']]);
      await r.facts.put({ ...f!, seq: 6, state: 'engaged' });
      expect((await r.facts.all()).map((x) => [x.seq, x.state])).toEqual([[6, 'engaged']]);
      expect(await r.facts.lastRefresh()).toBeUndefined();
      await r.facts.noteRefresh('2026-12-06T07:00:00.000Z');
      expect(await r.facts.lastRefresh()).toBe('2026-12-06T07:00:00.000Z');
    });

    test('counted in SQL, agree with the report counted from the facts themselves', async () => {
      const r = await records();
      const facts = generatedFacts(600, 42);
      for (const f of facts) await r.facts.put(f);
      const periods: Omit<ReportOptions, 'pathway'>[] = [
        { from: '2026-04-01', to: '2026-06-30', now: '2026-07-15T12:00:00.000Z' },
        { from: '2026-01-01', to: '2026-12-31', now: '2026-10-25T00:30:00.000Z', teams: ['north'] },
        // The last Sunday of March: midnight in London is 00:00 GMT, the next day 23:00 UTC.
        { from: '2026-03-29', to: '2026-03-29', now: '2026-03-30T09:00:00.000Z' },
      ];
      for (const pathway of ['parentInfant', 'frontDoor', 'reconnect', 'enhancedReconnect'] as const)
        for (const p of periods) {
          const o = { ...p, pathway };
          expect(normalised(await r.facts.tallies(o))).toEqual(normalised(talliesOf(facts, o)));
        }
    });
  });

  test('the outbox keeps each message once, sealed, and lists a case’s messages', async () => {
    const r = await records();
    const message = (id: string, caseId?: string): OutboundMessage => ({
      id,
      ...(caseId ? { caseId } : {}),
      kind: 'notification',
      to: 'referrer',
      address: 'email:harriet.visitor@example.nhs.uk',
      subject: 'Referral accepted',
      createdAt: `2026-11-23T10:00:0${id.slice(-1)}.000Z`,
    });
    await r.outbox.send(message('m1', 'case-1'));
    await r.outbox.send(message('m1', 'case-1'));
    await r.outbox.send(message('m2', 'case-2'));
    await r.outbox.send(message('m3'));
    expect((await r.outbox.list()).map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(await r.outbox.list({ caseId: 'case-1' })).toEqual([message('m1', 'case-1')]);
    expect(await r.outbox.has('m2')).toBe(true);
    expect(await r.outbox.has('m9')).toBe(false);
    const { rows } = await sql<{ message: Buffer }>`select message from outbox_message`.execute(r.db);
    expect(rows.some((row) => Buffer.from(row.message).includes('harriet'))).toBe(false);
  });

  describe('the person index', () => {
    test('finds a person across cases by NHS number, by birth date and family name, or by reference', async () => {
      const r = await records();
      await r.people.index('parentInfant-1', [
        { role: 'parent', name: 'Zoë Ann Brontë', dateOfBirth: '1995-03-14', nhsNumber: '943 476 5919' },
        { role: 'baby', dateOfBirth: '2026-10-01', socialCareRef: 'cs-1234' },
      ]);
      await r.people.index('frontDoor-2', [{ role: 'child', name: 'Max Bronte', socialCareRef: 'CS-1234' }]);
      await r.people.index('reconnect-3', [
        { role: 'person', name: 'Zoe BRONTE', dateOfBirth: '1995-03-14' },
      ]);

      expect(await r.people.find({ nhsNumber: '9434765919' })).toEqual([
        { caseId: 'parentInfant-1', role: 'parent', on: ['nhsNumber'] },
      ]);
      expect(
        await r.people.find({ name: 'zoe bronte', dateOfBirth: '1995-03-14', nhsNumber: '9434765919' }),
      ).toEqual([
        {
          caseId: 'parentInfant-1',
          role: 'parent',
          on: expect.arrayContaining(['nhsNumber', 'birthAndFamilyName']),
        },
        { caseId: 'reconnect-3', role: 'person', on: ['birthAndFamilyName'] },
      ]);
      expect((await r.people.find({ socialCareRef: ' cs-1234 ' })).map((m) => m.caseId)).toEqual([
        'frontDoor-2',
        'parentInfant-1',
      ]);
      expect(await r.people.find({ name: 'Zoe Bronte', dateOfBirth: '1995-03-15' })).toEqual([]);

      // Nothing a person could be known by is kept in plain text.
      const { rows } =
        await sql`select * from person_key union all select case_id, role, key_id, encode(details, 'escape') from person`.execute(
          r.db,
        );
      expect(JSON.stringify(rows)).not.toMatch(/943|1995|Bront|CS-1234|cs-1234/i);
      expect((await r.people.people(['parentInfant-1'])).get('parentInfant-1')).toEqual([
        { role: 'baby', dateOfBirth: '2026-10-01' },
        { role: 'parent', name: 'Zoë Ann Brontë', dateOfBirth: '1995-03-14' },
      ]);

      // A correction re-indexes the case: the old identifier no longer finds it.
      await r.people.index('reconnect-3', [{ role: 'person', name: 'Zoe Smith', dateOfBirth: '1995-03-14' }]);
      expect(await r.people.find({ name: 'Zoe Bronte', dateOfBirth: '1995-03-14' })).toEqual([
        { caseId: 'parentInfant-1', role: 'parent', on: ['birthAndFamilyName'] },
      ]);
    });
  });

  describe("a team's people", () => {
    test('are those of its open cases, as the report facts place them', async () => {
      const r = await records();
      const [north, south, closed] = generatedFacts(3, 11);
      await r.facts.put({ ...north!, caseId: 'reconnect-north', team: 'north', open: true });
      await r.facts.put({ ...south!, caseId: 'reconnect-south', team: 'south', open: true });
      await r.facts.put({ ...closed!, caseId: 'reconnect-closed', team: 'north', open: false });
      for (const id of ['reconnect-north', 'reconnect-south', 'reconnect-closed'])
        await r.people.index(id, [{ role: 'person', name: `Person ${id}`, dateOfBirth: '1990-01-01' }]);
      expect([...(await r.people.peopleOfTeams(['north'])).entries()]).toEqual([
        ['reconnect-north', [{ role: 'person', name: 'Person reconnect-north', dateOfBirth: '1990-01-01' }]],
      ]);
      expect([...(await r.people.peopleOfTeams(['north', 'south'])).keys()]).toEqual([
        'reconnect-north',
        'reconnect-south',
      ]);
      expect((await r.people.peopleOfTeams([])).size).toBe(0);
    });
  });

  describe('case references', () => {
    test('are short, per pathway and year, given once per case and found again as typed', async () => {
      const r = await records();
      const at = new Date('2026-12-06T10:00:00Z');
      expect(await r.references.allocate('parentInfant-a', 'parentInfant', at)).toBe('PI-26-0001');
      expect(await r.references.allocate('parentInfant-b', 'parentInfant', at)).toBe('PI-26-0002');
      expect(await r.references.allocate('frontDoor-a', 'frontDoor', at)).toBe('FD-26-0001');
      expect(await r.references.allocate('parentInfant-a', 'parentInfant', at)).toBe('PI-26-0001');
      expect(await r.references.allocate('reconnect-a', 'reconnect', new Date('2027-01-01T00:00:00Z'))).toBe(
        'RC-27-0001',
      );
      expect(await r.references.caseOf(' pi-26-0002 ')).toBe('parentInfant-b');
      expect(await r.references.caseOf('PI-26-0099')).toBeUndefined();
      expect(await r.references.many(['parentInfant-a', 'frontDoor-a', 'nobody'])).toEqual(
        new Map([
          ['parentInfant-a', 'PI-26-0001'],
          ['frontDoor-a', 'FD-26-0001'],
        ]),
      );
    });

    test('given at the same time by two processes are never the same', async () => {
      const config = await engine.fresh();
      const first = await openStore(config);
      open.push(first);
      // Two processes' stores on a server; the embedded store is one process's, shared.
      const second = config.kind === 'postgres' ? await openStore(config) : first;
      if (second !== first) open.push(second);
      const [a, b] = [recordsOf(first, keys), recordsOf(second, keys)];
      const refs = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).references.allocate(`frontDoor-${i}`, 'frontDoor'),
        ),
      );
      expect(new Set(refs).size).toBe(30);
    });
  });

  test('moves an earlier version’s data folder in once, and removes its files', async () => {
    const r = await records();
    const dir = mkdtempSync(join(tmpdir(), 'reconnect-old-data-'));
    const key = keys.keys.get(keys.current)!;
    mkdirSync(join(dir, 'archive'));
    mkdirSync(join(dir, 'reports', 'facts'), { recursive: true });
    mkdirSync(join(dir, 'outbox'));
    const old = { pathway: 'parentInfant', referral: { parent: { name: 'Old Filekeeper' } } };
    writeFileSync(
      join(dir, 'archive', 'parentInfant-1.entry.json'),
      JSON.stringify({
        caseId: 'parentInfant-1',
        pathway: 'parentInfant',
        closedAt: '2025-02-01T10:00:00.000Z',
        retainUntil: '2045-02-01T10:00:00.000Z',
        keyId: keys.current,
      }),
    );
    // A purge the earlier version was stopped in: the record gone, the entry still there.
    writeFileSync(
      join(dir, 'archive', 'parentInfant-9.entry.json'),
      JSON.stringify({
        caseId: 'parentInfant-9',
        pathway: 'parentInfant',
        closedAt: '2000-02-01T10:00:00.000Z',
        retainUntil: '2020-02-01T10:00:00.000Z',
        keyId: keys.current,
      }),
    );
    writeFileSync(
      join(dir, 'archive', 'parentInfant-1.record.enc'),
      encrypt(Buffer.from(JSON.stringify(old)), key),
    );
    writeFileSync(
      join(dir, 'archive', 'access.log'),
      JSON.stringify({
        at: '2025-03-01T09:00:00.000Z',
        caseId: 'parentInfant-1',
        who: supervisor,
        why: 'audit',
      }) + '\n',
    );
    writeFileSync(
      join(dir, 'archive', 'purge.log'),
      JSON.stringify({
        at: '2025-01-02T02:00:00.000Z',
        scheduledAt: '2025-01-02T02:00:00.000Z',
        caseId: 'reconnect-0',
        pathway: 'reconnect',
        retainUntil: '2025-01-01T00:00:00.000Z',
      }) + '\n',
    );
    writeFileSync(
      join(dir, 'access.log'),
      [1, 2]
        .map((i) =>
          JSON.stringify({
            at: `2025-04-0${i}T09:00:00.000Z`,
            who: { id: 'cw-amira', roles: ['practitioner'] },
            caseId: `parentInfant-${i}`,
            what: 'details',
            why: 'home visit',
          }),
        )
        .join('\n') + '\n',
    );
    const [f] = generatedFacts(1, 3);
    writeFileSync(join(dir, 'reports', 'facts', `${f!.caseId}.json`), JSON.stringify(f));
    writeFileSync(join(dir, 'reports', 'facts', 'refreshed-at.txt'), '2025-04-02T03:00:00.000Z');
    const message: OutboundMessage = {
      id: 'm1',
      caseId: 'parentInfant-1',
      kind: 'notification',
      to: 'referrer',
      address: 'email:a@example.org',
      subject: 'Accepted',
      createdAt: '2025-01-03T10:00:00.000Z',
    };
    writeFileSync(join(dir, 'outbox', 'm1.json'), JSON.stringify(message));

    expect(await importDataFolder(dir, r, keys)).toEqual([
      'access.log (2)',
      'archive/access.log (1)',
      'archive/purge.log (1)',
      'archive (2)',
      'reports/facts (1)',
      'outbox (1)',
    ]);
    expect(existsSync(join(dir, 'archive'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(await importDataFolder(dir, r, keys)).toEqual([]);

    expect((await r.archive.read('parentInfant-1', supervisor, 'check')).record).toEqual(old);
    expect((await r.accessLog.find({})).map((e) => [e.at, e.caseId, e.what])).toEqual([
      ['2025-04-01T09:00:00.000Z', 'parentInfant-1', 'details'],
      ['2025-04-02T09:00:00.000Z', 'parentInfant-2', 'details'],
      ['2025-03-01T09:00:00.000Z', 'parentInfant-1', 'archive'],
      [expect.any(String), 'parentInfant-1', 'archive'],
    ]);
    expect(await r.accessLog.verify()).toMatchObject({ intact: true, rows: 4 });
    expect((await r.archive.purgeLog()).map((p) => p.caseId)).toEqual(['reconnect-0', 'parentInfant-9']);
    expect(await r.archive.entry('parentInfant-9')).toMatchObject({ purgedAt: expect.any(String) });
    expect(await r.facts.all()).toEqual([f]);
    expect(await r.facts.lastRefresh()).toBe('2025-04-02T03:00:00.000Z');
    expect(await r.outbox.list()).toEqual([message]);
  });
});
