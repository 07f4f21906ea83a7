import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parentInfantReferral } from './support/referrals';
import { launchChromium } from './support/browser';
import { serviceEnv, startService, type RunningService } from './support/service';

let service: RunningService;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  service = await startService(await serviceEnv());
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.interrupt();
});

/** Through the development identity provider's own sign-in page, as a person would. */
async function signInAs(name: string) {
  await page.waitForSelector('text=Sign in to reconnect-cases (development)');
  await page.click(`button:has-text("${name}")`);
  await page.waitForSelector('#signed-in-as:has-text("Signed in as")');
}

/** A parent–infant referral through the form; the case opens in screening. */
async function referParentInfant() {
  await page.selectOption('#refer select[name=pathway]', 'parentInfant');
  await page.fill(
    '#refer textarea[name=referral]',
    JSON.stringify(parentInfantReferral({ receivedAt: new Date().toISOString() })),
  );
  await page.click('#refer button');
  await page.waitForSelector('#refer-result:has-text("opened: screening")');
}

async function act(type: string, fields: object, reason?: string) {
  await page.selectOption('#action select[name=type]', type);
  await page.fill('#action textarea[name=fields]', JSON.stringify(fields));
  await page.fill('#action input[name=reason]', reason ?? '');
  await page.click('#action button');
  await page.waitForSelector(`#action-result:not(.error):has-text("Recorded")`);
}

describe('the dashboard in a real browser', () => {
  it('signs in, takes a referral through decision, contact and closure, and signs out', async () => {
    await page.goto(service.baseUrl);
    await page.waitForSelector('#signed-in-as:has-text("Not signed in.")');
    await page.click('#sign-in');
    await signInAs('Amira Khan (caseworker)');
    await expect(page.textContent('#signed-in-as')).resolves.toContain(
      'cw-amira (caseworker; bucks-reconnect)',
    );
    await expect(page.textContent('#notice')).resolves.toMatch(/not an emergency service.*999/);

    await referParentInfant();
    const allowed = await page.locator('#action select[name=type] option').allTextContents();
    expect(allowed).toEqual(expect.arrayContaining(['ACCEPT_FOR_ASSESSMENT', 'REFER_TO_TEAM_MEETING']));

    // A supervisor's action is refused with the reason.
    await page.selectOption('#action select[name=type]', 'ASSIGN_WORKER');
    await page.fill('#action textarea[name=fields]', '{"worker":"cw-amira"}');
    await page.click('#action button');
    await page.waitForSelector('#action-result.error');
    await expect(page.textContent('#action-result')).resolves.toMatch(/ASSIGN_WORKER needs: supervisor/);

    await act('ACCEPT_FOR_ASSESSMENT', {}, 'meets the criteria');
    await act('ASSESSMENT_COMPLETED', { suitable: true });
    await act('RECORD_CONTACT', {
      kind: 'individualTherapy',
      attended: true,
      occurredAt: new Date().toISOString(),
    });
    await expect(page.textContent('#case-timeline')).resolves.toMatch(
      /cw-amira \(caseworker\) · RECORD_CONTACT/,
    );
    await act('CLOSE', { closureReason: 'completed' }, 'goals met');
    await expect(page.textContent('#case-summary')).resolves.toMatch(/completed/);
    await page.screenshot({ path: join(tmpdir(), 'reconnect-dashboard.png'), fullPage: true });

    await page.click('#sign-out button');
    await page.click('button:has-text("Yes, sign me out")');
    await page.waitForSelector('#signed-in-as:has-text("Not signed in.")');
    const me = await page.evaluate(async () => (await fetch('/me')).status);
    expect(me).toBe(401);
  }, 120_000);

  it('keeps a half-filled form when the session ends, and restores it after signing in again', async () => {
    await page.goto(service.baseUrl);
    await page.click('#sign-in');
    await signInAs('Amira Khan (caseworker)');
    await referParentInfant();

    await page.selectOption('#action select[name=type]', 'REFER_TO_TEAM_MEETING');
    await page.fill('#action input[name=reason]', 'Mother asked for more time; discuss on Monday');
    await page.fill('#refer textarea[name=referral]', '{"half":"typed"}');
    // The session cookie expires (the browser drops it), as it would after an hour away.
    await context.clearCookies({ name: 'rc_session' });
    await page.click('#action button');
    await page.waitForSelector('#session-ended:not([hidden])');

    // Signing in again: the provider still knows her, so no sign-in page this time.
    await page.click('#session-ended a');
    await page.waitForSelector('#signed-in-as:has-text("Signed in as cw-amira")');
    await page.waitForSelector('#action-result:has-text("What you typed before signing in again is back")');
    await expect(page.inputValue('#action input[name=reason]')).resolves.toBe(
      'Mother asked for more time; discuss on Monday',
    );
    await expect(page.inputValue('#action select[name=type]')).resolves.toBe('REFER_TO_TEAM_MEETING');
    await expect(page.inputValue('#refer textarea[name=referral]')).resolves.toBe('{"half":"typed"}');
    await page.click('#action button');
    await page.waitForSelector('#action-result:has-text("Now: awaitingTeamMeeting")');
  }, 120_000);

  it('shows a bad referral as field errors and opens nothing', async () => {
    await page.goto(service.baseUrl);
    await page.waitForSelector('#signed-in-as:has-text("Signed in as")');
    await page.selectOption('#refer select[name=pathway]', 'reconnect');
    await page.fill('#refer textarea[name=referral]', '{"receivedAt":"yesterday"}');
    await page.click('#refer button');
    await page.waitForSelector('#refer-result.error');
    await expect(page.textContent('#refer-result')).resolves.toMatch(
      /does not match the API contract[\s\S]*receivedAt/,
    );
  });

  it('signs the command line in with the device flow: open the address, confirm the code', async () => {
    const env = {
      ...process.env,
      CASES_API: service.baseUrl,
      CASES_TOKEN: '',
      CASES_TOKEN_FILE: join(mkdtempSync(join(tmpdir(), 'reconnect-cli-')), 'token.json'),
    };
    const login = spawn(process.execPath, ['--import', 'tsx', 'client/cli.ts', 'login'], { env });
    let stderr = '';
    let stdout = '';
    login.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => login.once('exit', resolve));
    const address = await new Promise<string>((resolve, reject) => {
      login.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Open (\S+) and confirm the code (\S+)\./.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`login exited ${code}: ${stderr}`)));
    });
    await page.goto(address);
    await page.click('button:has-text("Continue")');
    // Still signed in to the provider from the dashboard, or signing in now.
    if (await page.isVisible('text=Sign in to reconnect-cases (development)')) {
      await page.click('button:has-text("Amira Khan (caseworker)")');
    }
    await page.waitForSelector('text=The command line is signed in.');
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 'cw-amira', roles: ['caseworker'] });
    expect(statSync(env.CASES_TOKEN_FILE).mode & 0o077).toBe(0);
    const whoami = spawnSync(process.execPath, ['--import', 'tsx', 'client/cli.ts', 'whoami'], {
      env,
      encoding: 'utf8',
    });
    expect(JSON.parse(whoami.stdout)).toMatchObject({ id: 'cw-amira' });
  }, 120_000);

  it('serves the interactive API documentation from the same contract', async () => {
    await page.goto(`${service.baseUrl}/docs`);
    await page.waitForSelector('text=A caseworker or supervisor action');
    await expect(page.textContent('body')).resolves.toMatch(/reconnect-cases/);
    await page.screenshot({ path: join(tmpdir(), 'reconnect-api-docs.png') });
  });
});
