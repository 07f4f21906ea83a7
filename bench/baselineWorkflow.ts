import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

/** The baseline: what Temporal itself costs for an update that appends its input and returns it. */
export const appendUpdate = defineUpdate<unknown, [unknown]>('append');

export async function baselineWorkflow(): Promise<void> {
  const log: unknown[] = [];
  setHandler(appendUpdate, (input) => {
    log.push(input);
    return input;
  });
  await condition(() => false);
}

/** The baseline for a lifecycle: a workflow that waits a year on one timer. */
export async function yearWorkflow(): Promise<void> {
  await sleep('365 days');
}
