import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Caller } from '../auth/caller';
import type { Sessions } from '../auth/session';
import { CaseRefusedError, type CaseClient, type CaseloadRow } from '../client/cases';
import type { CaseView, TimelineEntry } from '../contract/case';
import type { AccessEntry, AccessLog } from '../store/accessLog';
import type { PersonDetails } from '../store/people';
import { registerWorkspace as registerPages } from './workspace';

/** The case record's pages on their own, on a loopback port: a fake case client and sessions. */

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

const acted: Record<string, unknown>[] = [];
const signedOff: Record<string, unknown>[] = [];
const indexed: { caseId: string; people: PersonDetails[] }[] = [];
const NOTE = {
  id: 'n1',
  noteType: 'homeVisit',
  happenedAt: '2026-11-03T09:30:00Z',
  recordedAt: '2026-11-03T12:00:00Z',
  author: 'amira',
  present: ['Jordan', 'Amira'],
  significant: true,
  restricted: false,
  versions: [
    { text: 'Visited at home.', at: '2026-11-03T12:00:00Z', by: 'amira' },
    { text: 'Visited at home; all well.', at: '2026-11-04T12:00:00Z', by: 'amira', reason: 'typo' },
  ],
};
const SECRET = {
  ...NOTE,
  id: 'n2',
  author: 'other',
  restricted: true,
  versions: [{ text: 'Secret words', at: '2026-11-03T12:00:00Z', by: 'other' }],
};
const DETAILS = {
  referral: { person: { name: 'Jordan Newname', dateOfBirth: '1990-03-04' }, referrer: { name: 'Rosa' } },
  notes: [NOTE, SECRET],
  corrections: [
    {
      person: 'person',
      field: 'name',
      value: 'Jordan Newname',
      previous: 'Jordan Example',
      at: '2026-11-05T10:00:00Z',
      by: 'amira',
      reason: 'spelt wrongly',
    },
  ],
  transfers: [],
};
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
        index: async (caseId: string, people: PersonDetails[]) => void indexed.push({ caseId, people }),
        // No facts placed: every case a list shows is asked for by id.
        peopleOfTeams: async () => new Map(),
        people: async (ids: readonly string[]) => {
          peopleAsked.push([...ids]);
          return new Map([...PEOPLE].filter(([k]) => ids.includes(k)));
        },
        find: async () => [
          { caseId: MINE, role: 'person', on: ['birthAndFamilyName'] },
          { caseId: SOUTH, role: 'person', on: ['birthAndFamilyName'] },
        ],
      },
      references: {
        many: async (ids: readonly string[]) => new Map(ids.map((i) => [i, VIEWS.get(i)!.reference!])),
      },
      oversight: {
        subjectsOf: async (caseId: string) => {
          const v = VIEWS.get(caseId);
          return v && { caseId, pathway: v.pathway, team: v.team, closedOn: '2026-11-20' };
        },
        signOffs: async () => signedOff,
        signOff: async (caseId: string, subject: string, by: string) => {
          const s = { caseId, subject, signedBy: by, signedAt: '2026-11-21T10:00:00Z', hasNote: false };
          signedOff.push(s);
          return s;
        },
        awaiting: async (teams: string[]) =>
          [...VIEWS.values()]
            .filter((v) => teams.includes(v.team))
            .map((v) => ({
              caseId: v.caseId,
              pathway: v.pathway,
              team: v.team,
              subject: 'closure',
              since: '2026-11-20',
            })),
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
  details: async () => DETAILS,
  agenda: async () => ({ meetings: [], unreadable: [] }),
  act: async (caseId: string, command: { type: string }) => {
    acted.push({ caseId, ...command });
    if (command.type === 'NOTE_SIGNED_OFF')
      throw new CaseRefusedError('notAllowed', 'the note was signed off by sam already');
    return VIEWS.get(caseId);
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
  acted.length = 0;
  signedOff.length = 0;
  indexed.length = 0;
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

const form = (f: Record<string, string>) => ({
  csrf: 'token-amira',
  eventId: '11111111-1111-4111-8111-111111111111',
  ...f,
});

describe('case notes', () => {
  it('lists the notes the caller may read, logged as a read of the details', async () => {
    const res = await get(`/app/cases/${MINE}/notes`, 'amira');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Home visit, 3 November 2026, 09:30');
    expect(res.body).toContain('Visited at home; all well.');
    expect(res.body).toContain('Amended');
    expect(res.body).not.toContain('Secret words');
    expect(logged).toEqual([expect.objectContaining({ caseId: MINE, what: 'details', why: 'case notes' })]);
  });

  it('shows a restricted note to the team’s supervisor', async () => {
    expect((await get(`/app/cases/${MINE}/notes`, 'sam')).body).toContain('Secret words');
  });

  it('is refused for another team’s case', async () => {
    expect((await get(`/app/cases/${SOUTH}/notes`, 'amira')).statusCode).toBe(403);
    expect(logged).toEqual([]);
  });

  it('shows an empty note form’s errors in a summary and inline', async () => {
    const res = await post(`/app/cases/${MINE}/notes/new`, 'amira', form({}));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select type of note');
    expect(res.body).toContain('Select yes or no for “Show this note in the chronology?”');
    expect(acted).toEqual([]);
  });

  it('records a note with its time from the date and time inputs', async () => {
    const res = await post(
      `/app/cases/${MINE}/notes/new`,
      'amira',
      form({
        noteType: 'homeVisit',
        'happenedAt-day': '3',
        'happenedAt-month': '11',
        'happenedAt-year': '2026',
        'happenedAt-time': '09:30',
        present: 'Jordan\nAmira',
        text: 'Visited.',
        significant: 'yes',
        restricted: 'no',
      }),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/app/cases/${MINE}/notes?done=NOTE_RECORDED`);
    expect(acted).toEqual([
      expect.objectContaining({
        type: 'NOTE_RECORDED',
        noteType: 'homeVisit',
        happenedAt: '2026-11-03T09:30:00Z',
        present: ['Jordan', 'Amira'],
        significant: true,
        restricted: false,
        eventId: 'c:amira:11111111-1111-4111-8111-111111111111',
        actor: { id: 'amira', role: 'caseworker' },
      }),
    ]);
  });

  it('shows one note with its versions, asks why for an amendment, and offers sign-off to the supervisor only', async () => {
    const mine = await get(`/app/cases/${MINE}/notes/n1`, 'amira');
    expect(mine.body).toContain('Version 2');
    expect(mine.body).toContain('typo');
    expect(mine.body).not.toContain('Sign off this note');
    expect((await get(`/app/cases/${MINE}/notes/n1`, 'sam')).body).toContain('Sign off this note');
    const noReason = await post(`/app/cases/${MINE}/notes/n1`, 'amira', form({ text: 'New words' }));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why you are changing the note');
    expect((await get(`/app/cases/${MINE}/notes/n9`, 'amira')).statusCode).toBe(404);
  });

  it('shows a refusal of a sign-off in words', async () => {
    const res = await post(`/app/cases/${MINE}/notes/n1/sign-off`, 'sam', form({ csrf: 'token-sam' }));
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('signed off by sam already');
  });
});

describe('the chronology', () => {
  it('shows the events and significant notes in the MoJ timeline, logged as a timeline read', async () => {
    const res = await get(`/app/cases/${MINE}/chronology`, 'amira');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('moj-timeline__item');
    expect(res.body).toContain('Home visit (case note)');
    expect(logged).toEqual([expect.objectContaining({ what: 'timeline', why: 'chronology' })]);
  });

  it('says when a date in the filter is not real', async () => {
    const res = await get(`/app/cases/${MINE}/chronology?from-day=31&from-month=2&from-year=2026`, 'amira');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The start date must be a real date');
  });

  it('prints the chosen entries with the people’s names and dates of birth', async () => {
    const res = await get(`/app/cases/${MINE}/chronology/print?only=n1`, 'amira');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Jordan Newname, born 4 March 1990');
    expect(res.body).toContain('Home visit (case note)');
    expect(res.body).not.toContain('govuk-service-navigation');
    expect(res.body).toContain('/assets/print.css');
  });
});

describe('corrections and the history of changes', () => {
  it('shows each change with the value before, who, when and why', async () => {
    const res = await get(`/app/cases/${MINE}/record`, 'amira');
    expect(res.body).toContain('History of changes');
    expect(res.body).toContain('Jordan Example');
    expect(res.body).toContain('spelt wrongly');
  });

  it('asks for a reason, and sends a date of birth written as a UK date', async () => {
    const none = await post(
      `/app/cases/${MINE}/details/correct`,
      'amira',
      form({ person: 'person', field: 'address', value: '1 Road' }),
    );
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Enter why you are correcting the detail');
    const res = await post(
      `/app/cases/${MINE}/details/correct`,
      'amira',
      form({ person: 'person', field: 'dateOfBirth', value: '4 3 1991', reason: 'birth certificate' }),
    );
    expect(res.statusCode).toBe(303);
    expect(acted).toEqual([
      expect.objectContaining({
        type: 'DETAILS_CORRECTED',
        field: 'dateOfBirth',
        value: '1991-03-04',
        reason: 'birth certificate',
      }),
    ]);
    // Found by the person search as they now stand.
    expect(indexed).toEqual([
      { caseId: MINE, people: [expect.objectContaining({ role: 'person', name: 'Jordan Newname' })] },
    ]);
  });
});

describe('transfers', () => {
  it('are asked by a supervisor of the case’s team only', async () => {
    expect((await get(`/app/cases/${MINE}/transfer`, 'amira')).statusCode).toBe(403);
    const res = await post(
      `/app/cases/${MINE}/transfer`,
      'sam',
      form({ csrf: 'token-sam', toTeam: 'not a team!' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the team’s id');
    expect(res.body).toContain('Enter why the case moves');
  });

  it('has no answer page when nothing is offered', async () => {
    expect((await get(`/app/cases/${MINE}/transfer/answer`, 'sam')).statusCode).toBe(409);
  });
});

describe('the person search', () => {
  it('needs an NHS number, or a name and date of birth, and a reason', async () => {
    const res = await post('/app/people', 'amira', form({}));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter an NHS number, or a name and date of birth');
    expect(res.body).toContain('Enter why you are looking');
  });
});

describe('the person search’s matches', () => {
  it('lists the cases the caller may see and says only that there is another, logged with the reason', async () => {
    const res = await post(
      '/app/people',
      'amira',
      form({
        name: 'Jordan Example',
        'dateOfBirth-day': '4',
        'dateOfBirth-month': '3',
        'dateOfBirth-year': '1990',
        reason: 'before a visit',
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`/app/cases/${MINE}`);
    expect(res.body).toContain(VIEWS.get(MINE)!.reference);
    expect(res.body).toContain('A possible match was found in a case you cannot see. Ask your supervisor.');
    expect(res.body).not.toContain(SOUTH);
    expect(res.body).not.toContain(VIEWS.get(SOUTH)!.reference);
    expect(logged).toEqual([
      expect.objectContaining({ what: 'person-search', why: 'before a visit', caseIds: [MINE, SOUTH] }),
    ]);
  });
});

describe('management oversight', () => {
  it('lets a supervisor of the team sign off a closure, once, and nobody else', async () => {
    expect((await get(`/app/cases/${MINE}/oversight`, 'amira')).body).not.toContain('Sign off the closure');
    const refused = await post(`/app/cases/${MINE}/oversight`, 'amira', form({ subject: 'closure' }));
    expect(refused.statusCode).toBe(403);
    expect((await get(`/app/cases/${MINE}/oversight`, 'sam')).body).toContain('Sign off the closure');
    const res = await post(
      `/app/cases/${MINE}/oversight`,
      'sam',
      form({ csrf: 'token-sam', subject: 'closure' }),
    );
    expect(res.statusCode).toBe(303);
    expect(signedOff).toEqual([
      expect.objectContaining({ caseId: MINE, subject: 'closure', signedBy: 'sam' }),
    ]);
    const after = await get(`/app/cases/${MINE}/oversight`, 'sam');
    expect(after.body).toContain('Signed off by sam');
    expect(after.body).not.toContain('Sign off the closure');
  });

  it('lists what awaits a supervisor’s sign-off on their teams, on its page and on My work', async () => {
    const list = await get('/app/oversight', 'sam');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(VIEWS.get(MINE)!.reference);
    expect(list.body).not.toContain(VIEWS.get(SOUTH)!.reference);
    expect((await get('/app', 'sam')).body).toContain('Awaiting your sign-off (1)');
    expect((await get('/app/oversight', 'amira')).statusCode).toBe(403);
  });
});
