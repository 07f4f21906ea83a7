import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SA } from '../contract/searchAttributes';
import { actUpdate, reportSignal } from '../contract/messages';
import { EncryptionCodec } from '../security/codec';
import { caseDataConverter } from '../security/dataConverter';
import { loadOrCreateKeyFile, type KeyRing } from '../security/keys';
import { bearer, workspaceAs } from './support/auth';
import { custodyReferral } from './support/custodyReferrals';
import { parentInfantReferral } from './support/referrals';
import { realClock } from './support/clock';
import {
  accessHistory,
  rawTemporalClient,
  serviceEnv,
  startService,
  tokensFor,
  type RunningService,
} from './support/service';

// The side doors around the API: the codec endpoint, commands and reports sent straight to
// Temporal, a report no key opens, and a case ended outside the service, each against the
// running service, with what an intruder on Temporal's network has (a client with no codec).

let service: RunningService;
let raw: Client;
const t = {} as Record<'amira' | 'ola' | 'ben' | 'jo' | 'kim' | 'admin', string>;

const receivedAt = realClock().now;
const NAMESPACE = 'default';

beforeAll(async () => {
  service = await startService(await serviceEnv({ RATE_LIMIT_WRITES_PER_MINUTE: '100000' }));
  const tokens = tokensFor(service);
  [t.amira, t.ola, t.ben, t.jo, t.kim, t.admin] = await Promise.all([
    tokens.staff('cw-amira'),
    tokens.staff('cw-ola'),
    tokens.staff('cw-ben'),
    tokens.staff('sup-jo'),
    tokens.staff('sup-kim'),
    tokens.staff('admin-sam'),
  ]);
  raw = await rawTemporalClient(service);
}, 180_000);

afterAll(async () => {
  await raw?.connection.close();
  await service?.interrupt();
});

async function call(method: string, path: string, token: string, body?: unknown, headers = {}) {
  const res = await fetch(service.baseUrl + path, {
    method,
    headers: { ...bearer(token), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** A case referred by `token`'s holder into their own team. */
async function refer(token: string): Promise<string> {
  const res = await call('POST', '/cases', token, {
    pathway: 'reconnect',
    referral: custodyReferral({ receivedAt }),
  });
  expect(res.status).toBe(201);
  return res.json().caseId as string;
}

const act = (caseId: string, token: string, action: object) =>
  call('POST', `/cases/${caseId}/actions`, token, action);

/** What the service's own key ring holds: whoever has it has everything the workers have. */
function serviceKeys(): KeyRing {
  const file = service.env.KEYS_FILE ?? join(service.env.DATA_DIR!, 'keys.json');
  expect(existsSync(file)).toBe(true);
  return loadOrCreateKeyFile(file);
}

async function keyedClient(): Promise<Client> {
  return new Client({ connection: raw.connection, dataConverter: caseDataConverter(serviceKeys()) });
}

const history = async (caseId: string) => (await raw.workflow.getHandle(caseId).fetchHistory()).events ?? [];

async function startInput(caseId: string): Promise<Payload> {
  const [started] = await history(caseId);
  return started!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
}

/** The Web UI's codec format. */
const forUi = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const decode = (token: string, payloads: Payload[], headers: Record<string, string> = {}) =>
  call('POST', '/codec/decode', token, { payloads: payloads.map(forUi) }, headers);

type Entry = { type: string; eventId: string; actor: { id: string }; data?: Record<string, unknown> };

/** The case's timeline as its supervisor reads it; a case that cannot answer fails the test. */
async function timeline(caseId: string, token = t.jo): Promise<Entry[]> {
  const res = await call('GET', `/cases/${caseId}/timeline`, token);
  expect({ caseId, status: res.status }).toEqual({ caseId, status: 200 });
  return res.json() as unknown as Entry[];
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function rawSignal(caseId: string, payload: Payload): Promise<void> {
  await raw.workflowService.signalWorkflowExecution({
    namespace: NAMESPACE,
    workflowExecution: { workflowId: caseId },
    signalName: 'report',
    input: { payloads: [payload] },
    identity: 'intruder',
    requestId: randomUUID(),
  });
}

/** An update sent with payloads exactly as given: accepted, or rejected with its message. */
async function rawUpdate(caseId: string, payloads: Payload[]): Promise<string> {
  const res = await raw.workflowService.updateWorkflowExecution({
    namespace: NAMESPACE,
    workflowExecution: { workflowId: caseId },
    request: {
      meta: { updateId: randomUUID(), identity: 'intruder' },
      input: { name: 'act', args: { payloads } },
    },
    waitPolicy: {
      lifecycleStage:
        temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage
          .UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
    },
  });
  return res.outcome?.failure ? `rejected: ${res.outcome.failure.message}` : 'accepted';
}

describe('finding 1: /codec/decode is scoped like every other read', () => {
  it('decodes a case’s payloads only for a supervisor who needs to know it, with her own reason, logged against the case', async () => {
    const bucks = await refer(t.amira);
    const bsol = await refer(t.ben);
    const input = await startInput(bucks);
    const uiOrigin = `http://127.0.0.1:${service.env.TEMPORAL_UI_PORT}`;

    // Another team's supervisor: refused, as GET /cases/:id refuses her.
    expect((await call('GET', `/cases/${bucks}`, t.kim)).status).toBe(403);
    const kim = await decode(t.kim, [input], { 'x-access-reason': 'looking into a stuck case' });
    expect(kim.status).toBe(403);
    expect(kim.text).not.toContain('Sam Leaver');

    // The Web UI's origin is not a reason: the reason is always the caller's own.
    const fromUi = await decode(t.jo, [input], { origin: uiOrigin });
    expect(fromUi.status).toBe(400);
    expect(fromUi.text).not.toContain('Sam Leaver');

    // Her own team's supervisor, with her reason: the plain payload, logged against the case.
    const jo = await decode(t.jo, [input], { 'x-access-reason': 'checking the referral' });
    expect(jo.status).toBe(200);
    const [plain] = jo.json().payloads as { data: string }[];
    expect(Buffer.from(plain!.data, 'base64').toString()).toContain('Sam Leaver');
    expect((await accessHistory(service, bucks)).filter((l) => l.what === 'codec-decode')).toEqual([
      expect.objectContaining({
        caseId: bucks,
        why: 'checking the referral',
        who: expect.objectContaining({ id: 'sup-jo' }),
      }),
    ]);

    // The case a payload names cannot be swapped for one she may read: it no longer decrypts.
    const named = Object.keys(input.metadata ?? {}).find(
      (k) => Buffer.from(input.metadata![k]!).toString() === bucks,
    );
    expect(named).toBeDefined();
    const swapped = { ...input, metadata: { ...input.metadata, [named!]: Buffer.from(bsol) } };
    const kimSwapped = await decode(t.kim, [swapped], { 'x-access-reason': 'looking into a stuck case' });
    expect(kimSwapped.status).toBeGreaterThanOrEqual(400);
    expect(kimSwapped.status).toBeLessThan(500);
    expect(kimSwapped.text).not.toContain('Sam Leaver');

    // A payload that names no case (written before payloads named theirs) is decoded for nobody.
    const [unnamed] = await new EncryptionCodec(serviceKeys()).encode([
      defaultPayloadConverter.toPayload({ person: { name: 'Sam Leaver' } }),
    ]);
    const old = await decode(t.jo, [unnamed!], { 'x-access-reason': 'reading an old history' });
    expect(old.status).toBe(403);
    expect(old.json().detail).toMatch(/names no case/);
    // Administrators see every team's cases but no personal data, here as everywhere.
    expect((await decode(t.admin, [input], { 'x-access-reason': 'reading an old history' })).status).toBe(
      403,
    );
  });
});

describe('finding 2: nothing from outside the service’s own client is a command', () => {
  it('has no encode endpoint, and a case refuses an update or a report that its client did not issue', async () => {
    expect((await call('POST', '/codec/encode', t.admin, { payloads: [] })).status).toBe(404);

    const bsol = await refer(t.ben);
    const before = (await call('GET', `/cases/${bsol}`, t.kim)).json();
    const keyed = await keyedClient();
    const handle = keyed.workflow.getHandle(bsol);
    // Encrypted with the service's own key, without the access argument: not issued, refused.
    const close = {
      type: 'CLOSE',
      closureReason: 'other',
      note: 'closed from outside the service',
      eventId: 'outside-1',
      actor: { id: 'sup-kim', role: 'supervisor' },
    };
    const refused = await handle.executeUpdate(actUpdate, { args: [close], updateId: 'outside-1' }).then(
      () => 'accepted',
      (err: { cause?: { message?: string } }) => err.cause?.message,
    );
    expect(refused).toMatch(/not issued by the service's own API or client/);
    await handle.signal(reportSignal, {
      type: 'REMOVED_FROM_UK',
      eventId: 'outside-2',
      actor: { id: 'home-office', role: 'system' },
    });
    const entries = await until(
      () => timeline(bsol, t.kim),
      (e) => e.some((x) => x.type === 'REPORT_REFUSED'),
    );
    expect(entries.at(-1)).toMatchObject({ type: 'REPORT_REFUSED', actor: { id: 'unknown' } });
    const after = (await call('GET', `/cases/${bsol}`, t.kim)).json();
    expect(after).toMatchObject({ open: true, state: before.state });
    expect(after.closure).toBeUndefined();

    // An update copied out of another case's history does not act on this one.
    const bucks = await refer(t.amira);
    expect((await act(bucks, t.jo, { type: 'ASSIGN_WORKER', worker: 'cw-amira' })).status).toBe(200);
    const accepted = (await history(bucks)).find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!;
    const [command] = accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!
      .payloads! as Payload[];
    expect(await rawUpdate(bsol, [command!])).toMatch(/^rejected/);
    expect((await call('GET', `/cases/${bsol}`, t.kim)).json()).toMatchObject({ open: true });
    expect((await call('GET', `/cases/${bsol}`, t.kim)).json().namedWorker).toBeUndefined();
  });
});

describe('finding 3: one message never wedges a case, and one case never takes a page down', () => {
  it('refuses a report under a key it does not hold, records it on the case, and the case goes on', async () => {
    const id = await refer(t.amira);
    expect((await act(id, t.jo, { type: 'ASSIGN_WORKER', worker: 'cw-ola' })).status).toBe(200);
    await rawSignal(id, {
      metadata: {
        encoding: Buffer.from('binary/encrypted'),
        'encryption-key-id': Buffer.from('k-nobody-has'),
      },
      data: randomBytes(64),
    });
    const entries = await until(
      () => timeline(id),
      (e) => e.some((x) => x.type === 'REPORT_REFUSED'),
    );
    expect(entries.at(-1)).toMatchObject({ type: 'REPORT_REFUSED' });
    expect((await call('GET', `/cases/${id}`, t.jo)).status).toBe(200);
    expect((await act(id, t.jo, { type: 'ASSIGN_WORKER', worker: 'cw-amira' })).status).toBe(200);
    const ola = await workspaceAs(service, 'cw-ola');
    expect((await ola.go(`${service.baseUrl}/app`)).status).toBe(200);
  });

  it('shows My work and the caseload around a case that cannot be read, and says one could not be read', async () => {
    const readable = await refer(t.amira);
    expect((await act(readable, t.jo, { type: 'ASSIGN_WORKER', worker: 'cw-ola' })).status).toBe(200);
    // A case an intruder started with an input no key opens: its every workflow task fails.
    const broken = `reconnect-${randomUUID()}`;
    await raw.workflow.start('caseWorkflow', {
      workflowId: broken,
      taskQueue: 'cases',
      args: [{ pathway: 'reconnect' }],
      typedSearchAttributes: [
        { key: SA.pathway, value: 'reconnect' },
        { key: SA.state, value: 'assessment' },
        { key: SA.open, value: true },
        { key: SA.team, value: 'bucks-reconnect' },
        { key: SA.namedWorker, value: 'cw-ola' },
      ],
    });
    const ola = await workspaceAs(service, 'cw-ola');
    const myWork = await ola.go(`${service.baseUrl}/app`);
    const html = await myWork.text();
    expect(myWork.status).toBe(200);
    expect(html).toContain(`/app/cases/${readable}`);
    expect(html).toMatch(/1 of your cases could not be read/);
    const jo = await workspaceAs(service, 'sup-jo');
    const caseload = await jo.go(`${service.baseUrl}/app/caseload`);
    expect(caseload.status).toBe(200);
    expect(await caseload.text()).toContain(readable);

    // The team meeting's agenda likewise: the waiting referral shows, the broken one is counted.
    const opened = await call('POST', '/cases', t.amira, {
      pathway: 'parentInfant',
      referral: parentInfantReferral({ receivedAt }),
    });
    expect(opened.status).toBe(201);
    const waiting = opened.json().caseId as string;
    const sent = await act(waiting, t.amira, { type: 'REFER_TO_TEAM_MEETING', reason: 'For the team' });
    expect(sent.status).toBe(200);
    await raw.workflow.start('caseWorkflow', {
      workflowId: `parentInfant-${randomUUID()}`,
      taskQueue: 'cases',
      args: [{ pathway: 'parentInfant' }],
      typedSearchAttributes: [
        { key: SA.pathway, value: 'parentInfant' },
        { key: SA.state, value: 'awaitingTeamMeeting' },
        { key: SA.open, value: true },
        { key: SA.team, value: 'bucks-reconnect' },
      ],
    });
    const meeting = await until(
      async () => {
        const res = await jo.go(`${service.baseUrl}/app/meeting`);
        return { status: res.status, html: await res.text() };
      },
      (m) => m.status !== 200 || /could not be read/.test(m.html),
    );
    expect(meeting.status).toBe(200);
    expect(meeting.html).toContain(`/app/cases/${waiting}`);
    expect(meeting.html).toMatch(/1 referral waiting for the meeting could not be read/);
  });
});

describe('finding 8 (part): closing needs need-to-know, and a case ended in Temporal reads as ended', () => {
  it('refuses to let a same-team caseworker who is not the named worker close a colleague’s case', async () => {
    const id = await refer(t.amira);
    expect((await act(id, t.jo, { type: 'ASSIGN_WORKER', worker: 'cw-amira' })).status).toBe(200);
    expect((await call('GET', `/cases/${id}/details?reason=curious`, t.ola)).status).toBe(403);
    const closing = await act(id, t.ola, { type: 'CLOSE', closureReason: 'disengaged' });
    expect(closing.status).toBe(403);
    expect((await call('GET', `/cases/${id}`, t.jo)).json()).toMatchObject({ open: true });
    // Her named worker may.
    expect((await act(id, t.amira, { type: 'CLOSE', closureReason: 'disengaged' })).status).toBe(200);
  });

  it('shows a case terminated in Temporal as ended, in the API, its timeline, the caseload and its page', async () => {
    const id = await refer(t.amira);
    await raw.workflow.getHandle(id).terminate('ended from the Temporal command line');
    const view = (await call('GET', `/cases/${id}`, t.jo)).json();
    expect(view).toMatchObject({
      open: false,
      allowedActions: [],
      deadlines: [],
      ended: { status: 'terminated' },
    });
    const entries = await timeline(id);
    expect(entries.at(-1)).toMatchObject({
      type: 'ENDED_OUTSIDE_THE_SERVICE',
      data: { status: 'terminated' },
    });
    const open = (await call('GET', '/cases?open=true', t.jo)).json() as unknown as { caseId: string }[];
    expect(open.map((r) => r.caseId)).not.toContain(id);
    const ended = (await call('GET', '/cases?open=false', t.jo)).json() as unknown as {
      caseId: string;
      open: boolean;
    }[];
    expect(ended.find((r) => r.caseId === id)).toMatchObject({ open: false });
    expect((await act(id, t.jo, { type: 'ASSIGN_WORKER', worker: 'cw-ola' })).status).toBe(409);
    const jo = await workspaceAs(service, 'sup-jo');
    const page = await (await jo.go(`${service.baseUrl}/app/cases/${id}`)).text();
    expect(page).toMatch(/Ended in Temporal, outside the service/);
  });
});
