import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Caller } from '../auth/caller';
import type { Sessions } from '../auth/session';
import { CaseRefusedError, type CaseClient, type CaseloadRow } from '../client/cases';
import type { CaseView, TimelineEntry } from '../contract/case';
import { actionsFor } from '../access/actions';
import type { AccessEntry, AccessLog } from '../store/accessLog';
import type { PersonDetails } from '../store/people';
import { registerWorkspace as registerPages } from './workspace';

/** The workspace's routes on their own, on a loopback port: a fake case client and sessions. */

// Sessions are faked here: the sign-in client library (an ES module) is never called.
jest.mock('openid-client', () => ({}));

const STAFF: Record<string, Caller> = {
  amira: { kind: 'staff', id: 'amira', roles: ['caseworker'], teams: ['north'] },
  sam: { kind: 'staff', id: 'sam', roles: ['supervisor'], teams: ['north'] },
  other: { kind: 'staff', id: 'other', roles: ['caseworker'], teams: ['north'] },
  south: { kind: 'staff', id: 'south', roles: ['supervisor'], teams: ['south'] },
};
const id = (n: number) => `reconnect-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const MINE = id(1);
const SOUTH = id(2);
const MISSING = id(3);
const DEADLINE = new Date(Date.now() + 3 * 86400000).toISOString();

function viewOf(caseId: string, team: string, namedWorker?: string): CaseView {
  return {
    caseId,
    pathway: 'reconnect',
    state: 'assessment',
    statePath: 'assessment',
    open: true,
    team,
    ...(namedWorker ? { namedWorker } : {}),
    allowedActions: ['CLOSE'],
    deadlines: [{ name: 'assessment', label: 'Assessment', at: DEADLINE, kind: 'deadline' } as never],
    lastSeq: 1,
    reference: `RC-26-000${caseId.slice(-1)}`,
  };
}
const VIEWS = new Map([
  [MINE, viewOf(MINE, 'north', 'amira')],
  [SOUTH, viewOf(SOUTH, 'south', 'south')],
]);
const rowOf = (v: CaseView): CaseloadRow => ({
  caseId: v.caseId,
  pathway: v.pathway,
  state: v.state,
  open: true,
  team: v.team,
  ...(v.namedWorker ? { namedWorker: v.namedWorker } : {}),
  nextDeadline: DEADLINE,
  ...(v.reference ? { reference: v.reference } : {}),
});
const TIMELINE: TimelineEntry[] = [
  {
    seq: 1,
    eventId: 'e1',
    type: 'REFERRAL_RECEIVED',
    at: '2026-11-02T10:00:00Z',
    actor: { id: 'amira', role: 'caseworker' },
    from: '',
    to: 'assessment',
  },
];

const notFound = () => Object.assign(new Error('no such workflow'), { name: 'WorkflowNotFoundError' });
const peopleAsked: string[][] = [];
const PEOPLE = new Map<string, PersonDetails[]>([
  [MINE, [{ role: 'person', name: 'Jordan Example', dateOfBirth: '1990-03-04' }]],
  [SOUTH, [{ role: 'person', name: 'Sky Southern', dateOfBirth: '1985-01-01' }]],
]);
const fakeCases = {
  options: {
    records: {
      people: {
        // No facts placed: every case a list shows is asked for by id.
        peopleOfTeams: async () => new Map(),
        people: async (ids: readonly string[]) => {
          peopleAsked.push([...ids]);
          return new Map([...PEOPLE].filter(([k]) => ids.includes(k)));
        },
      },
    },
  },
  caseload: async (f: { namedWorker?: string; teams?: string[]; state?: string }) =>
    [...VIEWS.values()]
      .filter(
        (v) => (!f.namedWorker || v.namedWorker === f.namedWorker) && (!f.teams || f.teams.includes(v.team)),
      )
      .filter((v) => !f.state || v.state === f.state)
      .map(rowOf),
  count: async (f: { teams?: string[]; unassigned?: boolean }) =>
    f.unassigned ? 0 : [...VIEWS.values()].filter((v) => !f.teams || f.teams.includes(v.team)).length,
  views: async (ids: string[]) => ({ views: ids.map((i) => VIEWS.get(i)!), unreadable: [] }),
  view: async (caseId: string) => {
    const v = VIEWS.get(caseId);
    if (!v) throw notFound();
    return v;
  },
  timeline: async () => TIMELINE,
  details: async () => ({
    person: { name: 'Jordan Example' },
    eligibility: { met: ['concerns: mentalIllness, domesticAbuse'], unmet: [] },
  }),
  agenda: async (_team: unknown, teams?: string[]) => ({
    meetings: [
      {
        meetingAt: '2026-12-07T10:00:00Z',
        cases: [...VIEWS.values()].filter((v) => !teams || teams.includes(v.team)).slice(0, 2),
      },
    ],
    unreadable: [],
  }),
  act: async () => {
    throw new CaseRefusedError('notAllowed', 'The case cannot be closed now.');
  },
} as unknown as CaseClient;

const logged: AccessEntry[] = [];
const accessLog: AccessLog = {
  record: async (e) => void logged.push(e),
  find: async () => [],
};
/** A session is whoever the `x-staff` header names; their form token is `token-<id>`. */
const sessions = {
  read: (req: { headers: Record<string, unknown> }) => {
    const who = req.headers['x-staff'];
    return typeof who === 'string' ? { accessToken: who, exp: 0, staffId: who } : undefined;
  },
  lastOf: () => undefined,
  formToken: (s: { staffId: string }) => `token-${s.staffId}`,
  signOutOrigin: undefined,
  register: () => undefined,
  keepForm: () => false,
  takeForm: () => undefined,
} as unknown as Sessions;

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(fastifyRateLimit, { global: false });
  await registerPages(app, fakeCases, {
    verify: async (token) => {
      const c = STAFF[token];
      if (!c) throw new Error('unknown');
      return c;
    },
    sessions,
    accessLog,
    facts: { tallies: async () => ({}) } as never,
    formsPerMinute: 1000,
    laCode: '825',
  });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  logged.length = 0;
  peopleAsked.length = 0;
});

/** Asked through Fastify's `inject`: the pages' routes and middleware, with no socket. */
async function ask(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await app.inject({
    method: (init.method ?? 'GET') as 'GET' | 'POST',
    url,
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { payload: init.body } : {}),
  });
  return { statusCode: res.statusCode, headers: res.headers as Record<string, string>, body: res.body };
}
const get = (url: string, who?: string) => ask(url, { headers: who ? { 'x-staff': who } : {} });
const post = (url: string, who: string | undefined, form: Record<string, string>) =>
  ask(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { 'x-staff': who } : {}) },
    body: new URLSearchParams(form).toString(),
  });

describe.each(['/app', '/app/caseload', '/app/meeting', `/app/cases/${MINE}`, '/app/refer'])(
  'the page %s',
  (url) => {
    it('sends someone signed out to sign in, then back', async () => {
      const res = await get(url);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent(url)}`);
    });
    it('is a page for the signed-in supervisor, with a fresh script nonce and never cached', async () => {
      const res = await get(url, 'sam');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(res.body).toContain('name="csrf" value="token-sam"');
    });
  },
);

describe('a case page', () => {
  it('is refused for another team’s case (403) and for an id that names no case (404)', async () => {
    const other = await get(`/app/cases/${SOUTH}`, 'amira');
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('You cannot see this');
    expect((await get('/app/cases/not-a-case', 'amira')).statusCode).toBe(404);
    const missing = await get(`/app/cases/${MISSING}`, 'amira');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('There is no such case.');
  });

  it('asks why before the details, and takes no form without its token', async () => {
    const noToken = await post(`/app/cases/${MINE}/details`, 'amira', { reason: 'visit today' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('Your form has expired');
    const short = await post(`/app/cases/${MINE}/details`, 'amira', { csrf: 'token-amira', reason: 'x' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Enter why you need to see the details');
    expect(logged).toEqual([]);
    const ok = await post(`/app/cases/${MINE}/details`, 'amira', {
      csrf: 'token-amira',
      reason: 'visit today',
    });
    expect(ok.statusCode).toBe(200);
    expect(logged).toEqual([expect.objectContaining({ caseId: MINE, what: 'details', why: 'visit today' })]);
  });

  it('keeps a form sent after signing out for its owner only, and says so', async () => {
    const res = await post(`/app/cases/${MINE}/details`, undefined, { csrf: 'x', reason: 'visit today' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('You have been signed out');
  });

  it('shows an action refused by the case on its form, with the answers kept (400)', async () => {
    expect(actionsFor(MINE).safeParse({ type: 'CLOSE' }).success).toBe(false);
    const res = await post(`/app/cases/${MINE}/act/CLOSE`, 'amira', { csrf: 'token-amira', eventId: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
  });

  it('is 404 for an action there is no such thing as', async () => {
    expect((await get(`/app/cases/${MINE}/act/NO_SUCH`, 'amira')).statusCode).toBe(404);
  });
});

describe('people in lists, to those with a reason to see them', () => {
  it('shows the named worker their cases’ people in My work, from one look-up, logged once for the list', async () => {
    const res = await get('/app', 'amira');
    expect(res.body).toContain('RC-26-0001');
    expect(res.body).toContain('Jordan Example');
    expect(res.body).toContain('born 4 March 1990');
    expect(peopleAsked).toEqual([[MINE]]);
    expect(logged).toEqual([
      expect.objectContaining({ caseId: '(list)', caseIds: [MINE], what: 'list', why: 'my work' }),
    ]);
  });

  it('shows a supervisor the team caseload with names, and another caseworker the references only', async () => {
    const sam = await get('/app/caseload', 'sam');
    expect(sam.body).toContain('Jordan Example');
    expect(sam.body).toContain('data-module="moj-sortable-table"');
    expect(sam.body).not.toContain('Sky Southern');
    expect(logged).toEqual([expect.objectContaining({ caseIds: [MINE], why: 'team caseload' })]);
    logged.length = 0;
    const other = await get('/app/caseload', 'other');
    expect(other.body).toContain('RC-26-0001');
    expect(other.body).not.toContain('Jordan Example');
    expect(other.body).toContain('Reference only');
    expect(logged).toEqual([]);
  });

  it('finds a case by name or reference, and says when the date filter is not a real date', async () => {
    // Sent in the form's body: a name never goes in an address.
    const find = (q: string) => post('/app/caseload', 'sam', { csrf: 'token-sam', q });
    expect((await find('jordan')).body).toContain('1 case match');
    expect((await find('rc-26-0001')).body).toContain('1 case match');
    expect((await find('nobody')).body).toContain('0 cases match');
    expect((await get('/app/caseload?q=jordan', 'sam')).body).not.toContain('case match');
    const bad = await get('/app/caseload?dueBy-day=31&dueBy-month=2&dueBy-year=2027', 'sam');
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Next deadline by must be a real date');
  });

  it('names the person in the case page’s identity bar only for those who need to know', async () => {
    const mine = await get(`/app/cases/${MINE}`, 'amira');
    expect(mine.body).toContain('moj-identity-bar');
    expect(mine.body).toContain('Jordan Example');
    expect(logged).toEqual([expect.objectContaining({ caseIds: [MINE], why: 'case page' })]);
    const other = await get(`/app/cases/${MINE}`, 'other');
    expect(other.body).toContain('RC-26-0001');
    expect(other.body).not.toContain('Jordan Example');
  });
});

describe('a team of 500 open cases', () => {
  const many = Array.from({ length: 499 }, (_, i) => id(1000 + i));
  beforeAll(() => {
    for (const c of many) {
      VIEWS.set(c, viewOf(c, 'north'));
      PEOPLE.set(c, [{ role: 'person', name: `Person ${c.slice(-4)}` }]);
    }
  });
  afterAll(() => {
    for (const c of many) {
      VIEWS.delete(c);
      PEOPLE.delete(c);
    }
  });

  it('is one page with every name, from one look-up and one line in the access log', async () => {
    const res = await get('/app/caseload', 'sam');
    expect(res.body.match(/<tr class="govuk-table__row">/g)).toHaveLength(501);
    expect(res.body).toContain(`Person ${many.at(-1)!.slice(-4)}`);
    expect(res.body).not.toContain('govuk-pagination');
    expect(peopleAsked).toHaveLength(1);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.caseIds).toHaveLength(500);
  });
});

describe('the team meeting agenda', () => {
  it('shows the supervisor each referral’s person and criteria in words, logged once for the agenda', async () => {
    const res = await get('/app/meeting', 'sam');
    expect(res.body).toContain('Jordan Example');
    expect(res.body).toContain('Concerns: parental mental illness, domestic abuse');
    expect(res.body).not.toContain('mentalIllness');
    expect(peopleAsked).toEqual([[MINE]]);
    expect(logged).toEqual([
      expect.objectContaining({ caseIds: [MINE], what: 'list', why: 'team meeting agenda' }),
    ]);
  });

  it('shows another caseworker the reference only, and logs nothing', async () => {
    const res = await get('/app/meeting', 'other');
    expect(res.body).toContain('RC-26-0001');
    expect(res.body).not.toContain('Jordan Example');
    expect(logged).toEqual([]);
  });
});
