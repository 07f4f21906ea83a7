import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parentInfantReferral } from './support/referrals';
import { freePort, startService, type RunningService } from './support/service';

let service: RunningService;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  service = await startService({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'reconnect-ui-')),
    API_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.interrupt();
});

async function signIn(role: 'supervisor' | 'caseworker', id: string) {
  await page.fill('#identity input[name=id]', id);
  await page.selectOption('#identity select[name=role]', role);
}

describe('the dashboard in a real browser', () => {
  it('takes a referral, shows the case, records actions and explains refusals', async () => {
    await page.goto(service.baseUrl);
    await expect(page.textContent('#notice')).resolves.toMatch(/not an emergency service.*999/);

    await signIn('caseworker', 'cw-amira');
    await page.selectOption('#refer select[name=pathway]', 'parentInfant');
    await page.fill(
      '#refer textarea[name=referral]',
      JSON.stringify(parentInfantReferral({ receivedAt: new Date().toISOString() })),
    );
    await page.click('#refer button');
    await page.waitForSelector('#refer-result:has-text("opened: screening")');
    await expect(page.textContent('#case-summary')).resolves.toContain('screening');
    const allowed = await page.locator('#action select[name=type] option').allTextContents();
    expect(allowed).toEqual(expect.arrayContaining(['ACCEPT_FOR_ASSESSMENT', 'REFER_TO_TEAM_MEETING']));

    await page.selectOption('#action select[name=type]', 'ASSIGN_WORKER');
    await page.fill('#action textarea[name=fields]', '{"worker":"cw-amira"}');
    await page.click('#action button');
    await page.waitForSelector('#action-result.error');
    await expect(page.textContent('#action-result')).resolves.toMatch(
      /A caseworker may not ASSIGN_WORKER; it needs: supervisor/,
    );

    await signIn('supervisor', 'sup-jo');
    await page.click('#action button');
    await page.waitForSelector('#action-result:not(.error):has-text("Recorded")');
    await expect(page.textContent('#case-summary')).resolves.toContain('cw-amira');
    await expect(page.textContent('#case-timeline')).resolves.toMatch(
      /sup-jo \(supervisor\) · ASSIGN_WORKER/,
    );

    await page.selectOption('#action select[name=type]', 'REFER_TO_TEAM_MEETING');
    await page.fill('#action textarea[name=fields]', '{}');
    await page.fill('#action input[name=reason]', 'needs discussion');
    await page.click('#action button');
    await page.waitForSelector('#action-result:has-text("Now: awaitingTeamMeeting")');
    await expect(page.textContent('#case-deadlines')).resolves.toMatch(/On the team-meeting agenda/);

    await page.click('#filters button');
    await page.waitForSelector('#caseload tbody tr');
    await expect(page.textContent('#caseload tbody')).resolves.toContain('awaitingTeamMeeting');
    await expect(page.textContent('#agenda')).resolves.toMatch(/parentInfant-/);
    await page.screenshot({ path: join(tmpdir(), 'reconnect-dashboard.png'), fullPage: true });
  }, 120_000);

  it('shows a bad referral as field errors and opens nothing', async () => {
    await page.goto(service.baseUrl);
    await page.selectOption('#refer select[name=pathway]', 'reconnect');
    await page.fill('#refer textarea[name=referral]', '{"receivedAt":"yesterday"}');
    await page.click('#refer button');
    await page.waitForSelector('#refer-result.error');
    await expect(page.textContent('#refer-result')).resolves.toMatch(/invalid referral[\s\S]*receivedAt/);
  });
});
