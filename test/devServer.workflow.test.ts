import { temporal } from '@temporalio/proto';
import { shippedHolidays } from '../calendar/holidays';
import { CaseClient, CaseRefusedError } from '../client/cases';
import type { CaseView } from '../contract/case';
import { custodyReferral, enhancedReferral } from './support/custodyReferrals';
import { frontDoorReferralSample } from './support/sampleEvents';
import { realClock } from './support/clock';
import { useHarness } from './support/temporal';
import { caseworker, parentInfantReferral, prisonSystem, supervisor } from './support/referrals';

const h = useHarness('dev');

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

  it('a refused action leaves the history as it was after the case has taken a report too', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    const history = async () => (await h.env.client.workflow.getHandle(caseId).fetchHistory()).events ?? [];
    await h.cases.report(caseId, { type: 'NOT_A_REPORT', actor: prisonSystem, eventId: 'probe-1' });
    await eventually(
      () => h.cases.timeline(caseId),
      (t) => t.some((e) => e.eventId === 'probe-1' || e.type === 'REPORT_REFUSED'),
    );
    // The refusal's notice sent and its workflow task done: the case is at rest.
    await eventually(
      () => h.env.client.workflow.getHandle(caseId).describe(),
      (d) => !d.raw.pendingActivities?.length && !d.raw.pendingWorkflowTask,
    );
    const before = (await history()).length;
    await expect(
      h.cases.act(caseId, { type: 'TEAM_MEETING_DECISION', actor: supervisor, decision: 'accept' }),
    ).rejects.toThrow(CaseRefusedError);
    expect((await history()).length).toBe(before);
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
    // Counts come from visibility too, however many match; "unassigned" is no named worker.
    expect(await h.cases.count({ team })).toBe(2);
    expect(await h.cases.count({ team, unassigned: true })).toBe(1);
    expect((await h.cases.caseload({ team, unassigned: true })).map((r) => r.caseId)).toEqual([a.caseId]);

    // A next-deadline range.
    const at = awaiting[0]!.nextDeadline!;
    const around = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
    const inRange = await h.cases.caseload({
      team,
      nextDeadlineFrom: around(-1000),
      nextDeadlineTo: around(1000),
    });
    expect(inRange.map((r) => r.caseId)).toContain(b.caseId);
    expect(await h.cases.caseload({ team, nextDeadlineFrom: around(1000) })).not.toContainEqual(
      expect.objectContaining({ caseId: b.caseId }),
    );
    expect(await h.cases.caseload({ team, nextDeadlineTo: around(-1000) })).not.toContainEqual(
      expect.objectContaining({ caseId: b.caseId }),
    );
  });

  it('gives each case a short reference of its own, in its view, its caseload row and its search', async () => {
    const year = String(new Date(realClock().now).getUTCFullYear() % 100).padStart(2, '0');
    const referral = parentInfantReferral({ receivedAt: new Date().toISOString() });
    const [a, b] = await Promise.all([
      h.cases.refer('parentInfant', referral, caseworker),
      h.cases.refer(
        'frontDoor',
        frontDoorReferralSample({ receivedAt: new Date().toISOString() }),
        caseworker,
      ),
    ]);
    expect(a.reference).toMatch(new RegExp(`^PI-${year}-\\d{4}$`));
    expect(b.reference).toMatch(new RegExp(`^FD-${year}-\\d{4}$`));
    expect(await h.records.references.caseOf(a.reference!)).toBe(a.caseId);
    const found = await eventually(
      () => h.cases.caseload({ reference: a.reference! }),
      (rows) => rows.length === 1,
    );
    expect(found).toEqual([expect.objectContaining({ caseId: a.caseId, reference: a.reference })]);
    // The person is known to the service from now on, by NHS number, across pathways.
    const matches = await h.records.people.find({ nhsNumber: referral.parent.nhsNumber! });
    expect(matches).toContainEqual({ caseId: a.caseId, role: 'parent', on: ['nhsNumber'] });
  });
});

describe('linked cases and durability on the dev server', () => {
  const now = () => new Date().toISOString();
  /** A parent–infant case and the child's front-door case, linked by a fresh child reference. */
  const linkedCases = async (tag: string) => {
    const childRef = `BCS-${tag}-${Date.now()}`;
    const parent = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: now(), childRef }),
      caseworker,
    );
    const child = await h.cases.refer(
      'frontDoor',
      frontDoorReferralSample({ receivedAt: now(), childRef }),
      caseworker,
    );
    const fd = (type: string, fields: object, actor: object = caseworker) =>
      h.cases.act(child.caseId, { type, actor, ...fields });
    return { parent, child, fd, childRef };
  };

  it("statusReachesLinkedCases: the child's plan and its end reach the linked parent–infant case", async () => {
    const { parent, child, fd } = await linkedCases('cin');
    const statuses = async () =>
      (
        (await h.cases.details(parent.caseId)) as { socialCareHistory: { status: string }[] }
      ).socialCareHistory.map((x) => x.status);
    await fd('REFERRAL_DECISION', { decision: 'section17' });
    await fd('ASSESSMENT_COMPLETED', { outcome: 'childInNeedPlan' });
    expect(await eventually(statuses, (s) => s.includes('childInNeed'))).toEqual([
      'childProtectionPlan',
      'childInNeed',
    ]);
    await fd('PLAN_ENDED', {});
    expect(await eventually(statuses, (s) => s.includes('closedToSocialCare'))).toEqual([
      'childProtectionPlan',
      'childInNeed',
      'closedToSocialCare',
    ]);
    expect((await h.cases.view(parent.caseId)).open).toBe(true);
    const timeline = await h.cases.timeline(parent.caseId);
    expect(timeline.filter((e) => e.type === 'SOCIAL_CARE_STATUS_CHANGED').map((e) => e.actor.id)).toEqual([
      `case:${child.caseId}`,
      `case:${child.caseId}`,
    ]);
  });

  it('careProceedingsFromEnquiryOrChildInNeedPlan: proceedings issued during a section 47 enquiry close the linked case too', async () => {
    const { parent, fd } = await linkedCases('s47');
    await fd('REFERRAL_DECISION', { decision: 'section47' });
    await fd('STRATEGY_DISCUSSION_HELD', { heldAt: now(), section47Enquiry: true });
    await fd('ENQUIRY_STEP_RECORDED', { step: 'childSeenAlone', occurredAt: now(), with: 'at nursery' });
    expect((await fd('CARE_PROCEEDINGS_ISSUED', { issuedAt: now() }, supervisor)).state).toBe(
      'careProceedings',
    );
    const closed = (await h.env.client.workflow.getHandle(parent.caseId).result()) as CaseView;
    expect(closed.closure).toMatchObject({ reason: 'careProceedingsStarted' });
    const sent = await h.outbox.list({ caseId: parent.caseId });
    expect(sent.filter((m) => m.kind === 'signposting').map((m) => m.subject)).toEqual([
      'Signposting for the parent: please pass this on',
    ]);
    // The referrer hears of the closure as well as the named worker.
    expect(
      sent.map((m) => m.subject).filter((x) => x === 'Case closed: care proceedings started'),
    ).toHaveLength(2);
  });

  it("care proceedings on the child's social care case close the linked ReConnect case, and later referrals are refused", async () => {
    const { parent, child, fd, childRef } = await linkedCases('cp');
    await h.cases.act(parent.caseId, { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker });
    await fd('REFERRAL_DECISION', { decision: 'section47' });
    await fd('STRATEGY_DISCUSSION_HELD', { heldAt: now(), section47Enquiry: true });
    await fd('INITIAL_CONFERENCE_HELD', { heldAt: now(), outcome: 'childProtectionPlan' });
    await eventually(
      () => h.cases.caseload({ pathway: 'parentInfant', state: 'assessment' }),
      (rows) => rows.some((r) => r.caseId === parent.caseId),
    );
    const issued = await fd('CARE_PROCEEDINGS_ISSUED', { issuedAt: now() }, supervisor);
    expect(issued.state).toBe('careProceedings');

    const closed = (await h.env.client.workflow.getHandle(parent.caseId).result()) as CaseView;
    expect(closed.closure).toMatchObject({
      reason: 'careProceedingsStarted',
      by: { id: `case:${child.caseId}`, role: 'system' },
    });
    const sent = await h.outbox.list({ caseId: parent.caseId });
    expect(sent.filter((m) => m.kind === 'signposting')).toHaveLength(1);

    await eventually(
      () => h.cases.caseload({ pathway: 'frontDoor', state: 'careProceedings' }),
      (rows) => rows.some((r) => r.caseId === child.caseId),
    );
    await expect(
      h.cases.refer('parentInfant', parentInfantReferral({ receivedAt: now(), childRef }), caseworker),
    ).rejects.toThrow(/already in care proceedings/);
    // Another child's referral is unaffected.
    await expect(
      h.cases.refer(
        'parentInfant',
        parentInfantReferral({ receivedAt: now(), childRef: `${childRef}-sibling` }),
        caseworker,
      ),
    ).resolves.toMatchObject({ state: 'screening' });
  });

  it('applies every update and signal sent while the worker was down exactly once when it returns', async () => {
    const clock = realClock();
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, clock.weeksFromToday(40)),
      caseworker,
    );
    await h.stopWorker();
    const assign = { type: 'ASSIGN_WORKER', actor: supervisor, worker: 'nw-ola', eventId: 'assign-1' };
    const pending = [h.cases.act(caseId, assign), h.cases.act(caseId, assign)];
    const moved = (releaseDate: string, eventId: string) => ({
      type: 'RELEASE_DATE_CHANGED',
      actor: prisonSystem,
      releaseDate,
      eventId,
    });
    await h.cases.report(caseId, moved(clock.weeksFromToday(44), 'prison-1'));
    await h.cases.report(caseId, moved(clock.weeksFromToday(44), 'prison-1'));
    await h.cases.report(caseId, moved(clock.weeksFromToday(46), 'prison-2'));
    await h.startWorker();
    const views = await Promise.all(pending);
    expect(views.map((v) => v.namedWorker)).toEqual(['nw-ola', 'nw-ola']);

    const timeline = await eventually(
      () => h.cases.timeline(caseId),
      (t) => t.length >= 4,
    );
    expect(
      timeline
        .map((t) => t.eventId)
        .filter((id) => id !== `${caseId}:referral`)
        .sort(),
    ).toEqual(['assign-1', 'prison-1', 'prison-2'].sort());
    const details = await h.cases.details(caseId);
    expect(details.releaseDate).toBe(clock.weeksFromToday(46));
  });

  it('continue-as-new carries the snapshot and the whole timeline', async () => {
    const cases = new CaseClient(h.env.client, {
      taskQueue: h.taskQueue,
      keys: h.keys,
      team: 'can-team',
      continueAsNewAfter: 40,
    });
    const { caseId } = await cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: now() }),
      caseworker,
    );
    const handle = h.env.client.workflow.getHandle(caseId);
    const firstRun = (await handle.describe()).runId;
    await cases.act(caseId, { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker });
    await cases.act(caseId, { type: 'ASSESSMENT_COMPLETED', actor: caseworker, suitable: true });
    for (let i = 0; i < 15; i++) {
      await cases.act(caseId, {
        type: 'RECORD_CONTACT',
        actor: caseworker,
        kind: 'groupSession',
        attended: i % 2 === 0,
        occurredAt: now(),
      });
    }
    const view = await cases.view(caseId);
    expect(view).toMatchObject({ state: 'engagement', lastSeq: 18 });
    expect((await handle.describe()).runId).not.toBe(firstRun);
    const timeline = await cases.timeline(caseId);
    expect(timeline.map((t) => t.seq)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(((await cases.details(caseId)).contacts as unknown[]).length).toBe(15);
  });

  it('opens a re-referral as a new case linked to the closed one, never reopening it', async () => {
    const first = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: now() }),
      caseworker,
    );
    await expect(
      h.cases.refer(
        'parentInfant',
        parentInfantReferral({ receivedAt: now() }),
        caseworker,
        undefined,
        first.caseId,
      ),
    ).rejects.toThrow(/cannot link the re-referral/);
    await h.cases.act(first.caseId, { type: 'CLOSE', actor: caseworker, closureReason: 'withdrewConsent' });
    await h.env.client.workflow.getHandle(first.caseId).result();
    const again = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: now() }),
      caseworker,
      undefined,
      first.caseId,
    );
    expect(again).toMatchObject({ state: 'screening', previousCaseId: first.caseId });
    expect((await h.cases.timeline(again.caseId))[0]?.data).toEqual({ previousCaseId: first.caseId });
    await expect(
      h.cases.refer('reconnect', custodyReferral({ receivedAt: now() }), caseworker, undefined, first.caseId),
    ).rejects.toThrow(/cannot link the re-referral/);
  });

  it('sends a newer bank-holiday feed to every open case, once', async () => {
    const open = await h.cases.refer('parentInfant', parentInfantReferral({ receivedAt: now() }), caseworker);
    const feed = {
      'england-and-wales': {
        events: [...shippedHolidays.holidays, '2027-06-08'].map((date) => ({ title: 'Bank holiday', date })),
      },
    };
    const sent = await eventually(
      () => h.cases.updateReferenceData(feed, prisonSystem),
      (r) => r.cases.includes(open.caseId),
    );
    expect(sent.version).toBe('2025-01-01..2028-12-26#33');
    await h.cases.updateReferenceData(feed, prisonSystem);
    const timeline = await eventually(
      () => h.cases.timeline(open.caseId),
      (t) => t.some((e) => e.type === 'REFERENCE_DATA_UPDATED'),
    );
    expect(timeline.filter((e) => e.type === 'REFERENCE_DATA_UPDATED')).toHaveLength(1);
    await expect(h.cases.updateReferenceData({ scotland: {} }, prisonSystem)).rejects.toThrow(
      /not a bank-holidays feed/,
    );
  });

  it('finds custody cases by release date and priority group, without personal data in search attributes', async () => {
    const team = `custody-${Date.now()}`;
    const clock = realClock();
    const a = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, clock.weeksFromToday(40)),
      caseworker,
      team,
    );
    const b = await h.cases.refer(
      'enhancedReconnect',
      enhancedReferral({ receivedAt: clock.now, atRiskOfExtremism: true }, clock.weeksFromToday(52)),
      caseworker,
      team,
    );
    const rows = await eventually(
      () => h.cases.caseload({ team }),
      (r) => r.length === 2,
    );
    expect(rows.find((r) => r.caseId === a.caseId)).toMatchObject({
      releaseDate: clock.weeksFromToday(40),
      state: 'assessment',
    });
    expect(rows.find((r) => r.caseId === b.caseId)).toMatchObject({
      releaseDate: clock.weeksFromToday(52),
      priorityGroup: '2',
    });
    expect(await h.cases.caseload({ team, priorityGroup: '2' })).toHaveLength(1);

    const described = await h.env.client.workflow.getHandle(b.caseId).describe();
    const attributes = JSON.stringify(described.raw.workflowExecutionInfo?.searchAttributes);
    for (const secret of ['Sam Leaver', '9434765870', 'A1234BC', '1990-05-17'])
      expect(attributes).not.toContain(secret);
  });
});
