import { addDays, addMonths, endOfLocalDay, localDateOf, nextTeamMeeting } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { CaseRefusedError } from '../client/cases';
import type { CaseView } from '../contract/case';
import { DAY, serverClock, skipTo } from './support/clock';
import { custodyReferral, enhancedReferral, releasedReferral } from './support/custodyReferrals';
import { caseworker, parentInfantReferral, prisonSystem, supervisor } from './support/referrals';
import { frontDoorReferralSample } from './support/sampleEvents';
import { useHarness } from './support/temporal';
import { eventually } from './support/cluster';

const h = useHarness('timeSkipping');

const act = (caseId: string, actor: object, type: string, fields: object = {}) =>
  h.cases.act(caseId, { type, actor, ...fields });
const report = (caseId: string, type: string, fields: object = {}, eventId?: string) =>
  h.cases.report(caseId, { type, actor: prisonSystem, ...fields, ...(eventId ? { eventId } : {}) });
const result = (caseId: string) => h.env.client.workflow.getHandle(caseId).result() as Promise<CaseView>;
const subjects = async (caseId: string) =>
  (await h.outbox.list({ caseId })).map((m) => `${m.address} | ${m.subject}`);
/** A timer fires at its time, give or take the server's scheduling. */
function expectFiredAt(at: string, expected: string): void {
  const late = Date.parse(at) - Date.parse(expected);
  expect(late).toBeGreaterThanOrEqual(0);
  expect(late).toBeLessThan(1000);
}
const now = async () => new Date(await h.env.currentTimeMs()).toISOString();
const due = (v: CaseView, name: string) => v.deadlines.find((d) => d.name === name)?.at;

describe('parent–infant ReConnect, over months', () => {
  it('a health-visitor referral goes to the team meeting, is accepted, engages and closes as completed', async () => {
    const clock = await serverClock(h.env);
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: clock.now }),
      caseworker,
    );
    const waiting = await act(caseId, caseworker, 'REFER_TO_TEAM_MEETING', {
      reason: 'needs team discussion',
    });
    const meetingAt = due(waiting, 'teamMeeting')!;
    expect(meetingAt).toBe(nextTeamMeeting(clock.now, shippedHolidays));

    await expect(act(caseId, supervisor, 'TEAM_MEETING_DECISION', { decision: 'accept' })).rejects.toThrow(
      /team meeting starts at/,
    );
    await skipTo(h.env, meetingAt);
    await act(caseId, supervisor, 'ASSIGN_WORKER', { worker: 'cw-amira' });
    await act(caseId, supervisor, 'TEAM_MEETING_DECISION', { decision: 'accept' });
    await act(caseId, caseworker, 'ASSESSMENT_COMPLETED', { suitable: true });
    for (let week = 0; week < 8; week++) {
      await h.env.sleep(14 * DAY);
      const occurredAt = new Date(await h.env.currentTimeMs()).toISOString();
      await act(caseId, caseworker, 'RECORD_CONTACT', {
        kind: 'individualTherapy',
        attended: true,
        occurredAt,
      });
    }
    const closed = await act(caseId, caseworker, 'CLOSE', {
      closureReason: 'completed',
      reason: 'goals met',
    });
    expect(closed).toMatchObject({ open: false, state: 'closed', allowedActions: [] });
    expect(closed.closure).toMatchObject({ reason: 'completed', by: caseworker, note: 'goals met' });

    expect((await result(caseId)).closure?.reason).toBe('completed');
    expect(await subjects(caseId)).toEqual(
      expect.arrayContaining([
        'team:bucks-reconnect | On the team-meeting agenda',
        'email:harriet.visitor@example.nhs.uk | Referral accepted at team meeting',
      ]),
    );
    expect((await subjects(caseId)).some((s) => s.includes('No attended contact'))).toBe(false);
    // The closed case's record is in the record store's archive, with its retention date.
    expect(await h.records.archive.entry(caseId)).toMatchObject({ caseId, pathway: 'parentInfant' });
  });

  it('with no decision by the end of the meeting day, the supervisor is reminded and the referral carries over', async () => {
    const clock = await serverClock(h.env);
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: clock.now }),
      caseworker,
    );
    const first = due(await act(caseId, caseworker, 'REFER_TO_TEAM_MEETING'), 'teamMeeting')!;
    await skipTo(h.env, endOfLocalDay(localDateOf(first)));
    const view = await h.cases.view(caseId);
    expect(due(view, 'teamMeeting')).toBe(nextTeamMeeting(first, shippedHolidays));
    expect(await subjects(caseId)).toContain(
      'supervisor:bucks-reconnect | No team-meeting decision recorded: carried over',
    );
    await act(caseId, supervisor, 'CLOSE', {
      closureReason: 'other',
      note: 'referrer withdrew the referral',
    });
  });

  it('an unborn baby on a child protection plan: care proceedings close the case, once, with signposting', async () => {
    const clock = await serverClock(h.env);
    const referral = parentInfantReferral({
      receivedAt: clock.now,
      child: { born: false, expectedDeliveryDate: clock.daysFromToday(60) },
    });
    const { caseId } = await h.cases.refer('parentInfant', referral, caseworker);
    await act(caseId, caseworker, 'ACCEPT_FOR_ASSESSMENT');
    await h.env.sleep(30 * DAY);

    await report(caseId, 'CARE_PROCEEDINGS_STARTED', {}, 'court-123');
    await report(caseId, 'CARE_PROCEEDINGS_STARTED', {}, 'court-123').catch(() => undefined);
    const closed = await result(caseId);
    expect(closed.closure).toMatchObject({ reason: 'careProceedingsStarted', by: prisonSystem });
    expect(closed.closure?.signposting.length).toBeGreaterThan(0);
    const timeline = await h.cases.timeline(caseId);
    expect(timeline.filter((t) => t.type === 'CARE_PROCEEDINGS_STARTED')).toHaveLength(1);

    await expect(report(caseId, 'CARE_PROCEEDINGS_STARTED', {}, 'court-124')).rejects.toThrow(
      CaseRefusedError,
    );
    expect((await h.outbox.list({ caseId })).filter((m) => m.kind === 'signposting')).toHaveLength(1);
  });
});

describe('RECONNECT care after custody', () => {
  it('a referral 20 weeks before release: the window opens, the release date moves twice, discharge at six months', async () => {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(20);
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, release),
      caseworker,
    );
    await act(caseId, supervisor, 'ASSIGN_WORKER', { worker: 'nw-kim' });
    const waiting = await act(caseId, caseworker, 'ASSESSMENT_COMPLETED', {
      appropriate: true,
      consent: true,
    });
    expect(waiting.state).toBe('awaitingPreReleaseWindow');
    const opens = due(waiting, 'preReleaseWindowOpens')!;
    expect(localDateOf(opens)).toBe(addDays(release, -84));

    await skipTo(h.env, opens);
    expect((await h.cases.view(caseId)).state).toBe('preRelease');
    expect(await subjects(caseId)).toContain('worker:nw-kim | Pre-release support has started');

    const later = addDays(release, 21);
    await report(caseId, 'RELEASE_DATE_CHANGED', { releaseDate: later });
    const earlier = addDays(release, 7);
    await report(caseId, 'RELEASE_DATE_CHANGED', { releaseDate: earlier });
    const moved = await h.cases.view(caseId);
    expect(localDateOf(due(moved, 'release')!)).toBe(earlier);
    expect(localDateOf(due(moved, 'fewContactsBeforeRelease')!)).toBe(addDays(earlier, -14));

    // Two contacts within 12 weeks of the new date (only those count, from rules edition 3).
    await skipTo(h.env, `${addDays(earlier, -84)}T10:00:00Z`);
    for (const mode of ['faceToFace', 'faceToFace']) {
      await act(caseId, caseworker, 'RECORD_CONTACT', {
        mode,
        occurredAt: new Date(await h.env.currentTimeMs()).toISOString(),
      });
    }
    await skipTo(h.env, `${earlier}T12:00:00Z`);
    expect((await h.cases.view(caseId)).state).toBe('postRelease');
    await report(caseId, 'RELEASE_DATE_CHANGED', { releaseDate: addDays(earlier, 30) }, 'late-recalculation');
    const refusedReport = (await h.cases.timeline(caseId)).find((t) => t.eventId === 'late-recalculation');
    expect(refusedReport).toMatchObject({
      type: 'REPORT_REFUSED',
      from: 'open.postRelease',
      to: 'open.postRelease',
    });
    expect(refusedReport?.reason).toMatch(/already been released; report a recall to custody instead/);
    expect(await subjects(caseId)).toContain('worker:nw-kim | A RELEASE_DATE_CHANGED report was refused');

    const discharged = await result(caseId);
    expect(discharged.closure).toMatchObject({ reason: 'sixMonthLimitReached' });
    expectFiredAt(discharged.closure!.at, endOfLocalDay(addMonths(earlier, 6)));
    const timeline = await h.cases.timeline(caseId);
    expect(timeline.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'PRE_RELEASE_WINDOW_OPENED',
        'RELEASE_DATE_REACHED',
        'POST_RELEASE_LIMIT_REACHED',
      ]),
    );
    expect(timeline.filter((t) => t.type === 'RELEASE_DATE_CHANGED')).toHaveLength(2);
    expect(await subjects(caseId)).not.toContain(
      'worker:nw-kim | Fewer than 2 contacts recorded before release',
    );
  });

  it('a community referral 28 days after release is accepted; 29 days after is refused with the reason', async () => {
    const clock = await serverClock(h.env);
    const accepted = await h.cases.refer(
      'reconnect',
      releasedReferral(clock.daysFromToday(-28), clock.now),
      caseworker,
    );
    expect(accepted.state).toBe('assessment');
    const refused = await h.cases.refer(
      'reconnect',
      releasedReferral(clock.daysFromToday(-29), clock.now),
      caseworker,
    );
    expect(refused).toMatchObject({ state: 'closed', open: false });
    expect(refused.closure?.reason).toBe('referralOutOfWindow');
    // The case is closed at once; its messages are sent before its workflow ends.
    await result(refused.caseId);
    const told = await h.outbox.list({ caseId: refused.caseId });
    expect(told[0]).toMatchObject({
      address: 'phone:01234 567890',
      subject: expect.stringMatching(/28-day window/),
    });
    expect(told[0]?.detail).toMatch(/released 29 days before the referral/);
  });
});

describe('rules from the sources, over time', () => {
  it('releaseDateCorrection: a case that moved itself to post-release is moved back, and every clock follows the new date', async () => {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(4);
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, release),
      caseworker,
    );
    await act(caseId, supervisor, 'ASSIGN_WORKER', { worker: 'nw-lee' });
    await act(caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true });
    // A release reported before the day is refused.
    await expect(act(caseId, caseworker, 'RELEASED', { releasedOn: release })).rejects.toThrow(
      /has not happened yet/,
    );

    await skipTo(h.env, `${release}T09:00:00Z`);
    const assumed = await h.cases.view(caseId);
    expect(assumed.state).toBe('postRelease');
    expect(due(assumed, 'postReleaseLimit')).toBe(endOfLocalDay(addMonths(release, 6)));

    const newDate = addDays(release, 14);
    const back = await act(caseId, caseworker, 'RELEASE_DATE_CORRECTED', {
      releaseDate: newDate,
      reason: 'parole board adjourned the hearing',
    });
    expect(back.state).toBe('preRelease');
    expect(due(back, 'postReleaseLimit')).toBeUndefined();
    expect(localDateOf(due(back, 'release')!)).toBe(newDate);
    await eventually(async () =>
      (await subjects(caseId)).includes('worker:nw-lee | Release date corrected: the person was not released')
        ? true
        : undefined,
    );

    await skipTo(h.env, `${newDate}T09:00:00Z`);
    const out = await h.cases.view(caseId);
    expect(out.state).toBe('postRelease');
    expect(due(out, 'postReleaseLimit')).toBe(endOfLocalDay(addMonths(newDate, 6)));
    const timeline = await h.cases.timeline(caseId);
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['RELEASE_DATE_REACHED', 'RELEASE_DATE_CORRECTED']),
    );
    expect(timeline.find((e) => e.type === 'RELEASE_DATE_CORRECTED')).toMatchObject({
      reason: 'parole board adjourned the hearing',
      from: 'open.postRelease',
      to: 'open.preRelease',
    });
  });

  it('urgentStrategyWhenHarmSuspected: suspected significant harm goes to a strategy discussion the same working day, escalated when missed', async () => {
    const clock = await serverClock(h.env);
    const { caseId, state, deadlines } = await h.cases.refer(
      'frontDoor',
      frontDoorReferralSample({ receivedAt: clock.now, significantHarmSuspected: true }),
      caseworker,
    );
    expect(state).toBe('strategyDiscussion');
    const overdue = deadlines.find((d) => d.name === 'strategyDiscussionOverdue')!;
    expect(overdue.label).toMatch(/same working day/);
    expect(await subjects(caseId)).toContain(
      'supervisor:bucks-reconnect | Significant harm suspected: strategy discussion today',
    );
    await skipTo(h.env, overdue.at);
    expect(await subjects(caseId)).toContain(`supervisor:bucks-reconnect | ${overdue.label}`);
    const held = await act(caseId, caseworker, 'STRATEGY_DISCUSSION_HELD', {
      heldAt: await now(),
      section47Enquiry: true,
    });
    expect(held.state).toBe('section47Enquiry');
  });
});

describe("children's social care front door", () => {
  it('escalates missed statutory clocks to the supervisor as they fall due, and records why', async () => {
    const clock = await serverClock(h.env);
    const { caseId } = await h.cases.refer(
      'frontDoor',
      frontDoorReferralSample({ receivedAt: clock.now }),
      caseworker,
    );
    await h.env.sleep(5 * DAY);
    expect(await subjects(caseId)).toContain(
      'supervisor:bucks-reconnect | Overdue: decision on the referral (1 working day)',
    );
    await act(caseId, caseworker, 'REFERRAL_DECISION', { decision: 'section47' });
    await act(caseId, caseworker, 'STRATEGY_DISCUSSION_HELD', {
      heldAt: await now(),
      section47Enquiry: true,
    });
    const enquiry = await h.cases.view(caseId);
    await skipTo(h.env, due(enquiry, 'initialConferenceOverdue')!);
    expect(await subjects(caseId)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^team:bucks-reconnect \| Due soon: initial child protection conference/),
        expect.stringMatching(/^supervisor:bucks-reconnect \| Overdue: initial child protection conference/),
      ]),
    );
    await act(caseId, caseworker, 'RECORD_OVERDUE_REASON', {
      clock: 'initialConference',
      explanation: 'parent in hospital',
    });
    expect((await h.cases.details(caseId)).overdueReasons).toMatchObject([
      { clock: 'initialConference', explanation: 'parent in hospital' },
    ]);
    await act(caseId, supervisor, 'CLOSE', { closureReason: 'movedOutOfArea' });
  });
});

describe('Enhanced RECONNECT', () => {
  it('a priority group 1 case is accepted automatically, extended by a supervisor, and closed at the extended limit', async () => {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(10);
    const referral = enhancedReferral(
      {
        receivedAt: clock.now,
        nsd: {
          criticalPublicProtection: true,
          terrorismActOrTerroristConnected: false,
          nationalSecurityThreat: false,
        },
        complexCriteria: [],
      },
      release,
    );
    const opened = await h.cases.refer('enhancedReconnect', referral, caseworker);
    expect(opened.state).toBe('assessment');
    const { caseId } = opened;
    expect(
      (await act(caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true })).state,
    ).toBe('preRelease');

    await skipTo(h.env, `${release}T12:00:00Z`);
    const released = await h.cases.view(caseId);
    expect(released.state).toBe('postRelease');
    const limit = addMonths(release, 12);
    expect(localDateOf(due(released, 'postReleaseLimit')!)).toBe(addDays(limit, 1));

    const until = addMonths(limit, 3);
    await expect(act(caseId, caseworker, 'APPROVE_EXTENSION')).rejects.toThrow(/needs: supervisor/);
    await act(caseId, caseworker, 'REQUEST_EXTENSION', {
      until,
      justification: 'discharge now would harm health',
    });
    const extended = await act(caseId, supervisor, 'APPROVE_EXTENSION', {
      reason: 'agreed at clinical review',
    });
    expect(localDateOf(due(extended, 'postReleaseLimit')!)).toBe(addDays(until, 1));

    const closed = await result(caseId);
    expect(closed.closure?.reason).toBe('extensionEnded');
    expectFiredAt(closed.closure!.at, endOfLocalDay(until));
  });
});
