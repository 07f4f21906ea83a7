import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

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
