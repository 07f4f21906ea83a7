import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { JobActivities, JobResult } from '../activities/types';

/** Set by a Temporal Schedule on each run it starts: the time the run was due, also when backfilled. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const jobs = proxyActivities<JobActivities>({
  startToCloseTimeout: '10 minutes',
  scheduleToCloseTimeout: '12 hours',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '15 minutes' },
});

/** The time this run stands for: the schedule's, or the start time when run by hand. */
function scheduledAt(): string {
  const info = workflowInfo();
  return (info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime).toISOString();
}

export async function teamMeetingAgendaWorkflow(): Promise<JobResult> {
  return jobs.circulateAgenda({ scheduledAt: scheduledAt() });
}

export async function dailyDigestWorkflow(): Promise<JobResult> {
  return jobs.sendDigests({ scheduledAt: scheduledAt() });
}

export async function reportingRefreshWorkflow(): Promise<JobResult> {
  return jobs.refreshReportFacts({ scheduledAt: scheduledAt() });
}

export async function retentionPurgeWorkflow(): Promise<JobResult> {
  return jobs.purgeRecords({ scheduledAt: scheduledAt() });
}
