import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startService } from './support/service';
import { parentInfantReferral } from './support/referrals';

const caseworker = {
  'content-type': 'application/json',
  'x-actor-id': 'cw-amira',
  'x-actor-role': 'caseworker',
};
const supervisor = { 'x-actor-id': 'sup-jo', 'x-actor-role': 'supervisor' };

function cli(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'client/cli.ts', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('the service, run as a person would', () => {
  it('serves the API over HTTP, refuses bad input, and keeps cases across a restart', async () => {
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'reconnect-svc-')),
      API_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    let service = await startService(env);
    expect(service.output()).toContain(`API and dashboard: http://127.0.0.1:${env.API_PORT}`);
    expect(service.output()).toContain('Temporal Web UI:');
    // The key ring is made on first start, readable by its owner only, and kept across restarts.
    const keyFile = join(env.DATA_DIR, 'keys.json');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const firstKeys = readFileSync(keyFile, 'utf8');

    const bad = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: caseworker,
      body: JSON.stringify({
        pathway: 'parentInfant',
        referral: { ...parentInfantReferral(), child: { born: true } },
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(
      'child.dateOfBirth',
    );

    const created = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: caseworker,
      body: JSON.stringify({ pathway: 'parentInfant', referral: parentInfantReferral() }),
    });
    expect(created.status).toBe(201);
    const { caseId, notice } = (await created.json()) as { caseId: string; notice: string };
    expect(notice).toMatch(/not an emergency service.*999/);

    const moved = await fetch(`${service.baseUrl}/cases/${caseId}/actions`, {
      method: 'POST',
      headers: caseworker,
      body: JSON.stringify({ type: 'REFER_TO_TEAM_MEETING', reason: 'needs discussion' }),
    });
    expect(moved.status).toBe(200);
    const refused = await fetch(`${service.baseUrl}/cases/${caseId}/actions`, {
      method: 'POST',
      headers: caseworker,
      body: JSON.stringify({ type: 'ACCEPT_FOR_ASSESSMENT' }),
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/In state "awaitingTeamMeeting"/);

    expect(await service.interrupt()).toBe(0);
    expect(service.output()).toContain('Stopped.');

    service = await startService(env);
    expect(readFileSync(keyFile, 'utf8')).toBe(firstKeys);
    const view = (await (
      await fetch(`${service.baseUrl}/cases/${caseId}`, { headers: supervisor })
    ).json()) as {
      state: string;
      lastSeq: number;
    };
    expect(view).toMatchObject({ state: 'awaitingTeamMeeting', lastSeq: 2 });
    const timeline = (await (
      await fetch(`${service.baseUrl}/cases/${caseId}/timeline`, { headers: supervisor })
    ).json()) as {
      type: string;
      reason?: string;
    }[];
    expect(timeline.map((t) => t.type)).toEqual(['REFERRAL_RECEIVED', 'REFER_TO_TEAM_MEETING']);
    expect(timeline[1]?.reason).toBe('needs discussion');

    // Personal data is need-to-know, and every read is logged.
    const details = (who: Record<string, string>) =>
      fetch(`${service.baseUrl}/cases/${caseId}/details`, { headers: who });
    const other = { 'x-actor-id': 'cw-other', 'x-actor-role': 'caseworker' };
    expect((await details(other)).status).toBe(200); // no named worker yet: intake staff may read it
    const assigned = await fetch(`${service.baseUrl}/cases/${caseId}/actions`, {
      method: 'POST',
      headers: { ...supervisor, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'ASSIGN_WORKER', worker: 'cw-amira' }),
    });
    expect(assigned.status).toBe(200);
    expect((await details(other)).status).toBe(403);
    const theirs = await details({ ...caseworker, 'x-access-reason': 'preparing the assessment' });
    expect(((await theirs.json()) as { referral: { parent: { name: string } } }).referral.parent.name).toBe(
      'Jane Testparent',
    );
    const reads = readFileSync(join(env.DATA_DIR, 'access.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as object);
    expect(reads).toEqual([
      expect.objectContaining({ caseId, who: { id: 'cw-other', role: 'caseworker' } }),
      expect.objectContaining({
        caseId,
        who: { id: 'cw-amira', role: 'caseworker' },
        why: 'preparing the assessment',
      }),
    ]);

    // The CLI reaches the same case through Temporal directly, with the same keys.
    const cliEnv = { ...env, TEMPORAL_ADDRESS: `127.0.0.1:${env.TEMPORAL_PORT}` };
    const viewed = cli(cliEnv, 'view', caseId);
    expect(viewed.status).toBe(0);
    expect(JSON.parse(viewed.stdout)).toMatchObject({ caseId, state: 'awaitingTeamMeeting' });
    const refusedByCli = cli(
      cliEnv,
      '--as',
      'cw-amira',
      'act',
      caseId,
      'ASSESSMENT_COMPLETED',
      '{"suitable":true}',
    );
    expect(refusedByCli.status).toBe(2);
    expect(refusedByCli.stderr).toMatch(
      /In state "awaitingTeamMeeting", ASSESSMENT_COMPLETED is not allowed/,
    );
    const decided = cli(
      cliEnv,
      '--as',
      'sup-jo',
      '--role',
      'supervisor',
      'act',
      caseId,
      'ASSIGN_WORKER',
      '{"worker":"cw-ola"}',
    );
    expect(JSON.parse(decided.stdout)).toMatchObject({ namedWorker: 'cw-ola' });

    expect(await service.interrupt()).toBe(0);
  }, 240_000);
});
