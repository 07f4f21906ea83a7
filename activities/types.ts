import type { Recipient } from '../machines/common/case';
import type { EffectParams } from '../machines/common/effects';
import type { CaseState, Recipients } from '../contract/case';

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
  archive(args: EffectArgs & { record: CaseState; closedAt: string }): Promise<void>;
}

export type { Recipient, Recipients };
