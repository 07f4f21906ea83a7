import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { pathways, PATHWAYS, type PathwayId } from '../machines';
import { REPORT_SCOPES, REPORT_TYPES } from '../auth/caller';
import { bearer, forgedToken } from './support/auth';
import { custodyReferral, enhancedReferral } from './support/custodyReferrals';
import { dutyLineCall, parentInfantReferral } from './support/referrals';
import { frontDoorReferralSample } from './support/sampleEvents';
import { DAY, realClock } from './support/clock';
import { addMonths } from '../calendar/calendar';
import {
  accessHistory,
  rawTemporalClient,
  serviceEnv,
  startService,
  tokensFor,
  type RunningService,
} from './support/service';

// Verified callers, against the real service: tokens from its development identity provider,
// refusals over HTTP, and the cases themselves read back from Temporal.

let service: RunningService;
let temporal: Client;
const t: Record<string, string> = {};
const cases = {} as Record<PathwayId, string>;
const statuses = new Map<number, number>();

// Received now, by the clock the service runs on, with every other date relative to that.
const receivedAt = realClock().now;
const REFERRALS: Record<PathwayId, unknown> = {
  parentInfant: parentInfantReferral({ receivedAt }),
  frontDoor: frontDoorReferralSample({ receivedAt }),
  reconnect: custodyReferral({ receivedAt }),
  enhancedReconnect: enhancedReferral({ receivedAt }),
};

/** Names every plain object has through its prototype: never a table's entries. */
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf'];

/**
 * Dates nothing the service takes can carry, from the real clock: two centuries ahead and
 * behind (as dates and as instants), and days no calendar has.
 */
function badDates(): string[] {
  const { today } = realClock();
  const year = today.slice(0, 4);
  const [ahead, behind] = [addMonths(today, 2400), addMonths(today, -2400)];
  return [
    ahead,
    behind,
    `${ahead}T10:00:00Z`,
    `${behind}T10:00:00Z`,
    `${year}-02-30`,
    `${year}-02-30T10:00:00Z`,
    `${year}-13-01`,
    `${year}-04-31T25:00:00Z`,
  ];
}

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T.*)?$/;
type Path = (string | number)[];

/** Every string in `value` (dates and instants among them), by its path. */
function stringsIn(value: unknown, path: Path = []): { path: Path; isDate: boolean }[] {
  if (typeof value === 'string') return [{ path, isDate: DATE_OR_INSTANT.test(value) }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  return [];
}

/** A copy of `value` with the string at `path` replaced by `to`. */
function setAt(value: unknown, path: Path, to: unknown): unknown {
  if (path.length === 0) return to;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return (value as unknown[]).map((v, i) => (i === head ? setAt(v, rest, to) : v));
  const o = value as Record<string, unknown>;
  return { ...o, [head!]: setAt(o[head!], rest, to) };
}

async function call(method: string, path: string, token?: string, body?: unknown, raw?: string) {
  const res = await fetch(service.baseUrl + path, {
    method,
    headers: token
      ? bearer(token)
      : body !== undefined || raw !== undefined
        ? { 'content-type': 'application/json' }
        : {},
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const text = await res.text();
  return {
    status: res.status,
    json: () => JSON.parse(text) as Record<string, unknown> & { code?: string; detail?: string },
  };
}

const historyLength = async (caseId: string) =>
  (await temporal.workflow.getHandle(caseId).describe()).historyLength;
type CaseSnapshot = { status: string; state: unknown; lastSeq: unknown };
const snapshotOf = async (): Promise<Record<string, CaseSnapshot>> =>
  Object.fromEntries(
    await Promise.all(
      PATHWAYS.map(async (p) => {
        const d = await temporal.workflow.getHandle(cases[p]).describe();
        const view = (await call('GET', `/cases/${cases[p]}`, t.sup)).json();
        const snapshot: CaseSnapshot = { status: d.status.name, state: view.state, lastSeq: view.lastSeq };
        return [p, snapshot] as const;
      }),
    ),
  );

beforeAll(async () => {
  service = await startService(await serviceEnv({ RATE_LIMIT_WRITES_PER_MINUTE: '100000' }));
  const tokens = tokensFor(service);
  [t.cw, t.sup, t.admin, t.other, t.social, t.prison, t.homeOffice] = await Promise.all([
    tokens.staff('cw-amira'),
    tokens.staff('sup-jo'),
    tokens.staff('admin-sam'),
    tokens.staff('cw-ben'),
    tokens.integration('social-care', 'reports:social-care'),
    tokens.integration('prison-probation', 'reports:custody'),
    tokens.integration('home-office', 'reports:home-office'),
  ]);
  for (const p of PATHWAYS) {
    const res = await call('POST', '/cases', t.cw, { pathway: p, referral: REFERRALS[p] });
    expect(res.status).toBe(201);
    cases[p] = res.json().caseId as string;
  }
  temporal = await rawTemporalClient(service);
}, 180_000);

afterAll(async () => {
  await temporal?.connection.close();
  await service?.interrupt();
});

describe('only verified callers', () => {
  it('refuses a request with no token, a malformed one or a forged one with 401', async () => {
    expect((await call('GET', '/cases')).status).toBe(401);
    const forged = forgedToken(service.issuer, {
      sub: 'sup-jo',
      roles: ['supervisor'],
      teams: ['bucks-reconnect'],
    });
    const res = await call('GET', `/cases/${cases.parentInfant}/details?reason=checking`, forged);
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthenticated', status: 401 });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: service.issuer, sub: 'sup-jo', roles: ['supervisor'] })).toString('base64url')}.`;
    expect((await call('GET', '/cases', unsigned)).status).toBe(401);
    const headerOnly = await fetch(`${service.baseUrl}/cases`, {
      headers: { 'x-actor-id': 'sup-jo', 'x-actor-role': 'supervisor' },
    });
    expect(headerOnly.status).toBe(401);
  });

  it("stops a caseworker doing a supervisor's action with 403, and the case's history does not grow", async () => {
    const before = await historyLength(cases.parentInfant);
    const res = await call('POST', `/cases/${cases.parentInfant}/actions`, t.cw, {
      type: 'ASSIGN_WORKER',
      worker: 'cw-amira',
    });
    expect(res.status).toBe(403);
    expect(res.json().detail).toMatch(/ASSIGN_WORKER needs: supervisor/);
    expect(await historyLength(cases.parentInfant)).toBe(before);
  });

  it('lets an integration send only the report types its scope names', async () => {
    const recall = await call('POST', `/cases/${cases.reconnect}/reports`, t.social, { type: 'RECALLED' });
    expect(recall.status).toBe(403);
    expect(
      (await call('POST', `/cases/${cases.reconnect}/reports`, t.homeOffice, { type: 'RECALLED' })).status,
    ).toBe(403);
    const unknown = await call('POST', `/cases/${cases.reconnect}/reports`, t.prison, {
      type: 'CLOSE',
      closureReason: 'other',
    });
    expect(unknown.status).toBe(400);
    expect((await call('POST', `/cases/${cases.reconnect}/reports`, t.cw, { type: 'RECALLED' })).status).toBe(
      403,
    );
    expect((await call('GET', '/cases', t.prison)).status).toBe(403);
  });

  it("hides a team's cases from a caseworker of another team", async () => {
    const rows = (await call('GET', '/cases?open=true', t.other)).json() as unknown as { caseId: string }[];
    expect(rows.map((r) => r.caseId)).not.toContain(cases.parentInfant);
    expect((await call('GET', '/cases?team=bucks-reconnect', t.other)).status).toBe(403);
    for (const path of ['', '/timeline', '/details?reason=curious']) {
      expect((await call('GET', `/cases/${cases.parentInfant}${path}`, t.other)).status).toBe(403);
    }
    const before = await historyLength(cases.parentInfant);
    const act = await call('POST', `/cases/${cases.parentInfant}/actions`, t.other, {
      type: 'REFER_TO_TEAM_MEETING',
    });
    expect(act.status).toBe(403);
    expect(await historyLength(cases.parentInfant)).toBe(before);
    // Their own team sees it; an administrator sees every team.
    const mine = (await call('GET', '/cases?open=true', t.cw)).json() as unknown as { caseId: string }[];
    expect(mine.map((r) => r.caseId)).toContain(cases.parentInfant);
    const all = (await call('GET', '/cases?open=true', t.admin)).json() as unknown as { caseId: string }[];
    expect(all.map((r) => r.caseId)).toEqual(expect.arrayContaining(Object.values(cases)));
  });

  it('keeps free text and personal data to those who need to know, and logs every read with its reason', async () => {
    const id = cases.parentInfant;
    const moved = await call('POST', `/cases/${id}/actions`, t.cw, {
      type: 'REFER_TO_TEAM_MEETING',
      reason: 'worried about self-harm',
    });
    expect(moved.status).toBe(200);
    const plain = (await call('GET', `/cases/${id}/timeline`, t.admin)).json() as unknown as {
      reason?: string;
      restricted?: boolean;
    }[];
    expect(plain.at(-1)).toMatchObject({ restricted: true });
    expect(JSON.stringify(plain)).not.toContain('self-harm');
    expect((await call('GET', `/cases/${id}/timeline?reason=audit`, t.admin)).status).toBe(403);
    expect((await call('GET', `/cases/${id}/details`, t.sup)).status).toBe(400); // a reason is required
    const full = (await call('GET', `/cases/${id}/timeline?reason=supervision`, t.sup)).json() as unknown as {
      reason?: string;
    }[];
    expect(full.at(-1)?.reason).toBe('worried about self-harm');
    expect((await call('GET', `/cases/${id}/details?reason=preparing%20the%20meeting`, t.cw)).status).toBe(
      200,
    );
    // A decode for the Temporal Web UI is a read of personal data too: it needs a reason, and is
    // logged against each case it reads (test/codecAndCommands.e2e.test.ts); none here.
    const decode = (headers: Record<string, string>) =>
      fetch(`${service.baseUrl}/codec/decode`, {
        method: 'POST',
        headers: { ...bearer(t.sup!), ...headers },
        body: JSON.stringify({ payloads: [] }),
      });
    expect((await decode({})).status).toBe(400);
    expect((await decode({ 'x-access-reason': 'checking a stuck case' })).status).toBe(200);
    const log = await accessHistory(service, id);
    expect(log).toEqual([
      expect.objectContaining({
        caseId: id,
        what: 'timeline',
        why: 'supervision',
        who: { id: 'sup-jo', roles: ['supervisor'] },
      }),
      expect.objectContaining({
        caseId: id,
        what: 'details',
        why: 'preparing the meeting',
        who: expect.objectContaining({ id: 'cw-amira' }),
      }),
    ]);
  });

  it('records a duty-line consultation for its team only, keeps what was said to need-to-know, and turns it into one referral', async () => {
    const consultation = dutyLineCall({ concern: 'Mother tearful and not sleeping' });
    expect((await call('POST', '/consultations', t.admin, { consultation })).status).toBe(403);
    expect(
      (
        await call('POST', '/consultations', t.cw, {
          consultation: { ...consultation, concern: 'x'.repeat(2001) },
        })
      ).status,
    ).toBe(400);
    const recorded = await call('POST', '/consultations', t.cw, { consultation });
    expect(recorded.status).toBe(201);
    const id = recorded.json().consultationId as string;

    expect((await call('GET', `/consultations/${id}`, t.other)).status).toBe(403);
    const listed = (await call('GET', '/consultations?open=true', t.other)).json() as unknown as {
      consultationId: string;
    }[];
    expect(listed.map((r) => r.consultationId)).not.toContain(id);
    const plain = await call('GET', `/consultations/${id}`, t.sup);
    expect(plain.json()).toMatchObject({ state: 'open', allowedActions: ['REFERRED', 'CLOSED'] });
    expect(JSON.stringify(plain.json())).not.toContain('tearful');
    expect(JSON.stringify((await call('GET', `/consultations/${id}?reason=triage`, t.sup)).json())).toContain(
      'tearful',
    );

    const referral = { pathway: 'parentInfant', referral: REFERRALS.parentInfant };
    expect(
      (await call('POST', `/consultations/${id}/referral`, t.cw, { ...referral, pathway: 'frontDoor' }))
        .status,
    ).toBe(400);
    const made = await call('POST', `/consultations/${id}/referral`, t.cw, referral);
    expect(made.status).toBe(201);
    const { consultation: after, case: opened } = made.json() as {
      consultation: { state: string };
      case: { caseId: string; consultationId: string };
    };
    expect(after.state).toBe('referred');
    expect(opened.consultationId).toBe(id);
    const retried = await call('POST', `/consultations/${id}/referral`, t.cw, referral);
    expect((retried.json().case as { caseId: string }).caseId).toBe(opened.caseId);

    const closing = await call('POST', `/consultations/${id}/close`, t.cw, { outcome: 'adviceGiven' });
    expect(closing.status).toBe(409);
    expect(closing.json()).toMatchObject({ state: 'referred', allowedActions: [] });
  });

  it('applies the role tables to every action of every pathway, for every kind of caller', async () => {
    const callers = { caseworker: t.cw, supervisor: t.sup, admin: t.admin, integration: t.social } as const;
    const before = await Promise.all(PATHWAYS.map((p) => historyLength(cases[p])));
    let checked = 0;
    for (const p of PATHWAYS) {
      const roles = pathways[p].roles;
      for (const type of Object.keys(roles).filter((k) => k !== 'REFERENCE_DATA_UPDATED')) {
        for (const [who, token] of Object.entries(callers)) {
          // An unknown field makes any permitted action a 400, so nothing is applied.
          const res = await call('POST', `/cases/${cases[p]}/actions`, token, { type, unexpectedField: 1 });
          const may = (who === 'caseworker' || who === 'supervisor') && roles[type]!.includes(who);
          expect({ p, type, who, status: res.status }).toEqual({ p, type, who, status: may ? 400 : 403 });
          checked++;
        }
      }
      const clients = [
        ['social-care', t.social, 'reports:social-care'],
        ['prison-probation', t.prison, 'reports:custody'],
        ['home-office', t.homeOffice, 'reports:home-office'],
      ] as const;
      for (const [client, token, scope] of clients) {
        for (const type of Object.keys(roles).filter((k) => roles[k]!.includes('system'))) {
          const isReport = (REPORT_TYPES as readonly string[]).includes(type);
          const covered = (REPORT_SCOPES[scope] as readonly string[]).includes(type);
          const res = await call('POST', `/cases/${cases[p]}/reports`, token, { type, unexpectedField: 1 });
          expect({ p, type, client, status: res.status }).toEqual({
            p,
            type,
            client,
            status: isReport && !covered ? 403 : 400,
          });
          checked++;
        }
      }
    }
    expect(await Promise.all(PATHWAYS.map((p) => historyLength(cases[p])))).toEqual(before);
    expect(checked).toBeGreaterThan(200);
    console.log(`role × action matrix: ${checked} combinations checked`);
  });
});

describe('nothing a caller sends can break a case', () => {
  it('answers every class of hostile input with a 4xx, and every case is still running and unchanged', async () => {
    const before = await snapshotOf();
    statuses.clear();
    const big = (n: number) => 'x'.repeat(n);
    const nest = (depth: number): unknown => (depth === 0 ? 'deep' : { a: nest(depth - 1) });
    const perCase = (id: string): [string, string, string | undefined, unknown?, string?][] => [
      // Oversized and out-of-contract report types, as in the review: refused before any workflow sees them.
      ['POST', `/cases/${id}/reports`, t.prison, { type: big(1_100_000) }],
      ['POST', `/cases/${id}/reports`, t.prison, { type: big(900_000) }],
      [
        'POST',
        `/cases/${id}/reports`,
        t.prison,
        { type: 'Please reset your password at http://evil.example' },
      ],
      ['POST', `/cases/${id}/actions`, t.sup, undefined, `{"type":"${big(2_500_000)}"}`],
      ['POST', `/cases/${id}/actions`, t.sup, { type: 'NEEDS_MET', signposting: [big(300_001)] }],
      ['POST', `/cases/${id}/actions`, t.sup, { type: 'NEEDS_MET', signposting: Array(10_000).fill('GP') }],
      // Event ids: too long, the service's own namespaces, odd characters.
      ['POST', `/cases/${id}/actions`, t.cw, { type: 'RECORD_CONTACT', eventId: big(1500) }],
      [
        'POST',
        `/cases/${id}/actions`,
        t.sup,
        { type: 'RECALLED', eventId: 'reference-data:2025-01-01..2028-12-26#32' },
      ],
      ['POST', `/cases/${id}/actions`, t.sup, { type: 'RECALLED', eventId: `${id}:referral` }],
      ['POST', `/cases/${id}/actions`, t.sup, { type: 'RECALLED', eventId: '../../etc/passwd' }],
      // Identity in the body, the internal timer, and reference data are not callers' to send.
      [
        'POST',
        `/cases/${id}/actions`,
        t.cw,
        { type: 'RECALLED', actor: { id: 'sup-jo', role: 'supervisor' } },
      ],
      [
        'POST',
        `/cases/${id}/actions`,
        t.sup,
        { type: 'POST_RELEASE_LIMIT_REACHED', actor: { id: 'timer', role: 'timer' } },
      ],
      ['POST', `/cases/${id}/actions`, t.sup, { type: 'RELEASE_DATE_REACHED' }],
      [
        'POST',
        `/cases/${id}/actions`,
        t.sup,
        { type: 'REFERENCE_DATA_UPDATED', calendar: { version: 'x', holidays: [] } },
      ],
      // Nesting, prototypes, wrong types, unknown fields, wrong media type, broken JSON.
      ['POST', `/cases/${id}/actions`, t.sup, { type: 'RECALLED', reason: nest(200) }],
      ['POST', `/cases/${id}/actions`, t.sup, undefined, '{"type":"RECALLED","__proto__":{"admin":true}}'],
      [
        'POST',
        `/cases/${id}/actions`,
        t.sup,
        undefined,
        '{"type":"RECALLED","constructor":{"prototype":{"x":1}}}',
      ],
      ['POST', `/cases/${id}/actions`, t.sup, { type: ['RECALLED'] }],
      ['POST', `/cases/${id}/actions`, t.sup, { type: 42 }],
      ['POST', `/cases/${id}/actions`, t.sup, []],
      ['POST', `/cases/${id}/actions`, t.sup, null],
      ['POST', `/cases/${id}/actions`, t.sup, undefined, '{"type":'],
      ['POST', `/cases/${id}/actions`, t.sup, undefined, ''],
      ['GET', `/cases/${id.replace(/.$/, 'g')}/timeline`, t.sup],
      ['GET', `/cases/${id}/details?reason=${big(300)}`, t.sup],
      ['GET', `/cases/${id}/timeline?reason=${encodeURIComponent('\u0000')}&extra=1`, t.sup],
      ['GET', `/outbox?caseId=${id}`, t.sup],
    ];
    const sends: [string, string, string | undefined, unknown?, string?][] = [
      ...PATHWAYS.flatMap((p) => perCase(cases[p])),
      [
        'POST',
        '/cases',
        t.cw,
        { pathway: 'reconnect', referral: { ...custodyReferral({ receivedAt }), notes: nest(50) } },
      ],
      ['POST', '/cases', t.cw, { pathway: 'astrology', referral: {} }],
      [
        'POST',
        '/cases',
        t.cw,
        { pathway: 'reconnect', referral: custodyReferral({ receivedAt }), team: "x' OR 1=1" },
      ],
      [
        'POST',
        '/cases',
        t.cw,
        { pathway: 'reconnect', referral: custodyReferral({ receivedAt }), team: 'bsol-reconnect' },
      ],
      [
        'POST',
        '/cases',
        t.cw,
        { pathway: 'reconnect', referral: custodyReferral({ receivedAt }), previousCaseId: big(5000) },
      ],
      // Visibility-query injection and odd characters in filters.
      ['GET', `/cases?team=${encodeURIComponent("x\\' OR CaseTeam != 'zz' -- ")}`, t.admin],
      ['GET', `/cases?team=${encodeURIComponent('a\u0000b')}`, t.admin],
      ['GET', `/cases?state=${encodeURIComponent("screening' OR 1=1")}`, t.admin],
      ['GET', `/cases?worker=${encodeURIComponent('a@evil.example,x')}`, t.admin],
      ['GET', '/cases?team=a&team=b', t.admin],
      ['GET', `/cases?limit=${big(50)}`, t.admin],
      ['GET', `/agenda?team=${encodeURIComponent('\\')}`, t.sup],
      // Case ids and paths.
      ['GET', `/cases/${big(5000)}`, t.sup],
      ['GET', '/cases/parentInfant-not-a-uuid', t.sup],
      ['GET', '/cases/reconnect-00000000-0000-0000-0000-000000000000', t.sup],
      ['POST', '/cases/reconnect-00000000-0000-0000-0000-000000000000/actions', t.sup, { type: 'RECALLED' }],
      // Codec: bad key ids, garbage, huge batches, bad base64, a caseworker asking.
      [
        'POST',
        '/codec/decode',
        t.sup,
        {
          payloads: [
            {
              metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('nope') },
              data: b64('garbage'),
            },
          ],
        },
      ],
      [
        'POST',
        '/codec/decode',
        t.sup,
        {
          payloads: [
            {
              metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('x'.repeat(10_000)) },
              data: '',
            },
          ],
        },
      ],
      [
        'POST',
        '/codec/decode',
        t.sup,
        { payloads: [{ metadata: { encoding: b64('binary/encrypted') }, data: b64('garbage') }] },
      ],
      ['POST', '/codec/decode', t.sup, { payloads: [{ metadata: { encoding: '!!!' }, data: '%%%' }] }],
      ['POST', '/codec/decode', t.sup, { payloads: Array(1000).fill({ metadata: {}, data: '' }) }],
      ['POST', '/codec/decode', t.cw, { payloads: [] }],
      ['POST', '/codec/encode', t.sup, { payloads: [] }],
    ];
    // Every string and date field of every pathway's referral, and of a consultation: each name
    // the object prototype lends and each impossible date in turn. A referral that would still
    // open a case names a previous case that does not exist, so the last check before a case
    // starts refuses it (404) and none starts; one whose date cannot be right is refused for
    // that date first (400 or 409).
    const fuzzed: { send: (typeof sends)[number]; dateRefused: boolean }[] = [];
    const hostileValues = [...PROTOTYPE_KEYS, ...badDates()];
    for (const p of PATHWAYS) {
      for (const { path, isDate } of stringsIn(REFERRALS[p])) {
        for (const value of hostileValues) {
          const referral = setAt(REFERRALS[p], path, value);
          fuzzed.push({
            send: ['POST', '/cases', t.cw, { pathway: p, referral, previousCaseId: `${p}-${randomUUID()}` }],
            dateRefused: isDate && !PROTOTYPE_KEYS.includes(value),
          });
        }
      }
    }
    const consultation = dutyLineCall({
      receivedAt,
      professional: {
        name: 'Grace Okafor',
        role: 'health visitor',
        contact: { route: 'email', value: 'grace.okafor@example.nhs.uk' },
      },
    });
    // Its free text takes any words (prototype names among them) and would record a consultation.
    const freeText = ['name', 'role', 'concern'];
    for (const { path, isDate } of stringsIn(consultation)) {
      if (freeText.includes(String(path.at(-1)))) continue;
      for (const value of hostileValues) {
        fuzzed.push({
          send: ['POST', '/consultations', t.cw, { consultation: setAt(consultation, path, value) }],
          dateRefused: isDate && !PROTOTYPE_KEYS.includes(value),
        });
      }
    }
    // Prototype names where the body's keys are read, and as action and report types, which
    // index the role tables.
    for (const p of PATHWAYS) {
      const previousCaseId = `${p}-${randomUUID()}`;
      const referral = JSON.stringify(REFERRALS[p]).slice(0, -1);
      fuzzed.push(
        {
          send: [
            'POST',
            '/cases',
            t.cw,
            undefined,
            `{"pathway":"${p}","referral":${referral},"__proto__":{"x":1},"constructor":{"prototype":{"x":1}},"toString":1},"previousCaseId":"${previousCaseId}"}`,
          ],
          dateRefused: false,
        },
        {
          send: [
            'POST',
            '/cases',
            t.cw,
            undefined,
            `{"pathway":"${p}","referral":${referral}},"constructor":{}}`,
          ],
          dateRefused: false,
        },
      );
      for (const type of PROTOTYPE_KEYS) {
        for (const send of [
          ['POST', `/cases/${cases[p]}/actions`, t.sup, { type }],
          ['POST', `/cases/${cases[p]}/actions`, t.cw, { type, reason: 'x' }],
          ['POST', `/cases/${cases[p]}/reports`, t.prison, { type }],
          ['POST', `/cases/${cases[p]}/reports`, t.social, { type }],
        ] as const) {
          fuzzed.push({ send: [...send], dateRefused: false });
        }
      }
    }
    // Query fields whose values index a fixed set, the caseworker's teams, or are dates.
    for (const value of hostileValues) {
      const q = encodeURIComponent(value);
      for (const send of [
        ['GET', `/cases?pathway=${q}`, t.admin],
        ['GET', `/cases?state=${q}`, t.admin],
        ['GET', `/cases?priorityGroup=${q}`, t.admin],
        ['GET', `/cases?open=${q}`, t.admin],
        ['GET', `/cases?limit=${q}`, t.admin],
        ['GET', `/cases?team=${q}`, t.cw],
        ['GET', `/agenda?team=${q}`, t.cw],
        ['GET', `/consultations?open=${q}`, t.cw],
      ] as const) {
        fuzzed.push({ send: [...send], dateRefused: false });
      }
    }
    for (const value of badDates().filter(
      (d) => d.includes('-02-30') || d.includes('-13-') || d.includes('T25'),
    )) {
      const q = encodeURIComponent(value);
      fuzzed.push(
        { send: ['GET', `/cases?dueFrom=${q}`, t.admin], dateRefused: true },
        { send: ['GET', `/cases?dueTo=${q}`, t.admin], dateRefused: true },
      );
    }
    const unexpected: { method: string; path: string; body: string; status: number }[] = [];
    for (const { send, dateRefused } of fuzzed) {
      const [method, path, token, body, raw] = send;
      const { status } = await call(method, path, token, body, raw);
      const refused = dateRefused ? status === 400 || status === 409 : status >= 400 && status < 500;
      if (!refused)
        unexpected.push({ method, path, body: JSON.stringify(body ?? raw).slice(0, 400), status });
    }
    expect(unexpected).toEqual([]);
    console.log(`fields fuzzed: ${fuzzed.length} requests`);

    for (const [method, path, token, body, raw] of sends) {
      const res = await call(method, path, token, body, raw);
      expect({ method, path: path.slice(0, 80), status: res.status }).toEqual({
        method,
        path: path.slice(0, 80),
        status: expect.any(Number),
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // The same again without a token: 401 before anything is read.
    for (const [method, path, , body, raw] of [...sends, ...fuzzed.map((f) => f.send)]) {
      const unsigned =
        method === 'GET'
          ? await call(method, path)
          : await call(method, path, undefined, raw === undefined ? (body ?? {}) : undefined, raw);
      expect(unsigned.status).toBeGreaterThanOrEqual(400);
    }
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    console.log(
      `hostile requests: ${[...statuses.values()].reduce((a, b) => a + b, 0)}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(await snapshotOf()).toEqual(before);
    expect(Object.values(before).every((c) => c.status === 'RUNNING')).toBe(true);
    // Every refusal is logged, and no log line carries a token or case text.
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(service.output().match(/"msg":"refused"/g)?.length ?? 0).toBeGreaterThanOrEqual(total);
    expect(service.output()).not.toMatch(/eyJ|self-harm|Sam Leaver/);
  });

  it('refuses a plain-JSON signal or update sent straight to Temporal with a forged supervisor', async () => {
    const before = await snapshotOf();
    const reportsRefused = (
      await call('GET', `/cases/${cases.reconnect}/timeline`, t.sup)
    ).json() as unknown as {
      type: string;
    }[];
    const handle = temporal.workflow.getHandle(cases.reconnect); // no codec: plain JSON payloads
    const forged = {
      type: 'CLOSE',
      closureReason: 'other',
      note: 'forged',
      eventId: 'forged-1',
      actor: { id: 'sup-jo', role: 'supervisor' },
    };
    await handle.signal('report', forged);
    await handle.signal('report', {
      ...forged,
      type: 'REMOVED_FROM_UK',
      actor: { id: 'home-office', role: 'system' },
    });
    await expect(
      handle.executeUpdate('act', { args: [forged], updateId: 'forged-update' }),
    ).rejects.toThrow();
    const describe = await handle.describe();
    expect(describe.status.name).toBe('RUNNING');
    // The reports are refused and recorded as such (nothing they say is quoted); nothing else moves.
    const timeline = async () =>
      (await call('GET', `/cases/${cases.reconnect}/timeline`, t.sup)).json() as unknown as {
        type: string;
        actor: { id: string };
      }[];
    for (let i = 0; i < 80 && (await timeline()).length < reportsRefused.length + 2; i++)
      await new Promise((r) => setTimeout(r, 250));
    expect((await timeline()).slice(reportsRefused.length)).toEqual([
      expect.objectContaining({ type: 'REPORT_REFUSED', actor: { id: 'unknown', role: 'system' } }),
      expect.objectContaining({ type: 'REPORT_REFUSED', actor: { id: 'unknown', role: 'system' } }),
    ]);
    const after = await snapshotOf();
    expect(after).toEqual({
      ...before,
      reconnect: { ...before.reconnect, lastSeq: (before.reconnect!.lastSeq as number) + 2 },
    });
    // The case is not stuck: a real supervisor's action still goes through.
    const assigned = await call('POST', `/cases/${cases.reconnect}/actions`, t.sup, {
      type: 'ASSIGN_WORKER',
      worker: 'cw-ola',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.json()).toMatchObject({ namedWorker: 'cw-ola', open: true });
  });
});

describe('finding 7: input that cannot be right is refused, with the reason', () => {
  type Referral = Record<string, unknown>;
  const now = () => Date.now();
  const at = (ms: number) => new Date(ms).toISOString();
  /** Each pathway's referral as the fixtures make it, received at `receivedAt` (dates follow it). */
  const referralOf = (p: PathwayId, received: string): Referral =>
    ({
      parentInfant: parentInfantReferral({ receivedAt: received }),
      frontDoor: frontDoorReferralSample({ receivedAt: received }),
      reconnect: custodyReferral({ receivedAt: received }),
      enhancedReconnect: enhancedReferral({ receivedAt: received }),
    })[p];
  const CUSTODY = ['reconnect', 'enhancedReconnect'] as const;

  /** Refers; expects a 409 whose reasons include `reason`, and no case. */
  async function expectRefused(p: PathwayId, referral: unknown, reason: string | RegExp) {
    const res = await call('POST', '/cases', t.cw, { pathway: p, referral });
    const body = res.json();
    const reasons = ((body.issues ?? []) as { message: string }[]).map((i) => i.message);
    expect({ p, status: res.status, code: body.code, caseId: body.caseId }).toEqual({
      p,
      status: 409,
      code: 'notAllowed',
      caseId: undefined,
    });
    expect(reasons).toContainEqual(typeof reason === 'string' ? reason : expect.stringMatching(reason));
  }

  it('receivedNotInFuture: a referral received 30 days from now is refused on every pathway', async () => {
    for (const p of PATHWAYS) {
      await expectRefused(
        p,
        referralOf(p, at(now() + 30 * DAY)),
        /^it is recorded as received at .*, which has not come yet/,
      );
    }
  });

  it('receivedWithinAYear: a referral received 2 years ago is refused on every pathway', async () => {
    for (const p of PATHWAYS) {
      await expectRefused(
        p,
        referralOf(p, at(now() - 2 * 365 * DAY)),
        /^it is recorded as received at .*, more than 12 months ago/,
      );
    }
  });

  it("personBirthDateNotInFuture: a date of birth after the referral is refused on the custody pathways (childBirthDateNotInFuture on the front door's)", async () => {
    const tomorrow = realClock().daysFromToday(1);
    for (const p of CUSTODY) {
      const referral = referralOf(p, realClock().now);
      const person = { ...(referral.person as object), dateOfBirth: tomorrow };
      await expectRefused(
        p,
        { ...referral, person },
        "the person's date of birth is after the referral was received",
      );
    }
    const frontDoor = referralOf('frontDoor', realClock().now);
    await expectRefused(
      'frontDoor',
      { ...frontDoor, child: { name: 'Kai Testchild', dateOfBirth: tomorrow } },
      "the child's date of birth is after the referral was received",
    );
  });

  it('nhsNumberChecked: NHS number 0000000000 is refused on every pathway that has an NHS number', async () => {
    const reason = 'the NHS number is one digit repeated, which is never a real NHS number';
    const parentInfant = referralOf('parentInfant', realClock().now);
    await expectRefused(
      'parentInfant',
      { ...parentInfant, parent: { ...(parentInfant.parent as object), nhsNumber: '0000000000' } },
      reason,
    );
    for (const p of CUSTODY) {
      const referral = referralOf(p, realClock().now);
      await expectRefused(
        p,
        { ...referral, person: { ...(referral.person as object), nhsNumber: '000 000 0000' } },
        reason,
      );
    }
  });

  it('contactEmailChecked: an e-mail contact that is not an address is refused on every pathway and on a consultation', async () => {
    const contact = { route: 'email', value: 'Harriet Visitor' };
    for (const p of PATHWAYS) {
      const referral = referralOf(p, realClock().now);
      await expectRefused(
        p,
        { ...referral, referrer: { ...(referral.referrer as object), contact } },
        "the referrer's e-mail contact is not an e-mail address: give one address, like name@example.nhs.uk",
      );
    }
    const duty = dutyLineCall();
    const consultation = {
      ...duty,
      professional: {
        ...(duty.professional as object),
        contact: { route: 'email', value: 'a@evil.example,x' },
      },
    };
    const res = await call('POST', '/consultations', t.cw, { consultation });
    expect(res.status).toBe(409);
    expect(res.json().detail).toMatch(/the professional's e-mail contact is not an e-mail address/);
    const late = await call('POST', '/consultations', t.cw, {
      consultation: dutyLineCall({ receivedAt: at(now() + 30 * DAY) }),
    });
    expect(late.status).toBe(409);
    expect(late.json().detail).toMatch(/which has not come yet/);
  });

  it('prisonNumberChecked: a name in the prison-number field is refused', async () => {
    for (const p of CUSTODY) {
      const referral = referralOf(p, realClock().now);
      await expectRefused(
        p,
        { ...referral, person: { ...(referral.person as object), prisonNumber: 'Sam Leaver' } },
        'the prison number is not one: a prison number is one letter, four digits and two letters, for example A1234BC',
      );
    }
  });

  it('an action or report whose type is a name every object has is refused with a 4xx, never a 500, and changes nothing', async () => {
    const before = await snapshotOf();
    const answers: Record<string, number> = {};
    for (const p of PATHWAYS) {
      for (const type of PROTOTYPE_KEYS) {
        for (const [path, token] of [
          ['actions', t.sup],
          ['actions', t.cw],
          ['reports', t.prison],
        ] as const) {
          const res = await call('POST', `/cases/${cases[p]}/${path}`, token, { type });
          answers[`${p} ${path} ${type}`] = res.status;
        }
      }
    }
    expect(Object.entries(answers).filter(([, status]) => status < 400 || status >= 500)).toEqual([]);
    expect(await snapshotOf()).toEqual(before);
  });
});

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

describe('an external identity provider', () => {
  it('is used instead of the development one, which then does not run at all', async () => {
    const { dashboardSecret } = JSON.parse(readFileSync(join(service.env.DATA_DIR!, 'idp.json'), 'utf8')) as {
      dashboardSecret: string;
    };
    // The first service's provider stands in for the organisation's.
    const env = await serviceEnv({ OIDC_ISSUER: service.issuer, OIDC_CLIENT_SECRET: dashboardSecret });
    const second = await startService(env);
    try {
      expect(second.output()).not.toContain('development identity provider');
      await expect(
        fetch(`http://127.0.0.1:${env.IDP_PORT}/.well-known/openid-configuration`),
      ).rejects.toThrow();
      const me = await fetch(`${second.baseUrl}/me`, { headers: bearer(t.sup!) });
      expect(await me.json()).toMatchObject({ id: 'sup-jo', roles: ['supervisor'] });
      const login = await fetch(`${second.baseUrl}/auth/login`, { redirect: 'manual' });
      expect(login.headers.get('location')).toMatch(new RegExp(`^${service.issuer}/auth\\?`));
    } finally {
      await second.interrupt();
    }
  }, 120_000);
});
