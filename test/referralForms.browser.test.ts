import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
import { ComplexCriterion } from '../machines/custody/referral';
import { launchChromium, signedIn as signedInAs } from './support/browser';
import { realClock } from './support/clock';
import { serviceEnv, startService, type RunningService } from './support/service';

// Every pathway's referral form in the workspace, filled in and sent in Debian's Chromium, with
// axe on the form, the check page and the case it opens. Every date comes from the real clock
// the service runs on.

const SHOTS = join(__dirname, '..', 'data', 'screenshots');
let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  service = await startService(await serviceEnv());
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.interrupt();
});

async function checkAccessibility(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const signedIn = (name: string): Promise<Page> => signedInAs(browser, service.baseUrl, name);

/** A UK local date (YYYY-MM-DD) into a GOV.UK date input's three fields. */
async function fillDate(page: Page, id: string, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  await page.fill(`#${id}-day`, String(Number(day)));
  await page.fill(`#${id}-month`, String(Number(month)));
  await page.fill(`#${id}-year`, year!);
}
const choose = (page: Page, name: string, value: string) =>
  page.check(`input[name="${name}"][value="${value}"]`);

async function referrer(page: Page, role: string, name: string): Promise<void> {
  await choose(page, 'referrer.role', role);
  await page.fill('#referrer-name', name);
  await choose(page, 'referrer.contact.route', 'phone');
  await page.fill('#referrer-contact-value', '01296 000003');
}

/** Someone in custody, due out in 10 weeks, aged about 35. */
async function personInCustody(page: Page): Promise<void> {
  const clock = realClock();
  await page.fill('#person-name', 'Sam Leaver');
  await fillDate(page, 'person-dateOfBirth', clock.weeksFromToday(-35 * 52));
  await page.fill('#person-nhsNumber', '943 476 5870');
  await choose(page, 'custody', 'inCustody');
  await choose(page, 'custody.inCustody.setting', 'prison');
  await page.fill('#custody-inCustody-establishment', 'HMP Example');
  await fillDate(page, 'custody-inCustody-releaseDate', clock.weeksFromToday(10));
  await choose(page, 'identifiedHealthNeed', 'yes');
  await page.fill('#healthNeeds', 'Psychosis, managed in custody');
}

/** Opens the pathway's form, fills it in, checks it and sends it; returns the case's page. */
async function refer(
  person: string,
  pathway: string,
  fill: (page: Page) => Promise<void>,
): Promise<{ page: Page; caseId: string }> {
  const page = await signedIn(person);
  await page.goto(`${service.baseUrl}/app/refer/${pathway}`);
  await checkAccessibility(page, `referral-form-${pathway}`);
  await fill(page);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Continue")')]);
  expect(await page.locator('.govuk-error-summary').count()).toBe(0);
  await page.waitForSelector('h2:has-text("Check before you send it")');
  await checkAccessibility(page, `referral-check-${pathway}`);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send referral")')]);
  await page.waitForSelector('.govuk-notification-banner--success');
  const caseId = new URL(page.url()).pathname.split('/').pop()!;
  expect(caseId.startsWith(`${pathway}-`)).toBe(true);
  await checkAccessibility(page, `referral-case-${pathway}`);
  return { page, caseId };
}

describe("every pathway's referral form in the workspace", () => {
  it('parent–infant: filled in and sent, the case opens waiting for screening', async () => {
    const { page } = await refer('Amira Khan (caseworker)', 'parentInfant', async (p) => {
      await referrer(p, 'midwife', 'Rosa Midwife');
      await p.fill('#parent-name', 'Alex Example');
      await p.fill('#parent-nhsNumber', '943 476 5919');
      await choose(p, 'child', 'false');
      await fillDate(p, 'child-false-expectedDeliveryDate', realClock().daysFromToday(60));
      await p.fill('#childRef', 'CHILD-FORM-1');
      await choose(p, 'socialCareStatus', 'childProtectionPlan');
      await choose(p, 'openToBuckinghamshireChildrensServices', 'yes');
      await choose(p, 'concerns', 'mentalIllness');
    });
    expect(await page.textContent('h1')).toContain('Waiting for screening');
  }, 120_000);

  it('front door (finding 9): the form shows its fields, and the referral it sends opens a case', async () => {
    const { page } = await refer('Jo Reid (supervisor)', 'frontDoor', async (p) => {
      // The fields, not just the notice and a button.
      for (const id of [
        '#referrer-name',
        '#child-name',
        '#childRef',
        '#concerns',
        '#familyNotInformedBecause',
      ])
        expect(await p.locator(id).count()).toBe(1);
      await referrer(p, 'school', 'Pat Teacher');
      await p.fill('#child-name', 'Sam Child');
      await fillDate(p, 'child-dateOfBirth', realClock().weeksFromToday(-8 * 52));
      await p.fill('#childRef', 'FD-FORM-1');
      await p.fill('#concerns', 'Bruising seen at school on two days this week.');
      await choose(p, 'significantHarmSuspected', 'no');
      await choose(p, 'familyInformed', 'false');
      await p.fill(
        '#familyNotInformedBecause',
        'Telling the family now could place the child at greater risk.',
      );
    });
    expect(await page.textContent('h1')).toContain('Waiting for a decision on the referral');
  }, 120_000);

  it('RECONNECT: filled in and sent, the case opens for assessment', async () => {
    const { page } = await refer('Ola Nowak (caseworker)', 'reconnect', async (p) => {
      await referrer(p, 'prisonHealthcare', 'Priya Nurse');
      await personInCustody(p);
    });
    expect(await page.textContent('h1')).toContain('Being assessed');
  }, 120_000);

  it('Enhanced RECONNECT: filled in and sent, the case opens for assessment', async () => {
    const { page } = await refer('Ben Carter (caseworker)', 'enhancedReconnect', async (p) => {
      await referrer(p, 'probation', 'Pat Probation');
      await personInCustody(p);
      for (const name of [
        'complexUnmetHealthNeedsLinkedToOffending',
        'consent',
        'livingInOrResettlingToBirminghamAndSolihull',
        'openToProbationOrNsd',
      ])
        await choose(p, name, 'yes');
      // Six of the complex criteria: priority group 3.
      for (const criterion of ComplexCriterion.options.slice(0, 6))
        await choose(p, 'complexCriteria', criterion);
      await choose(p, 'eligibleForIirms', 'no');
    });
    expect(await page.textContent('h1')).toContain('Being assessed');
  }, 120_000);
});
