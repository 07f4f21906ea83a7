import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { addMonths, endOfLocalDay } from '../calendar/calendar';
import { caseDataConverter } from '../security/dataConverter';
import { preloadModules } from '../worker/worker';
import { releasedReferral } from './support/custodyReferrals';
import type { ProbeInput, readingCase, tamperingCase } from './support/probeWorkflows';
import { testKeys, timeSkippingServer } from './support/temporal';

const keys = testKeys();
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingServer(keys);
});
afterAll(async () => {
  await env?.teardown();
});

const RELEASED_ON = '2026-11-16';
const probe = (caseId: string): ProbeInput => ({
  caseId,
  referral: releasedReferral(RELEASED_ON, '2026-11-23T10:00:00Z'),
  at: '2026-11-23T11:00:00Z',
});

describe('two cases on one worker', () => {
  it('share one instance of the case logic, and one cannot change what the other computes', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./support/probeWorkflows'),
      preloadModules,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    const taskQueue = `probe-${randomBytes(4).toString('hex')}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle,
      dataConverter: caseDataConverter(keys),
    });
    const { workflow } = env.client;
    const [tampering, reading] = await worker.runUntil(async () => {
      const first = await workflow.execute<typeof tamperingCase>('tamperingCase', {
        taskQueue,
        workflowId: 'probe-a',
        args: [probe('probe-a')],
      });
      const second = await workflow.execute<typeof readingCase>('readingCase', {
        taskQueue,
        workflowId: 'probe-b',
        args: [probe('probe-b')],
      });
      return [first, second] as const;
    });

    // Each write to what the cases share throws inside the case that tried it, or cannot be made.
    expect(tampering.logicLoadedEarlier).toBe(false);
    expect(tampering.outcomes).toEqual({
      effectParams: 'changed',
      policy: 'refused',
      meeting: 'refused',
      timer: 'refused',
      recordClass: 'refused',
      roles: 'unreachable',
      machine: 'unreachable',
    });
    // The case opened next on the worker found the logic loaded, and computes as if alone.
    expect(reading).toEqual({
      logicLoadedEarlier: true,
      state: 'postRelease',
      postReleaseMonths: 6,
      postReleaseLimit: {
        label: '6-month post-release limit',
        at: endOfLocalDay(addMonths(RELEASED_ON, 6)),
      },
      meetingTime: '10:00',
      timerId: 'timer',
      firedBy: 'timer',
      viewOf: 'probe-b',
      allowedActions: expect.arrayContaining(['NEEDS_MET', 'RECALLED']) as string[],
      recallSubject: 'Recalled to custody',
    });
  });
});
