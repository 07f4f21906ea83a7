import { temporal } from '@temporalio/proto';
import { CaseRefusedError } from '../client/cases';
import { devServer, harness, testKeys, type Harness } from './support/temporal';
import { caseworker, parentInfantReferral, supervisor } from './support/referrals';

let h: Harness;

beforeAll(async () => {
  const keys = testKeys();
  h = await harness(await devServer(keys), keys);
});
afterAll(async () => {
  await h?.teardown();
});

/** Polls visibility (eventually consistent) until `check` passes. */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (check(v) || i > 100) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cases on the Temporal dev server', () => {
  it("keeps a referral's personal data out of the stored history in plain text", async () => {
    const referral = parentInfantReferral({ receivedAt: new Date().toISOString() });
    const { caseId } = await h.cases.refer('parentInfant', referral, caseworker);
    await h.cases.act(caseId, {
      type: 'REFER_TO_TEAM_MEETING',
      actor: caseworker,
      reason: 'Concerns about bonding',
    });

    // Raw history straight from the server, with no codec in between.
    const raw = await h.env.connection.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: caseId },
    });
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(raw.history!).finish());
    for (const secret of [
      referral.parent.name,
      referral.parent.nhsNumber!,
      referral.referrer.contact.value,
      referral.childRef,
      'Concerns about bonding',
    ]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    expect(bytes.includes(Buffer.from('binary/encrypted'))).toBe(true);

    // Authorised readers (with the key) see the data.
    const details = await h.cases.details(caseId);
    expect((details.referral as typeof referral).parent.name).toBe(referral.parent.name);
  });

  it('a refused action leaves the history exactly as it was', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    const length = async () => (await h.env.client.workflow.getHandle(caseId).fetchHistory()).events?.length;
    const before = await length();
    await expect(
      h.cases.act(caseId, { type: 'TEAM_MEETING_DECISION', actor: supervisor, decision: 'accept' }),
    ).rejects.toThrow(CaseRefusedError);
    await expect(
      h.cases.act(caseId, { type: 'RECORD_CONTACT', actor: caseworker, kind: 'nap' }),
    ).rejects.toThrow(/Invalid RECORD_CONTACT/);
    expect(await length()).toBe(before);
  });

  it('caseloads come from search attributes: pathway, state, team and named worker', async () => {
    const team = `team-${Date.now()}`;
    const a = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
      team,
    );
    const b = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
      team,
    );
    await h.cases.act(b.caseId, { type: 'ASSIGN_WORKER', actor: supervisor, worker: 'cw-ola' });
    await h.cases.act(b.caseId, { type: 'REFER_TO_TEAM_MEETING', actor: caseworker });

    const awaiting = await eventually(
      () => h.cases.caseload({ team, state: 'awaitingTeamMeeting' }),
      (rows) => rows.length === 1,
    );
    expect(awaiting.map((r) => r.caseId)).toEqual([b.caseId]);
    expect(awaiting[0]).toMatchObject({ pathway: 'parentInfant', namedWorker: 'cw-ola', open: true });
    expect(awaiting[0]?.nextDeadline).toBeDefined();

    const all = await eventually(
      () => h.cases.caseload({ team }),
      (rows) => rows.length === 2,
    );
    expect(all.map((r) => r.caseId).sort()).toEqual([a.caseId, b.caseId].sort());
    expect(await h.cases.caseload({ team, namedWorker: 'cw-ola' })).toHaveLength(1);
  });
});
