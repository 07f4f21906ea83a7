import type { Recipient } from '../machines/common/case';
import type { EffectParams } from '../machines/common/effects';
import type { CaseState, Recipients } from '../contract/case';
import type { CaseFacts } from '../reports/facts';

/** Every effect carries an id derived from case id and event sequence, so a retry never repeats it. */
export interface EffectArgs {
  effectId: string;
  caseId: string;
}

export interface CaseActivities {
  notify(args: EffectArgs & EffectParams['notify'] & { recipients: Recipients }): Promise<void>;
  signpost(args: EffectArgs & EffectParams['signpost'] & { recipients: Recipients }): Promise<void>;
  handover(args: EffectArgs & EffectParams['handover'] & { recipients: Recipients }): Promise<void>;
  closeLinkedCases(args: EffectArgs & EffectParams['closeLinkedCases']): Promise<{ signalled: string[] }>;
  reportToLinkedCases(
    args: EffectArgs & EffectParams['reportToLinkedCases'],
  ): Promise<{ signalled: string[] }>;
  /** Archives a closed case and writes its last report facts (absent in cases closed before reports). */
  archive(args: EffectArgs & { record: CaseState; closedAt: string; facts?: CaseFacts }): Promise<void>;
}

export type { Recipient, Recipients };

/** What a scheduled run did; each run is idempotent, so a repeat sends nothing new. */
export interface JobResult {
  /** The local date the run was for. */
  day: string;
  /** Message ids sent (a repeat finds them sent already) or records purged. */
  done: string[];
  /** Why nothing was done, when nothing was. */
  skipped?: string;
}

/** A caseload row as the jobs read it. */
export interface OpenCase {
  caseId: string;
  pathway: string;
  state: string;
  team?: string;
  namedWorker?: string;
  nextDeadline?: string;
}

export interface JobActivities {
  circulateAgenda(args: { scheduledAt: string }): Promise<JobResult>;
  sendDigests(args: { scheduledAt: string }): Promise<JobResult>;
  purgeRecords(args: { scheduledAt: string }): Promise<JobResult>;
  refreshReportFacts(args: { scheduledAt: string }): Promise<JobResult>;
}
