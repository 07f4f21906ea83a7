import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { toolPaths } from '../tools/paths';
import { bearer } from './support/auth';
import {
  rawTemporalClient,
  serviceEnv,
  startService,
  tokensFor,
  type RunningService,
} from './support/service';
import { parentInfantReferral } from './support/referrals';
import { realClock } from './support/clock';

// Schemathesis (pinned, installed by the set-up) generates requests from /openapi.json and runs
// every check against the live service, once with each kind of caller's token.

let service: RunningService;
let temporal: Client;
const reports = mkdtempSync(join(tmpdir(), 'reconnect-contract-'));

interface Har {
  log: { entries: { request: { method: string; url: string }; response: { status: number } }[] };
}

beforeAll(async () => {
  service = await startService(
    await serviceEnv({ RATE_LIMIT_WRITES_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' }),
  );
  temporal = await rawTemporalClient(service);
}, 180_000);

afterAll(async () => {
  await temporal?.connection.close();
  await service?.interrupt();
});

async function workflowCount(): Promise<number> {
  return (await temporal.workflow.count("WorkflowType = 'caseWorkflow'")).count;
}

function schemathesis(name: string, token: string, include: string[] = []) {
  const har = join(reports, `${name}.har`);
  const run = spawnSync(
    toolPaths().schemathesis,
    [
      'run',
      `${service.baseUrl}/openapi.json`,
      '--header',
      `Authorization: Bearer ${token}`,
      '--checks',
      'all',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      '15',
      '--seed',
      '20261123',
      '--workers',
      '1',
      '--request-timeout',
      '30',
      '--no-color',
      '--report',
      'har',
      '--report-har-path',
      har,
      ...include.flatMap((p) => ['--include-path-regex', p]),
    ],
    { encoding: 'utf8', cwd: reports, env: { ...process.env, SCHEMATHESIS_HOOKS: '' }, timeout: 600_000 },
  );
  const entries = (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries;
  const failures = run.stdout.indexOf('FAILURES');
  return { run, entries, report: run.status === 0 ? '' : run.stdout.slice(failures >= 0 ? failures : -8000) };
}

describe('the API contract, fuzzed', () => {
  it('answers every generated request as the document says, never with a 5xx, for every kind of caller', async () => {
    const tokens = tokensFor(service);
    // A real case, so that generated requests meet one as well as unknown ids.
    const created = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: bearer(await tokens.staff('cw-amira')),
      body: JSON.stringify({
        pathway: 'parentInfant',
        referral: parentInfantReferral({ receivedAt: realClock().now }),
      }),
    });
    expect(created.status).toBe(201);
    const before = await workflowCount();

    const runs = [
      ['caseworker', await tokens.staff('cw-amira'), []],
      ['supervisor', await tokens.staff('sup-jo'), []],
      ['admin', await tokens.staff('admin-sam'), ['^/(cases|agenda|me|reference-data/.*)$']],
      [
        'integration',
        await tokens.integration('prison-probation', 'reports:custody'),
        ['^/cases/\\{id\\}/reports$'],
      ],
    ] as const;
    let examples = 0;
    let created201 = 0;
    const statuses: Record<number, number> = {};
    for (const [name, token, include] of runs) {
      const { run, entries, report } = schemathesis(name, token, [...include]);
      expect({ name, exit: run.status, report }).toEqual({ name, exit: 0, report: '' });
      for (const e of entries) {
        statuses[e.response.status] = (statuses[e.response.status] ?? 0) + 1;
        if (
          e.request.method === 'POST' &&
          new URL(e.request.url).pathname === '/cases' &&
          e.response.status === 201
        )
          created201++;
      }
      examples += entries.length;
    }
    console.log(`Schemathesis: ${examples} requests, statuses ${JSON.stringify(statuses)}`);
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    expect(examples).toBeGreaterThan(1000);
    // Only accepted referrals started cases: no workflow from invalid input.
    expect((await workflowCount()) - before).toBe(created201);
  }, 900_000);
});
