import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type CalendarSpec,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { ZONE } from '../calendar/calendar';

const WORKING_WEEK: CalendarSpec['dayOfWeek'] = { start: 'MONDAY', end: 'FRIDAY' };

interface ScheduledJob {
  scheduleId: string;
  workflowType: string;
  calendar: CalendarSpec;
  note: string;
}

/**
 * The service's scheduled jobs, as Temporal Schedules: visible, pausable and triggerable in the
 * Web UI and the CLI. The schedule only wakes the job; the job decides (with the bank holidays)
 * whether today is its day, and sends each message once per meeting or per day.
 */
export const SCHEDULED_JOBS = [
  {
    scheduleId: 'team-meeting-agenda',
    workflowType: 'teamMeetingAgendaWorkflow',
    calendar: {
      dayOfWeek: WORKING_WEEK,
      hour: 15,
      comment: 'the agenda on the working day before each meeting',
    },
    note: 'Circulates each team its agenda at 15:00 on the working day before the team meeting.',
  },
  {
    scheduleId: 'daily-digest',
    workflowType: 'dailyDigestWorkflow',
    calendar: { dayOfWeek: WORKING_WEEK, hour: 7, minute: 30, comment: 'each working day at 07:30' },
    note: 'Tells each worker what is due and overdue, and supervisors what is unassigned or overdue.',
  },
  {
    scheduleId: 'reporting-refresh',
    workflowType: 'reportingRefreshWorkflow',
    calendar: { minute: 5, hour: '*', comment: 'every hour at five past' },
    note: "Brings the reporting projection's open cases up to date (closed cases are written as they close).",
  },
  {
    scheduleId: 'retention-purge',
    workflowType: 'retentionPurgeWorkflow',
    calendar: { hour: 2, comment: 'every night at 02:00' },
    note: 'Deletes archived records past their retention date; the purge log keeps no personal data.',
  },
] as const satisfies readonly ScheduledJob[];

export type ScheduledJobId = (typeof SCHEDULED_JOBS)[number]['scheduleId'];

function optionsFor(job: ScheduledJob, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: job.scheduleId,
    spec: { calendars: [job.calendar], timezone: ZONE },
    action: { type: 'startWorkflow', workflowType: job.workflowType, workflowId: job.scheduleId, taskQueue },
    // A run missed while the service was down is caught up within a day; runs never overlap.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { note: job.note },
  };
}

/** Creates the schedules, or brings existing ones in step with this code; paused ones stay paused. */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<ScheduledJobId[]> {
  for (const job of SCHEDULED_JOBS) {
    const options = optionsFor(job, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(job.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
    }
  }
  return SCHEDULED_JOBS.map((j) => j.scheduleId);
}
