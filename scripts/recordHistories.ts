import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { FIXTURE_KEYS } from '../test/support/fixtureKeys';
import { SCENARIOS } from '../test/support/scenarios';
import { harness, timeSkippingServer } from '../test/support/temporal';

// Records the scenarios' histories (timers, updates and signals) into test/histories for the
// replay test. Histories from older code are kept: record only new scenarios, by name:
//   npm run record-histories -- reconnect-refused-report

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const h = await harness(await timeSkippingServer(FIXTURE_KEYS), FIXTURE_KEYS, {
      searchAttributes: false,
    });
    try {
      const caseId = await scenario(h);
      const history = await h.env.client.workflow.getHandle(caseId).fetchHistory();
      const file = join('test', 'histories', `${name}.json`);
      // The case id too: payloads are bound to their case, so a replay runs under the same id.
      const json = { workflowId: caseId, ...temporal.api.history.v1.History.fromObject(history).toJSON() };
      writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
      console.log(`${file}: ${history.events?.length} events`);
    } finally {
      await h.teardown();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
