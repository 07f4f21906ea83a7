import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bearer } from './support/auth';
import { dutyLineCall, parentInfantReferral } from './support/referrals';
import { frontDoorReferralSample } from './support/sampleEvents';
import { eventually } from './support/cluster';
import { processesInGroup } from './support/processes';
import { serviceEnv, startService, tokensFor } from './support/service';
import { realClock } from './support/clock';

function cli(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'client/cli.ts', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('the service, run as a person would', () => {
  it('serves the API over HTTP to signed-in staff, refuses bad input, and keeps cases across a restart', async () => {
    const env = await serviceEnv({ RATE_LIMIT_WRITES_PER_MINUTE: '12' });
    let service = await startService(env);
    expect(service.output()).toContain(`API:               http://127.0.0.1:${env.API_PORT}`);
    expect(service.output()).toContain('Temporal Web UI:');
    expect(service.output()).toContain(`development identity provider at ${service.issuer}`);
    // Keys and data are their owner's only, and kept across restarts.
    for (const file of ['keys.json', 'idp.json', 'temporal.sqlite']) {
      expect(statSync(join(env.DATA_DIR!, file)).mode & 0o077).toBe(0);
    }
    expect(statSync(env.DATA_DIR!).mode & 0o777).toBe(0o700);
    const firstKeys = readFileSync(join(env.DATA_DIR!, 'keys.json'), 'utf8');

    const tokens = tokensFor(service);
    const amira = bearer(await tokens.staff('cw-amira'));
    const jo = bearer(await tokens.staff('sup-jo'));

    // Received now, by the clock the service runs on: no deadline falls due during the test.
    const received = { receivedAt: realClock().now };
    const bad = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: amira,
      body: JSON.stringify({
        pathway: 'parentInfant',
        referral: { ...parentInfantReferral(received), child: { born: true } },
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await bad.json()) as { code: string; issues: { path: string }[] };
    expect(problem.code).toBe('invalid');
    expect(problem.issues.map((i) => i.path).join(' ')).toContain('child');

    const created = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: amira,
      body: JSON.stringify({ pathway: 'parentInfant', referral: parentInfantReferral(received) }),
    });
    expect(created.status).toBe(201);
    const { caseId, notice, team } = (await created.json()) as {
      caseId: string;
      notice: string;
      team: string;
    };
    expect(notice).toMatch(/not an emergency service.*999/);
    expect(team).toBe('bucks-reconnect'); // the referrer's own team

    // A referral that breaks a referral rule opens no case: 409 with every reason.
    const impossible = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: amira,
      body: JSON.stringify({
        pathway: 'parentInfant',
        referral: parentInfantReferral({
          ...received,
          referrer: { ...parentInfantReferral().referrer, role: 'otherProfessional' },
          child: { born: true, dateOfBirth: realClock().daysFromToday(1) },
        }),
      }),
    });
    expect(impossible.status).toBe(409);
    expect(
      ((await impossible.json()) as { issues: { message: string }[] }).issues.map((i) => i.message),
    ).toEqual([
      'a referrer who is another professional describes their role (referrer.roleDescription)',
      "the child's date of birth is after the referral was received",
    ]);
    // Each pathway's own notice: the front door gives its phone lines.
    const frontDoor = await fetch(`${service.baseUrl}/cases`, {
      method: 'POST',
      headers: amira,
      body: JSON.stringify({ pathway: 'frontDoor', referral: frontDoorReferralSample(received) }),
    });
    expect(((await frontDoor.json()) as { notice: string }).notice).toMatch(/01296 383962.*08009 997677/);

    const act = (headers: Record<string, string>, body: object) =>
      fetch(`${service.baseUrl}/cases/${caseId}/actions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    expect(
      (await act(amira, { type: 'REFER_TO_TEAM_MEETING', reason: 'needs discussion', eventId: 'amira-0001' }))
        .status,
    ).toBe(200);
    // The same event id again is the same action: applied once.
    expect(
      (await act(amira, { type: 'REFER_TO_TEAM_MEETING', reason: 'needs discussion', eventId: 'amira-0001' }))
        .status,
    ).toBe(200);
    const refused = await act(amira, { type: 'ACCEPT_FOR_ASSESSMENT' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      code: 'notAllowed',
      state: 'awaitingTeamMeeting',
      allowedActions: expect.arrayContaining(['TEAM_MEETING_DECISION']),
      detail: expect.stringMatching(/In state "awaitingTeamMeeting"/),
    });

    expect(await service.interrupt()).toBe(0);
    expect(service.output()).toContain('Stopped.');

    service = await startService(env);
    expect(readFileSync(join(env.DATA_DIR!, 'keys.json'), 'utf8')).toBe(firstKeys);
    // Tokens outlive a restart: the provider's signing key is kept in the data folder.
    const view = (await (await fetch(`${service.baseUrl}/cases/${caseId}`, { headers: jo })).json()) as {
      state: string;
      lastSeq: number;
    };
    expect(view).toMatchObject({ state: 'awaitingTeamMeeting', lastSeq: 2 });
    // The caseload by next-deadline range (visibility is eventually consistent: poll).
    const dueAt = (
      (await (await fetch(`${service.baseUrl}/cases/${caseId}`, { headers: jo })).json()) as {
        deadlines: { at: string }[];
      }
    ).deadlines[0]!.at;
    const around = (ms: number) => encodeURIComponent(new Date(Date.parse(dueAt) + ms).toISOString());
    const caseload = async (query: string) =>
      (
        (await (await fetch(`${service.baseUrl}/cases?${query}`, { headers: jo })).json()) as {
          caseId: string;
        }[]
      ).map((r) => r.caseId);
    for (
      let i = 0;
      i < 100 && !(await caseload(`dueFrom=${around(-1000)}&dueTo=${around(1000)}`)).includes(caseId);
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(await caseload(`dueFrom=${around(-1000)}&dueTo=${around(1000)}`)).toContain(caseId);
    expect(await caseload(`dueFrom=${around(1000)}`)).not.toContain(caseId);
    const timeline = (await (
      await fetch(`${service.baseUrl}/cases/${caseId}/timeline?reason=supervision`, { headers: jo })
    ).json()) as {
      type: string;
      reason?: string;
      actor: { id: string };
    }[];
    expect(timeline.map((t) => t.type)).toEqual(['REFERRAL_RECEIVED', 'REFER_TO_TEAM_MEETING']);
    expect(timeline[1]).toMatchObject({ reason: 'needs discussion', actor: { id: 'cw-amira' } });

    // The command line goes through the API with a token: no keys, no Temporal.
    const cliEnv = {
      CASES_API: service.baseUrl,
      CASES_TOKEN: amira.authorization.slice(7),
      CASES_TOKEN_FILE: join(env.DATA_DIR!, 'no-token.json'),
    };
    const viewed = cli(cliEnv, 'view', caseId);
    expect(viewed.stderr).toBe('');
    expect(JSON.parse(viewed.stdout)).toMatchObject({ caseId, state: 'awaitingTeamMeeting' });
    const refusedByCli = cli(cliEnv, 'act', caseId, 'ASSESSMENT_COMPLETED', '{"suitable":true}');
    expect(refusedByCli.status).toBe(2);
    expect(refusedByCli.stderr).toMatch(
      /409: In state "awaitingTeamMeeting", ASSESSMENT_COMPLETED is not allowed/,
    );
    const forbidden = cli(cliEnv, 'act', caseId, 'ASSIGN_WORKER', '{"worker":"cw-ola"}');
    expect(forbidden.stderr).toMatch(/403: ASSIGN_WORKER needs: supervisor/);
    const decided = cli(
      { ...cliEnv, CASES_TOKEN: jo.authorization.slice(7) },
      'act',
      caseId,
      'ASSIGN_WORKER',
      '{"worker":"cw-ola"}',
    );
    expect(JSON.parse(decided.stdout)).toMatchObject({ namedWorker: 'cw-ola' });
    const signedOut = cli({ ...cliEnv, CASES_TOKEN: '' }, 'view', caseId);
    expect(signedOut.status).toBe(2);
    expect(signedOut.stderr).toMatch(/not signed in: run `cases login`/);

    // A duty-line call, recorded, listed and closed as advice from the command line.
    const recorded = cli(cliEnv, 'consultation', 'record', JSON.stringify(dutyLineCall()));
    expect(recorded.stderr).toBe('');
    const { consultationId } = JSON.parse(recorded.stdout) as { consultationId: string };
    const open = JSON.parse(cli(cliEnv, 'consultation', 'list', '--open').stdout) as {
      consultationId: string;
    }[];
    expect(open.map((c) => c.consultationId)).toContain(consultationId);
    const closed = cli(
      cliEnv,
      'consultation',
      'close',
      consultationId,
      'adviceGiven',
      '--note',
      'Talk about consent first',
    );
    expect(JSON.parse(closed.stdout)).toMatchObject({
      consultationId,
      state: 'closed',
      outcome: 'adviceGiven',
    });
    const again = cli(cliEnv, 'consultation', 'close', consultationId, 'signposted');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^409: /);

    // The contract is published, with its security schemes.
    const doc = (await (await fetch(`${service.baseUrl}/openapi.json`)).json()) as {
      openapi: string;
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'session']);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/cases', '/cases/{id}/actions', '/cases/{id}/reports']),
    );

    // Writes are rate-limited per client: a flood gets 429 with a retry hint, and changes nothing.
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await act(amira, { type: 'NOT_AN_ACTION' })).status);
    const limited = await act(amira, { type: 'REFER_TO_TEAM_MEETING' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(await limited.json()).toMatchObject({ code: 'rateLimited' });
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);

    expect(await service.interrupt()).toBe(0);
  }, 240_000);

  it('stops cleanly when a process manager sends SIGTERM to npm start, with no terminal', async () => {
    const service = await startService(await serviceEnv(), { via: 'npm' });
    expect((await fetch(`${service.baseUrl}/health`)).status).toBeLessThan(500);
    expect(await service.terminate()).not.toBeNull();
    // npm hands the signal on: the service drains and stops, and nothing it started is left.
    await eventually(async () => (service.output().includes('Stopped.') ? true : undefined), 30_000);
    await eventually(async () => (processesInGroup(service.pid).length === 0 ? true : undefined), 30_000);
  }, 120_000);
});
