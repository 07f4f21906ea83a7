import { proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/types';
import type { EffectParams, EffectType } from '../machines/common/effects';
import type { Applied, CaseRecord } from './caseRecord';

/** Messages to people: retried for up to a day, then the failure is visible on the case. */
const messaging = proxyActivities<CaseActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});
/** Closing linked cases and archiving must happen: retried until they do. */
const mustHappen = proxyActivities<CaseActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** Effects whose failure after their retries is recorded on the case rather than failing it. */
export const MESSAGES: readonly EffectType[] = ['notify', 'signpost', 'handover'];

type Ids = { effectId: string; caseId: string };
type Dispatch = {
  [K in EffectType]: (ids: Ids, params: EffectParams[K], record: CaseRecord, now: string) => Promise<unknown>;
};

/** Each effect a machine can ask for, and the activity that carries it out. */
const DISPATCH: Dispatch = {
  notify: (ids, params, record) => messaging.notify({ ...ids, ...params, recipients: record.recipients() }),
  signpost: (ids, params, record) =>
    messaging.signpost({ ...ids, ...params, recipients: record.recipients() }),
  handover: (ids, params, record) =>
    messaging.handover({ ...ids, ...params, recipients: record.recipients() }),
  closeLinkedCases: (ids, params) => mustHappen.closeLinkedCases({ ...ids, ...params }),
  reportToLinkedCases: (ids, params) => mustHappen.reportToLinkedCases({ ...ids, ...params }),
  archive: (ids, _params, record, now) =>
    mustHappen.archive({
      ...ids,
      record: record.toState(),
      closedAt: record.view().closure?.at ?? now,
      facts: record.facts(),
    }),
};

function dispatch<K extends EffectType>(
  ids: Ids,
  effect: { type: K; params: EffectParams[K] },
  record: CaseRecord,
  now: string,
): Promise<unknown> {
  return DISPATCH[effect.type](ids, effect.params, record, now);
}

/** Carries out one effect as its activity. */
export async function carryOut(
  { effectId, effect }: Applied['effects'][number],
  record: CaseRecord,
  now: string,
): Promise<void> {
  await dispatch({ effectId, caseId: record.caseId }, effect, record, now);
}
