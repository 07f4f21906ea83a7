import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { isStaff, type Caller } from '../auth/caller';
import type { CaseClient } from '../client/cases';
import type { CaseFacts } from '../reports/facts';
import { LIST_READ } from '../store/accessLog';
import { openRecords, type Records } from '../store/records';
import { testKeys } from '../test/support/temporal';
import { registerOversightRoutes } from './oversightRoutes';
import { registerPersonRoutes } from './personRoutes';
import { ApiProblem, handleError } from './problems';

// The oversight and person-search doors over an embedded record store, with no Temporal: the
// cases' teams come from their report facts, as they do once a case's workflow has ended. The
// bearer token names the caller; the routes' own `access` roles are checked as the API's are.

// The workspace's sessions (and their OpenID client, an ES module) are not used here.
jest.mock('../auth/session', () => ({ sameToken: () => false }));

const id = (n: number) => `frontDoor-00000000-0000-4000-8000-00000000000${n}`;
const staff = (sid: string, roles: string[], teams: string[]) =>
  ({ kind: 'staff', id: sid, roles, teams }) as Caller;
const CALLERS: Record<string, Caller> = {
  'sup-north': staff('sup-north', ['supervisor'], ['north']),
  'sup-south': staff('sup-south', ['supervisor'], ['south']),
  'cw-north': staff('cw-north', ['caseworker'], ['north']),
  'cw-other': staff('cw-other', ['caseworker'], ['north']),
  admin: staff('adm-sam', ['admin'], []),
};

function facts(caseId: string, team: string, o: { assessed?: boolean; closed?: boolean } = {}): CaseFacts {
  return {
    caseId,
    pathway: 'frontDoor',
    team,
    seq: 2,
    receivedAt: '2026-04-01T10:00:00.000Z',
    source: 'school',
    fromConsultation: false,
    state: o.closed ? 'closed' : 'assessment',
    open: !o.closed,
    namedWorker: 'cw-north',
    clocks: [],
    ...(o.assessed ? { assessment: { at: '2026-04-10T10:00:00.000Z', outcome: 'childInNeedPlan' } } : {}),
    ...(o.closed ? { closure: { at: '2026-05-10T10:00:00.000Z', reason: 'noFurtherAction' } } : {}),
  };
}

describe('management oversight and person search through the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-oversight-'));
  let records: Records;
  let app: FastifyInstance;
  let base = '';
  /** A request over HTTP (fastify's inject needs an ES module jest does not load). */
  const call = async (who: string, method: 'GET' | 'POST', url: string, body?: object) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${who}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { statusCode: res.status, json: <T = unknown>() => JSON.parse(text) as T };
  };

  beforeAll(async () => {
    records = await openRecords({ kind: 'embedded', dir: join(dir, 'store') }, testKeys());
    const cases = {
      view: () => Promise.reject(new Error('no such case')),
    } as unknown as CaseClient;
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler((err, req, reply) => handleError(err, req, reply));
    app.decorateRequest('caller', null);
    app.addHook('onRequest', async (req) => {
      const access = req.routeOptions.config.access;
      const caller = CALLERS[(req.headers.authorization ?? '').replace(/^Bearer /, '')];
      if (!access || !caller) throw new ApiProblem('unauthenticated', 'no such caller');
      req.caller = caller;
      if (!('staff' in access) || !isStaff(caller) || !caller.roles.some((r) => access.staff.includes(r)))
        throw new ApiProblem('forbidden', 'not for this role');
    });
    registerOversightRoutes(app, cases, records.accessLog, records);
    registerPersonRoutes(app, cases, records.accessLog, records);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    await records.facts.putMany([
      facts(id(1), 'north', { assessed: true }),
      facts(id(2), 'north'),
      facts(id(3), 'south', { assessed: true, closed: true }),
    ]);
    await records.references.allocate(id(1), 'frontDoor', new Date('2026-04-01T10:00:00.000Z'));
    await records.references.allocate(id(3), 'frontDoor', new Date('2026-04-01T10:00:00.000Z'));
    await records.people.index(id(1), [{ role: 'child', name: 'Max Testchild', dateOfBirth: '2015-02-03' }]);
    await records.people.index(id(3), [
      { role: 'child', name: 'Maxine Testchild', dateOfBirth: '2015-02-03', nhsNumber: '9434765919' },
    ]);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await records.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a supervisor sees what awaits their teams' sign-off, an administrator every team's", async () => {
    const north = await call('sup-north', 'GET', '/oversight/awaiting');
    expect(north.statusCode).toBe(200);
    expect(north.json()).toEqual([
      {
        caseId: id(1),
        reference: 'FD-26-0001',
        pathway: 'frontDoor',
        team: 'north',
        subject: 'assessment',
        since: '2026-04-10',
        namedWorker: 'cw-north',
      },
    ]);
    const all = await call('admin', 'GET', '/oversight/awaiting');
    expect(all.json<{ caseId: string; subject: string }[]>().map((a) => `${a.caseId} ${a.subject}`)).toEqual([
      `${id(1)} assessment`,
      `${id(3)} assessment`,
      `${id(3)} closure`,
    ]);
    expect((await call('cw-north', 'GET', '/oversight/awaiting')).statusCode).toBe(403);
  });

  test("only a supervisor of the case's team signs off, once, and only what is there to sign", async () => {
    const signOff = (who: string, n: number, body: object) =>
      call(who, 'POST', `/cases/${id(n)}/sign-off`, body);
    expect((await signOff('sup-south', 1, { subject: 'assessment' })).statusCode).toBe(403);
    expect((await signOff('cw-north', 1, { subject: 'assessment' })).statusCode).toBe(403);
    expect((await signOff('admin', 1, { subject: 'assessment' })).statusCode).toBe(403);
    const nothing = await signOff('sup-north', 2, { subject: 'assessment' });
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json()).toMatchObject({
      code: 'notAllowed',
      detail: 'no assessment outcome is recorded yet',
    });
    expect((await signOff('sup-north', 1, { subject: 'closure' })).statusCode).toBe(409);
    expect((await signOff('sup-north', 1, { subject: 'outcome' })).statusCode).toBe(400);

    const ok = await signOff('sup-north', 1, {
      subject: 'assessment',
      note: 'Agreed the plan with the family',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      caseId: id(1),
      subject: 'assessment',
      signedBy: 'sup-north',
      hasNote: true,
    });
    expect((await signOff('sup-north', 1, { subject: 'assessment' })).statusCode).toBe(409);
    // The closed case's closure, signed after its workflow has ended.
    expect((await signOff('sup-south', 3, { subject: 'closure' })).statusCode).toBe(200);
    expect((await call('sup-north', 'GET', '/oversight/awaiting')).json()).toEqual([]);

    // Without a reason, no note; with one, for those who need to know, logged.
    const plain = await call('admin', 'GET', `/cases/${id(1)}/sign-offs`);
    expect(plain.json()).toEqual([expect.not.objectContaining({ note: expect.anything() })]);
    expect(plain.json<object[]>()[0]).toMatchObject({ hasNote: true });
    expect((await call('admin', 'GET', `/cases/${id(1)}/sign-offs?reason=audit%20check`)).statusCode).toBe(
      403,
    );
    expect((await call('cw-other', 'GET', `/cases/${id(1)}/sign-offs?reason=audit%20check`)).statusCode).toBe(
      403,
    );
    expect((await call('sup-south', 'GET', `/cases/${id(1)}/sign-offs`)).statusCode).toBe(403);
    const read = await call('cw-north', 'GET', `/cases/${id(1)}/sign-offs?reason=preparing%20review`);
    expect(read.json<object[]>()[0]).toMatchObject({ note: 'Agreed the plan with the family' });
    expect(await records.accessLog.find({ caseId: id(1) })).toEqual([
      expect.objectContaining({
        what: 'sign-off-note',
        why: 'preparing review',
        who: expect.objectContaining({ id: 'cw-north' }),
      }),
    ]);
  });

  test('a person search shows the cases the searcher may see, folds the others into one restricted entry, and is logged', async () => {
    const search = (who: string, body: object) => call(who, 'POST', '/people/search', body);
    const r = await search('sup-north', {
      name: 'M Testchild',
      dateOfBirth: '2015-02-03',
      reason: 'new referral',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      matches: [
        {
          restricted: false,
          caseId: id(1),
          reference: 'FD-26-0001',
          pathway: 'frontDoor',
          role: 'child',
          on: ['birthAndFamilyName'],
          open: true,
        },
        { restricted: true, on: ['birthAndFamilyName'] },
      ],
    });
    expect(JSON.stringify(r.json())).not.toContain(id(3));
    expect(JSON.stringify(r.json())).not.toContain('FD-26-0002');
    const logged = await records.accessLog.find({ whoId: 'sup-north' });
    expect(logged.at(-1)).toMatchObject({
      caseId: LIST_READ,
      caseIds: [id(1), id(3)],
      what: 'person-search',
      why: 'new referral',
    });
    // The closed case, by NHS number, for its own team's supervisor.
    expect((await search('sup-south', { nhsNumber: '943 476 5919', reason: 'new referral' })).json()).toEqual(
      {
        matches: [
          {
            restricted: false,
            caseId: id(3),
            reference: 'FD-26-0002',
            pathway: 'frontDoor',
            role: 'child',
            on: ['nhsNumber'],
            open: false,
          },
        ],
      },
    );
    // No match: still one row.
    expect((await search('cw-north', { nhsNumber: '4857773456', reason: 'new referral' })).json()).toEqual({
      matches: [],
    });
    expect(
      (await records.accessLog.find({ whoId: 'cw-north' })).filter((e) => e.what === 'person-search'),
    ).toHaveLength(1);
    // Refused: no identifier, a name alone, no reason, administrators.
    for (const body of [
      { reason: 'new referral' },
      { name: 'Max Testchild', reason: 'new referral' },
      { nhsNumber: '4857773456' },
    ])
      expect((await search('sup-north', body)).statusCode).toBe(400);
    expect((await search('sup-north', { nhsNumber: '4857773456', reason: 'x'.repeat(201) })).statusCode).toBe(
      400,
    );
    expect((await search('admin', { nhsNumber: '4857773456', reason: 'new referral' })).statusCode).toBe(403);
  });
});
