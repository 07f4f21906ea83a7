import { temporal } from '@temporalio/proto';
import { SCENARIOS } from './support/scenarios';
import { useHarness } from './support/temporal';

const h = useHarness('timeSkipping', { searchAttributes: false });
const E = temporal.api.enums.v1.EventType;

/** The scenarios recorded into test/histories still run, start to finish, on today's code. */
describe('recorded scenarios, run on the current code', () => {
  it.each(Object.keys(SCENARIOS).map((name) => [name]))('%s closes its case', async (name) => {
    const caseId = await SCENARIOS[name as keyof typeof SCENARIOS](h);
    const { events } = await h.env.client.workflow.getHandle(caseId).fetchHistory();
    const types = new Set(events?.map((e) => e.eventType));
    expect(types).toContain(E.EVENT_TYPE_TIMER_FIRED);
    expect(types).toContain(E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(types).toContain(E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    expect((await h.cases.view(caseId)).open).toBe(false);
  });
});
