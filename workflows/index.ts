export { caseWorkflow } from './case';
export { consultationWorkflow } from './consultation';
export {
  dailyDigestWorkflow,
  reportingRefreshWorkflow,
  retentionPurgeWorkflow,
  teamMeetingAgendaWorkflow,
} from './scheduledJobs';
