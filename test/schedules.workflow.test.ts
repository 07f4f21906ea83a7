import { ScheduleOverlapPolicy } from '@temporalio/client';
import { DateTime } from 'luxon';
import { createJobActivities } from '../activities/scheduledJobs';
import { isWorkingDay, ZONE } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { ensureSchedules, SCHEDULED_JOBS } from '../worker/schedules';
import { eventually } from './support/cluster';
import { caseworker, parentInfantReferral, supervisor } from './support/referrals';
import { useHarness } from './support/temporal';

// The scheduled jobs on the dev server (Temporal Schedules need it): runs are backfilled over
// past dates, so weeks of schedule pass in seconds and each run sees the time it stood for.
const h = useHarness('dev');

const london = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();

/** Backfills a schedule over a range, then waits until all its runs so far have completed. */
async function backfill(scheduleId: string, workflowType: string, start: Date, end: Date, runs: number) {
  await h.env.client.schedule
    .getHandle(scheduleId)
    .backfill({ start, end, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
  await eventually(async () => {
    const { count } = await h.env.client.workflow.count(
      `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Completed'`,
    );
    return count >= runs ? count : undefined;
  }, 60_000);
}

const sent = async (kind: string) => (await h.outbox.list()).filter((m) => m.kind === kind);

describe('scheduled jobs on Temporal Schedules', () => {
  beforeAll(async () => {
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toEqual(SCHEDULED_JOBS.map((j) => j.scheduleId));
    // A second start finds them and brings them in step, without failing or duplicating.
    await ensureSchedules(h.env.client, h.taskQueue);
    const listed: string[] = [];
    for await (const s of h.env.client.schedule.list()) listed.push(s.scheduleId);
    expect(listed.sort()).toEqual(SCHEDULED_JOBS.map((j) => j.scheduleId).sort());
    // A schedule paused in the Web UI or the CLI stays paused when a worker starts again.
    const digest = h.env.client.schedule.getHandle('daily-digest');
    await digest.pause('paused by a supervisor');
    await ensureSchedules(h.env.client, h.taskQueue);
    expect((await digest.describe()).state.paused).toBe(true);
    await digest.unpause();
  });

  it('circulates the agenda once per meeting, on the working day before it, moved by Easter', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    await h.cases.act(caseId, { type: 'REFER_TO_TEAM_MEETING', actor: caseworker, reason: 'For the team' });
    await eventually(async () =>
      (await h.cases.caseload({ state: 'awaitingTeamMeeting' })).length ? true : undefined,
    );

    // A fixed fortnight long past, replayed by backfill: each run sees only the time it stood for,
    // never the server's clock. Weekdays from Mon 30 Mar to Mon 13 Apr 2026 at 15:00: 11 runs.
    // Easter Monday moves the meeting to Tue 7 Apr, so its agenda goes out on Thu 2 Apr (Good
    // Friday is a holiday too).
    const start = london('2026-03-30T00:00');
    const end = london('2026-04-13T23:00');
    await backfill('team-meeting-agenda', 'teamMeetingAgendaWorkflow', start, end, 11);
    const agendas = await sent('agenda');
    expect(agendas.map((m) => m.id).sort()).toEqual([
      'agenda:bucks-reconnect:2026-04-07T09:00:00.000Z',
      'agenda:bucks-reconnect:2026-04-13T09:00:00.000Z',
    ]);
    const easter = agendas.find((m) => m.id.endsWith('2026-04-07T09:00:00.000Z'))!;
    expect(easter).toMatchObject({ to: 'team', address: 'team:bucks-reconnect' });
    expect(easter.subject).toMatch(/^Team meeting on Tuesday 7 April at 10:00: 1 referral to decide$/);
    expect(easter.detail).toContain(`/app/cases/${caseId}`);
    expect(easter.detail).not.toContain('Jane Testparent');

    // The same fortnight again: every run repeats, and no agenda goes out twice.
    await backfill('team-meeting-agenda', 'teamMeetingAgendaWorkflow', start, end, 22);
    expect((await sent('agenda')).length).toBe(2);
  }, 120_000);

  it("circulates the agenda before the team's own meeting day when the meeting is configured", async () => {
    const jobs = createJobActivities({
      openCases: () => h.cases.caseload({ open: true }, 1000),
      factsOf: (caseId) => h.cases.facts(caseId),
      facts: h.records.facts,
      notifier: h.outbox,
      archive: h.records.archive,
      calendar: shippedHolidays,
      meeting: { weekday: 3, time: '14:30' },
    });
    // Runs called with the time they stand for (pure: the server's clock is not read). Wednesday
    // meetings: Monday's run waits, Tuesday's sends the agenda for Wednesday 15 April.
    expect((await jobs.circulateAgenda({ scheduledAt: '2026-04-13T14:00:00Z' })).done).toEqual([]);
    const tuesday = await jobs.circulateAgenda({ scheduledAt: '2026-04-14T14:00:00Z' });
    expect(tuesday.done).toEqual(['agenda:bucks-reconnect:2026-04-15T13:30:00.000Z']);
    const sentOne = (await sent('agenda')).find((m) => m.id === tuesday.done[0]);
    expect(sentOne?.subject).toMatch(/^Team meeting on Wednesday 15 April at 14:30: /);
  });

  it('sends each worker one digest per working day, and supervisors the unassigned', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    await h.cases.act(caseId, { type: 'ASSIGN_WORKER', actor: supervisor, worker: 'cw-ola' });
    // Due tomorrow, by the real clock: within a week of each of the last five days, whatever today is.
    const now = DateTime.now().setZone(ZONE);
    const dueAt = now.plus({ days: 1 }).toUTC().toISO()!;
    await h.cases.act(caseId, {
      type: 'SET_FOLLOW_UP',
      actor: caseworker,
      dueAt,
      note: 'Ring the health visitor',
    });
    await eventually(async () => {
      const rows = await h.cases.caseload({ namedWorker: 'cw-ola' });
      return rows.some((r) => r.nextDeadline && Date.parse(r.nextDeadline) <= Date.parse(dueAt))
        ? true
        : undefined;
    });

    // The last five days at 07:30 on weekdays; the digest skips any bank holiday among them.
    const days = [1, 2, 3, 4, 5]
      .map((n) => now.minus({ days: n }).set({ hour: 7, minute: 30, second: 0, millisecond: 0 }))
      .filter((d) => d.weekday <= 5);
    const working = days
      .filter((d) => isWorkingDay(d.toISODate()!, shippedHolidays))
      .map((d) => d.toISODate()!);
    const start = now.minus({ days: 5 }).startOf('day').toJSDate();
    const end = now.minus({ days: 1 }).endOf('day').toJSDate();
    await backfill('daily-digest', 'dailyDigestWorkflow', start, end, days.length);
    await backfill('daily-digest', 'dailyDigestWorkflow', start, end, days.length * 2);

    const digests = await sent('digest');
    const ola = digests.filter((m) => m.address === 'worker:cw-ola');
    expect(ola.map((m) => m.id).sort()).toEqual(working.map((d) => `digest:cw-ola:${d}`).sort());
    expect(ola[0]?.detail ?? '').toContain(`/app/cases/${caseId}`);
    const supervisors = digests.filter((m) => m.address === 'supervisor:bucks-reconnect');
    expect(supervisors.map((m) => m.id).sort()).toEqual(
      working.map((d) => `digest:supervisor:bucks-reconnect:${d}`).sort(),
    );
    // The case sent to the meeting has no named worker: the supervisors hear of it.
    expect(supervisors[0]?.detail ?? '').toMatch(/No named worker\n- Parent–infant ReConnect/);
  }, 120_000);

  it('purges only the archived records past their retention date, and its log keeps no personal data', async () => {
    const { archive } = h.records;
    const record = { pathway: 'parentInfant', referral: { parent: { name: 'Old Recordholder' } } };
    // Closed 25 years ago by the real clock: past its 20 years, whatever day the test runs.
    const closedAt = DateTime.now().minus({ years: 25 }).toUTC().toISO();
    const receivedAt = DateTime.fromISO(closedAt).minus({ months: 4 }).toUTC().toISO()!;
    const retainUntil = DateTime.fromISO(closedAt).plus({ years: 20 }).toUTC().toISO()!;
    await archive.put('parentInfant-old', 'parentInfant', closedAt, record);
    await archive.put('parentInfant-recent', 'parentInfant', new Date().toISOString(), record);
    // Report facts hold no personal data: they outlive the record, so old years stay countable.
    const { facts } = h.records;
    await facts.put({
      caseId: 'parentInfant-old',
      pathway: 'parentInfant',
      team: 'bucks-reconnect',
      seq: 9,
      receivedAt,
      source: 'gp',
      fromConsultation: false,
      state: 'closed',
      open: false,
      clocks: [],
      closure: { at: closedAt, reason: 'completed' },
    });

    await h.env.client.schedule.getHandle('retention-purge').trigger();
    await eventually(async () => {
      const { count } = await h.env.client.workflow.count(
        `WorkflowType = 'retentionPurgeWorkflow' AND ExecutionStatus = 'Completed'`,
      );
      return count >= 1 ? true : undefined;
    });
    await expect(archive.read('parentInfant-old', supervisor, 'audit')).rejects.toThrow(
      /deleted on .* at the end of its retention period/,
    );
    const kept = await archive.read('parentInfant-recent', supervisor, 'audit');
    expect(kept.record).toEqual(record);
    const log = await archive.purgeLog();
    expect(log).toEqual([
      expect.objectContaining({ caseId: 'parentInfant-old', pathway: 'parentInfant', retainUntil }),
    ]);
    expect(JSON.stringify(log)).not.toContain('Recordholder');
    // The purged record leaves its entry: ids and dates only.
    expect(await archive.entry('parentInfant-old')).toMatchObject({
      retainUntil,
      purgedAt: expect.any(String),
    });
    expect((await facts.all()).map((f) => f.caseId)).toContain('parentInfant-old');
  }, 60_000);
});
