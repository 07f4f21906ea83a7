import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import { addDays, localDateOf, nextTeamMeeting, ZONE } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { CaseClient, CaseInputError, CaseRefusedError } from '../client/cases';
import { useHarness } from './support/temporal';
import { caseworker, parentInfantReferral, supervisor } from './support/referrals';

const DAY = 24 * 60 * 60 * 1000;
const WORKFLOW_TASK_EVENTS = [
  temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
] as number[];
const h = useHarness('timeSkipping');

const act = (caseId: string, type: string, actor: object, fields: object = {}) =>
  h.cases.act(caseId, { type, actor, ...fields });

describe('parent–infant ReConnect on the time-skipping server', () => {
  it('a referral starts a case in screening that lists what can happen next', async () => {
    const view = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    expect(view.pathway).toBe('parentInfant');
    expect(view.state).toBe('screening');
    expect(view.allowedActions).toEqual(
      expect.arrayContaining([
        'ACCEPT_FOR_ASSESSMENT',
        'REFER_TO_TEAM_MEETING',
        'DECLINE_AT_SCREENING',
        'CARE_PROCEEDINGS_STARTED',
      ]),
    );
    expect(view.deadlines.map((d) => d.name)).toEqual(['screeningDue']);
  });

  it('an invalid referral is refused field by field and starts nothing', async () => {
    const bad = { ...parentInfantReferral(), referrer: { role: 'astrologer' }, concerns: 'lots' };
    const err = await h.cases.refer('parentInfant', bad, caseworker).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaseInputError);
    const paths = (err as CaseInputError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['referrer.role', 'referrer.name', 'concerns']));
  });

  it('a disallowed action names the state and the allowed actions, and changes nothing', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    const before = await h.env.client.workflow.getHandle(caseId).fetchHistory();
    const err = await act(caseId, 'ASSESSMENT_COMPLETED', caseworker, { suitable: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CaseRefusedError);
    expect((err as Error).message).toMatch(
      /In state "screening", ASSESSMENT_COMPLETED is not allowed\. Allowed actions: .*ACCEPT_FOR_ASSESSMENT/,
    );
    const forbidden = await act(caseId, 'ASSIGN_WORKER', caseworker, { worker: 'cw-x' }).catch(
      (e: unknown) => e,
    );
    expect((forbidden as CaseRefusedError).code).toBe('forbidden');
    const after = await h.env.client.workflow.getHandle(caseId).fetchHistory();
    // This server records workflow-task bookkeeping for rejected updates; nothing else may appear.
    // (The dev-server test checks the history length exactly.)
    const added = after.events?.slice(before.events?.length ?? 0).map((e) => e.eventType) ?? [];
    expect(added.filter((t) => !WORKFLOW_TASK_EVENTS.includes(t as number))).toEqual([]);
    expect((await h.cases.view(caseId)).state).toBe('screening');
  });

  it("a team that meets on Wednesdays at 14:30 gets its referrals on that meeting's agenda", async () => {
    const wednesdays = new CaseClient(h.env.client, {
      ...h.cases.options,
      meeting: { weekday: 3, time: '14:30' },
    });
    const receivedAt = new Date(await h.env.currentTimeMs()).toISOString();
    const { caseId } = await wednesdays.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt }),
      caseworker,
    );
    const waiting = await act(caseId, 'REFER_TO_TEAM_MEETING', caseworker);
    const meetingAt = waiting.deadlines.find((d) => d.name === 'teamMeeting')!.at;
    expect(meetingAt).toBe(nextTeamMeeting(receivedAt, shippedHolidays, { weekday: 3, time: '14:30' }));
    expect(DateTime.fromISO(meetingAt).setZone(ZONE).toFormat('HH:mm')).toBe('14:30');
  });

  it('a missed screening stays overdue after its reminder, until the referral is screened', async () => {
    const receivedAt = new Date(await h.env.currentTimeMs()).toISOString();
    const { caseId, deadlines } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt }),
      caseworker,
    );
    const due = deadlines.find((d) => d.name === 'screeningDue')!.at;
    await h.env.sleep(Date.parse(due) - (await h.env.currentTimeMs()) + DAY);
    const late = await h.cases.view(caseId);
    expect(late.deadlines.map((d) => d.name)).not.toContain('screeningDue');
    expect(late.overdue).toEqual([expect.objectContaining({ name: 'screeningDue', at: due })]);
    const timeline = await h.cases.timeline(caseId);
    expect(timeline.filter((e) => e.type === 'REMINDER')).toHaveLength(1);

    const screened = await act(caseId, 'ACCEPT_FOR_ASSESSMENT', caseworker);
    expect(screened.overdue).toBeUndefined();
  });

  it('engagement with no attended contact for 28 days reminds the named worker, months pass in seconds', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    await act(caseId, 'ASSIGN_WORKER', supervisor, { worker: 'cw-amira' });
    await act(caseId, 'ACCEPT_FOR_ASSESSMENT', caseworker);
    const engaged = await act(caseId, 'ASSESSMENT_COMPLETED', caseworker, { suitable: true });
    expect(engaged.state).toBe('engagement');
    const due = engaged.deadlines.find((d) => d.name === 'noAttendedContact');
    const started = (await h.cases.timeline(caseId)).find((t) => t.type === 'ASSESSMENT_COMPLETED')!.at;
    expect(due && localDateOf(due.at)).toBe(addDays(localDateOf(started), 29)); // the end of day 28
    await h.env.sleep(90 * DAY);
    const reminders = (await h.outbox.list({ caseId })).filter((m) =>
      m.subject.includes('No attended contact'),
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.address).toBe('worker:cw-amira');
    expect((await h.cases.view(caseId)).state).toBe('engagement');
  });
});
