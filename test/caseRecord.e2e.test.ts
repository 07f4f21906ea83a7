import { bearer, workspaceAs } from './support/auth';
import { realClock } from './support/clock';
import { parentInfantReferral } from './support/referrals';
import { serviceEnv, startService, tokensFor, type RunningService } from './support/service';

// The case record through the API of the running service: notes and who reads them, the
// chronology, transfers between teams and what each team then sees, and reopening.

let service: RunningService;

beforeAll(async () => {
  service = await startService(await serviceEnv());
}, 180_000);

afterAll(async () => {
  await service?.interrupt();
});

const call = async (who: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: bearer(await tokensFor(service).staff(who)),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
};
const act = (who: string, caseId: string, body: Record<string, unknown>) =>
  call(who, 'POST', `/cases/${caseId}/actions`, body);
const reason = 'reading the record for the visit';
const q = (s: string) => encodeURIComponent(s);

async function refer(): Promise<string> {
  const created = await call('cw-amira', 'POST', '/cases', {
    pathway: 'parentInfant',
    referral: parentInfantReferral({ receivedAt: realClock().now }),
  });
  expect(created.status).toBe(201);
  return created.body.caseId as string;
}

const noteIds = async (who: string, caseId: string) => {
  const details = await call(who, 'GET', `/cases/${caseId}/details?reason=${q(reason)}`);
  expect(details.status).toBe(200);
  return (details.body.notes as { noteType: string; restricted: boolean }[]).map(
    (n) => `${n.noteType}${n.restricted ? ' (restricted)' : ''}`,
  );
};

describe('case notes', () => {
  it('reach those who need to know; a restricted one only its author and the supervisors', async () => {
    const caseId = await refer();
    const note = { type: 'NOTE_RECORDED', happenedAt: realClock().now, text: 'Seen at home.' };
    expect((await act('cw-amira', caseId, { ...note, noteType: 'homeVisit' })).status).toBe(200);
    expect((await act('cw-amira', caseId, { ...note, noteType: 'phoneCall', restricted: true })).status).toBe(
      200,
    );
    expect(await noteIds('cw-amira', caseId)).toEqual(['homeVisit', 'phoneCall (restricted)']);
    expect(await noteIds('sup-jo', caseId)).toEqual(['homeVisit', 'phoneCall (restricted)']);
    // Another intake caseworker of the team, while no worker is named: the open note only.
    expect(await noteIds('cw-ola', caseId)).toEqual(['homeVisit']);
    const timeline = await call('cw-ola', 'GET', `/cases/${caseId}/timeline?reason=${q(reason)}`);
    const texts = (
      timeline.body as unknown as { type: string; data?: { text?: string; withheld?: boolean } }[]
    )
      .filter((e) => e.type === 'NOTE_RECORDED')
      .map((e) => e.data?.text ?? (e.data?.withheld ? 'withheld' : 'none'));
    expect(texts).toEqual(['Seen at home.', 'withheld']);
    // Once a worker is named, the other caseworker may neither read nor write the record.
    expect((await act('sup-jo', caseId, { type: 'ASSIGN_WORKER', worker: 'cw-amira' })).status).toBe(200);
    expect((await call('cw-ola', 'GET', `/cases/${caseId}/details?reason=${q(reason)}`)).status).toBe(403);
    const refused = await act('cw-ola', caseId, { ...note, noteType: 'homeVisit' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/may write to this case's record/);
  });

  it('are amended as versions and signed off by a supervisor; the chronology shows the significant ones', async () => {
    const caseId = await refer();
    await act('cw-amira', caseId, {
      type: 'NOTE_RECORDED',
      eventId: 'visit-note-0001',
      noteType: 'homeVisit',
      happenedAt: realClock().now,
      text: 'Seen at home.',
      significant: true,
    });
    const noteId = 'c:cw-amira:visit-note-0001';
    const unexplained = await act('cw-amira', caseId, {
      type: 'NOTE_AMENDED',
      noteId,
      text: 'Seen at home, twice.',
    });
    expect(unexplained.status).toBe(409);
    expect(unexplained.body.detail).toMatch(/an amendment says why the note is changed/);
    expect(unexplained.body.state).toBe('screening');
    expect(
      (
        await act('cw-amira', caseId, {
          type: 'NOTE_AMENDED',
          noteId,
          text: 'Seen at home, twice.',
          reason: 'two visits',
        })
      ).status,
    ).toBe(200);
    expect((await act('cw-amira', caseId, { type: 'NOTE_SIGNED_OFF', noteId })).status).toBe(403);
    expect((await act('sup-jo', caseId, { type: 'NOTE_SIGNED_OFF', noteId })).status).toBe(200);
    await act('cw-amira', caseId, {
      type: 'DETAILS_CORRECTED',
      person: 'parent',
      field: 'address',
      value: '3 Mill Lane, Aylesbury HP20 1AA',
      reason: 'moved house',
    });
    const chronology = await call(
      'cw-amira',
      'GET',
      `/cases/${caseId}/chronology?reason=${q(reason)}&order=oldest`,
    );
    expect(chronology.status).toBe(200);
    const entries = chronology.body as unknown as {
      type: string;
      note?: { versions: unknown[]; signedOff?: unknown };
    }[];
    expect(entries.map((e) => e.type)).toEqual(['REFERRAL_RECEIVED', 'homeVisit', 'DETAILS_CORRECTED']);
    expect(entries[1]!.note).toEqual(
      expect.objectContaining({
        versions: [expect.anything(), expect.anything()],
        signedOff: expect.anything(),
      }),
    );
  });
});

describe('a transfer to another team', () => {
  it("is answered by the other team's supervisor; then the case and its details are theirs, not the old team's", async () => {
    const caseId = await refer();
    const toBsol = {
      type: 'TRANSFER_REQUESTED',
      toTeam: 'bsol-reconnect',
      reason: 'the family moved to Solihull',
    };
    expect((await act('cw-amira', caseId, toBsol)).status).toBe(403);
    expect((await act('sup-jo', caseId, toBsol)).status).toBe(200);
    const offered = await call('sup-kim', 'GET', '/cases?offered=true');
    expect(
      (offered.body as unknown as { caseId: string; transferTo: string }[]).map((r) => r.caseId),
    ).toContain(caseId);
    // The team offered it sees the case (its reference and state), not its details, until it accepts.
    expect((await call('sup-kim', 'GET', `/cases/${caseId}`)).status).toBe(200);
    expect((await call('sup-kim', 'GET', `/cases/${caseId}/details?reason=${q(reason)}`)).status).toBe(403);
    expect((await act('cw-ben', caseId, { type: 'TRANSFER_ACCEPTED' })).status).toBe(403);
    const ownTeam = await act('sup-jo', caseId, { type: 'TRANSFER_ACCEPTED' });
    expect(ownTeam.status).toBe(403);
    expect(ownTeam.body.detail).toMatch(/team the case is offered to/);
    const accepted = await act('sup-kim', caseId, { type: 'TRANSFER_ACCEPTED' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual(expect.objectContaining({ team: 'bsol-reconnect' }));
    expect(accepted.body.transfer).toBeUndefined();
    expect((await call('sup-kim', 'GET', `/cases/${caseId}/details?reason=${q(reason)}`)).status).toBe(200);
    expect((await call('cw-amira', 'GET', `/cases/${caseId}`)).status).toBe(403);
    expect((await call('sup-jo', 'GET', `/cases/${caseId}/details?reason=${q(reason)}`)).status).toBe(403);
    const kims = await call('sup-kim', 'GET', '/cases?offered=true');
    expect((kims.body as unknown as { caseId: string }[]).map((r) => r.caseId)).not.toContain(caseId);
  });
});

describe('reopening', () => {
  it('opens a closed case again as a linked re-referral of the same team, and refuses an open one', async () => {
    const caseId = await refer();
    const open = await call('sup-jo', 'POST', `/cases/${caseId}/reopen`, { reason: 'asked for help again' });
    expect(open.status).toBe(409);
    expect(open.body.detail).toMatch(/still open/);
    expect((await act('sup-jo', caseId, { type: 'CLOSE', closureReason: 'withdrewConsent' })).status).toBe(
      200,
    );
    const reopened = await call('sup-jo', 'POST', `/cases/${caseId}/reopen`, {
      reason: 'asked for help again',
    });
    expect(reopened.status).toBe(201);
    expect(reopened.body).toEqual(
      expect.objectContaining({ previousCaseId: caseId, team: 'bucks-reconnect', open: true }),
    );
    expect(reopened.body.reference).toMatch(/^PI-\d{2}-\d{4,}$/);
  });

  it('is a page for the named worker or a supervisor of the team: a reason, then the new case', async () => {
    const caseId = await refer();
    await act('sup-jo', caseId, { type: 'CLOSE', closureReason: 'withdrewConsent' });
    const browser = await workspaceAs(service, 'sup-jo');
    const form = await browser.go(`${service.baseUrl}/app/cases/${caseId}/reopen`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('Why the case is reopened');
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const post = (fields: Record<string, string>) =>
      browser.go(`${service.baseUrl}/app/cases/${caseId}/reopen`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, ...fields }).toString(),
      });
    const empty = await post({ reason: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter why the case is reopened');
    const sent = await post({ reason: 'the parent asked for help again' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(
      /^\/app\/cases\/parentInfant-[0-9a-f-]+\?done=REFERRAL_RECEIVED$/,
    );
    const other = await workspaceAs(service, 'cw-ben');
    expect((await other.go(`${service.baseUrl}/app/cases/${caseId}/reopen`)).status).toBe(403);
  });
});
