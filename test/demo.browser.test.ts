import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser';
import { eventually } from './support/cluster';
import { serviceEnv, startService, type RunningService } from './support/service';
import { realClock } from './support/clock';

// What a newcomer does first: start with demo cases, sign in as a caseworker, find what is
// overdue, record a contact, see it on the timeline. No knowledge of the README needed.

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService(await serviceEnv({ DEMO_CASES: 'true' }));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.interrupt();
});

describe('a first look with the demo cases', () => {
  it('shows a caseworker what is overdue, and a contact recorded on the case timeline', async () => {
    expect(service.output()).toMatch(/Demo cases: +5 fictional cases created; sign in as Amira Khan/);
    const created = JSON.parse(readFileSync(join(service.env.DATA_DIR!, 'demo-cases.json'), 'utf8')) as {
      cases: string[];
    };
    expect(created.cases).toHaveLength(5);

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${service.baseUrl}/app`);
    await page.click('button:has-text("Amira Khan (caseworker)")');
    // My work reads visibility, which follows the demo's actions within moments.
    await eventually(async () => {
      await page.goto(`${service.baseUrl}/app`);
      return (await page.textContent('main'))?.includes('My open cases (4)') ? true : undefined;
    }, 30_000);
    const main = (await page.textContent('main'))!;
    expect(main).toMatch(/Overdue \([1-9]\d*\)/);
    expect(main).toMatch(/overdue by \d+ working days?/);
    expect(main).toMatch(/Releases in the next 8 weeks\s*Release on/);

    // The family receiving support is where a contact is recorded.
    await Promise.all([
      page.waitForNavigation(),
      page
        .locator('tr', { has: page.locator('td:text-is("Receiving support")') })
        .locator('a')
        .click(),
    ]);
    await page.click('a:has-text("Record a contact")');
    await page.locator('#kind').first().check();
    await page.locator('#attended').first().check();
    // Today at midnight, UK time: never in the future, whatever the hour the test runs.
    const [year, month, day] = realClock().today.split('-').map(Number);
    await page.fill('#occurredAt-day', String(day));
    await page.fill('#occurredAt-month', String(month));
    await page.fill('#occurredAt-year', String(year));
    await page.fill('#occurredAt-time', '00:00');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save")')]);
    await page.waitForSelector('.govuk-notification-banner--success:has-text("Record a contact")');
    expect(await page.locator('main').textContent()).toMatch(/Record a contact\s*cw-amira/);

    // The demo cases count in the service reports at once, not after the hourly refresh.
    const jo = await (await browser.newContext()).newPage();
    await jo.goto(`${service.baseUrl}/app`);
    await jo.click('button:has-text("Jo Reid (supervisor)")');
    await jo.goto(`${service.baseUrl}/app/reports?pathway=parentInfant`);
    expect(await jo.textContent('main')).toMatch(/Parent–infant ReConnect, .* to .*\./);
    const figure = await jo
      .locator('table', { has: jo.locator('caption:has-text("Open caseload by state")') })
      .locator('tr:has(th:text-is("Total")) td')
      .textContent();
    // Four open parent–infant cases: under 5, so shown as [c] — but counted, not "None".
    expect(figure).toBe('[c]');
  }, 120_000);

  it('creates the demo cases once: a second start adds none', async () => {
    await service.interrupt();
    service = await startService(service.env);
    expect(service.output()).not.toContain('Demo cases:');
    // Nor does it offer the demo again to a data folder that has it.
    expect(service.output()).not.toContain('A first look with fictional cases');
    const created = JSON.parse(readFileSync(join(service.env.DATA_DIR!, 'demo-cases.json'), 'utf8')) as {
      cases: string[];
    };
    expect(created.cases).toHaveLength(5);
  }, 120_000);
});
