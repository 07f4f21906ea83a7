import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
/** The page's document, typed loosely: tests run in Node, the callback in the browser. */
declare const document: {
  activeElement: unknown;
  documentElement: { scrollWidth: number; clientWidth: number };
};
import { launchChromium, signedIn as signedInAs } from './support/browser';
import { bearer } from './support/auth';
import { eventually } from './support/cluster';
import { dutyLineCall, parentInfantReferral } from './support/referrals';
import { frontDoorReferralSample } from './support/sampleEvents';
import { accessHistory, serviceEnv, startService, tokensFor, type RunningService } from './support/service';
import { realClock } from './support/clock';

// The caseworkers' workspace in Debian's Chromium: GOV.UK pages, axe on each, and a journey
// made with the keyboard alone. Screenshots are kept in data/screenshots.

const SHOTS = join(__dirname, '..', 'data', 'screenshots');
let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  service = await startService(await serviceEnv({ RATE_LIMIT_WRITES_PER_MINUTE: '100000' }));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.interrupt();
});

const axeResults: { page: string; violations: number }[] = [];

/** WCAG 2.2 A and AA rules; every page must have none broken. */
async function checkAccessibility(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  axeResults.push({ page: name, violations: result.violations.length });
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Opens a case through the API as Amira Khan (caseworker). */
async function referByApi(pathway: string, referral: object): Promise<string> {
  const amira = bearer(await tokensFor(service).staff('cw-amira'));
  const created = await fetch(`${service.baseUrl}/cases`, {
    method: 'POST',
    headers: amira,
    body: JSON.stringify({ pathway, referral }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { caseId: string }).caseId;
}

const signedIn = (name: string): Promise<Page> => signedInAs(browser, service.baseUrl, name);

/** Ends the person's session at the identity provider (in another tab), as signing out elsewhere would. */
async function endSessionAtProvider(page: Page): Promise<void> {
  const other = await page.context().newPage();
  await other.goto(`${service.issuer}/session/end`);
  await Promise.all([other.waitForNavigation(), other.click('button:has-text("Yes, sign me out")')]);
  await other.close();
}

/** Signs out with the header's button, and confirms at the identity provider. */
async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign out")')]);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Yes, sign me out")')]);
}

/** Tab until the element has focus, as a keyboard user would; fails if it cannot be reached. */
async function tabTo(page: Page, selector: string): Promise<void> {
  const target = await page.locator(selector).first().elementHandle();
  for (let i = 0; i < 300; i++) {
    if (await page.evaluate((el) => document.activeElement === el, target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} with the keyboard`);
}
async function typeInto(page: Page, selector: string, text: string) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}
/** A radio group is one tab stop: Tab to it, then the arrow keys move through its answers. */
async function choose(page: Page, selector: string, index = 0) {
  await tabTo(page, selector);
  await page.keyboard.press('Space');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
}
async function pressButton(page: Page, text: string) {
  await tabTo(page, `button:has-text("${text}")`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

describe('the workspace in a real browser', () => {
  it('takes a parent–infant referral from the form to closure with the keyboard alone, with no accessibility violations on any page', async () => {
    const page = await signedIn('Amira Khan (caseworker)');
    await checkAccessibility(page, 'my-work');

    await page.goto(`${service.baseUrl}/app/refer/parentInfant`);
    await checkAccessibility(page, 'referral-form');
    // Sent empty: an error summary linking to each field, and the messages inline.
    await pressButton(page, 'Continue');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.title()).toMatch(/^Error: /);
    const summary = await page.locator('.govuk-error-summary__list a').allTextContents();
    expect(summary).toEqual(
      expect.arrayContaining([
        'Enter referrer name',
        'Enter parent name',
        'Select an answer to “Has the baby been born?”',
      ]),
    );
    await checkAccessibility(page, 'referral-form-errors');

    await choose(page, '#referrer-role', 2); // midwife
    await typeInto(page, '#referrer-name', 'Rosa Midwife');
    await choose(page, '#referrer-contact-route');
    await typeInto(page, '#referrer-contact-value', '01296 000001');
    await typeInto(page, '#parent-name', 'Alex Example');
    await choose(page, '#child'); // not born yet
    const due = new Date(Date.now() + 60 * 86400000);
    await typeInto(page, '#child-false-expectedDeliveryDate-day', String(due.getUTCDate()));
    await typeInto(page, '#child-false-expectedDeliveryDate-month', String(due.getUTCMonth() + 1));
    await typeInto(page, '#child-false-expectedDeliveryDate-year', String(due.getUTCFullYear()));
    await typeInto(page, '#childRef', 'CHILD-0001');
    await choose(page, '#socialCareStatus');
    await choose(page, '#openToBuckinghamshireChildrensServices');
    await choose(page, '#concerns-2');
    await pressButton(page, 'Continue');
    await page.waitForSelector('h2:has-text("Check before you send it")');
    expect(await page.textContent('main')).toContain(
      "the child's case is open to Buckinghamshire Children's Services",
    );
    await checkAccessibility(page, 'referral-check');
    await pressButton(page, 'Send referral');
    await page.waitForSelector('.govuk-notification-banner--success');
    expect(await page.textContent('h1')).toContain('Waiting for screening');
    await checkAccessibility(page, 'case');
    const caseUrl = page.url().split('?')[0]!;

    // Screening decision, assessment, a contact, and closure: each through its own form.
    const act = async (name: string, fill: () => Promise<void>) => {
      await tabTo(page, `a:has-text("${name}")`);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      await fill();
      await pressButton(page, 'Save');
      await page.waitForSelector(`.govuk-notification-banner--success:has-text("${name}")`);
    };
    await act('Accept for assessment', async () => {
      await checkAccessibility(page, 'action-form');
      await typeInto(page, '#reason', 'Meets the criteria');
    });
    await act('Record the assessment outcome', () => choose(page, '#suitable'));
    await act('Record a contact', async () => {
      await choose(page, '#kind');
      await choose(page, '#attended');
      const now = new Date();
      await typeInto(page, '#occurredAt-day', String(now.getUTCDate()));
      await typeInto(page, '#occurredAt-month', String(now.getUTCMonth() + 1));
      await typeInto(page, '#occurredAt-year', String(now.getUTCFullYear()));
      await typeInto(page, '#occurredAt-time', '00:01');
    });
    expect(await page.textContent('table')).toBeTruthy();
    expect(await page.locator('main').textContent()).toMatch(/Record a contact\s*cw-amira/);

    // The same form posted twice (a double click, a resend) records once; a post without this
    // session's token records nothing.
    const contacts = async () => {
      await page.goto(caseUrl);
      return page.locator('td:text-is("Record a contact")').count();
    };
    expect(await contacts()).toBe(1);
    const form = await page.request.get(`${caseUrl}/act/RECORD_CONTACT`);
    expect(form.headers()['cache-control']).toBe('no-store');
    expect(form.headers()['content-security-policy']).toMatch(
      /script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/,
    );
    const html = await form.text();
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
    const today = new Date();
    const contact = {
      eventId: hidden('eventId'),
      kind: 'groupSession',
      attended: 'yes',
      'occurredAt-day': String(today.getUTCDate()),
      'occurredAt-month': String(today.getUTCMonth() + 1),
      'occurredAt-year': String(today.getUTCFullYear()),
      'occurredAt-time': '00:02',
    };
    for (let i = 0; i < 2; i++) {
      const sent = await page.request.post(`${caseUrl}/act/RECORD_CONTACT`, {
        form: { ...contact, csrf: hidden('csrf') },
        maxRedirects: 0,
      });
      expect(sent.status()).toBe(303);
    }
    expect(await contacts()).toBe(2);
    const forged = await page.request.post(`${caseUrl}/act/RECORD_CONTACT`, {
      form: { ...contact, eventId: 'another-event-id' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await contacts()).toBe(2);

    // A closure without its reason is refused inline, and the case is unchanged.
    await page.goto(`${caseUrl}/act/CLOSE`);
    await pressButton(page, 'Save');
    await page.waitForSelector('.govuk-error-message');
    await checkAccessibility(page, 'action-form-errors');
    await choose(page, '#closureReason');
    await pressButton(page, 'Save');
    await page.waitForSelector('h1:has-text("Closed")');
  }, 180_000);

  it('shows personal details only after a reason, and the remaining pages have no accessibility violations', async () => {
    // Front door, so the parent–infant figures the reports test counts stay as they are.
    const caseId = await referByApi(
      'frontDoor',
      frontDoorReferralSample({ receivedAt: new Date().toISOString() }),
    );
    const page = await signedIn('Jo Reid (supervisor)');
    const caseUrl = `${service.baseUrl}/app/cases/${caseId}`;
    await page.goto(`${caseUrl}/details`);
    await checkAccessibility(page, 'details-reason');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("View details")')]);
    await page.waitForSelector('.govuk-error-summary');
    await checkAccessibility(page, 'details-reason-errors');
    await page.fill('#reason', 'Preparing the first visit');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("View details")')]);
    expect(await page.textContent('main')).toContain('Baby Testchild');
    await checkAccessibility(page, 'details');
    const log = JSON.stringify(await accessHistory(service, caseId));
    expect(log).toContain('"why":"Preparing the first visit"');
    await page.goto(`${service.baseUrl}/app/refer`);
    await checkAccessibility(page, 'referral-choose');
    const missing = await page.goto(
      `${service.baseUrl}/app/cases/parentInfant-00000000-0000-4000-8000-000000000000`,
    );
    expect(missing?.status()).toBe(404);
    await checkAccessibility(page, 'not-found');
  }, 120_000);

  it('shows the team caseload and the team meeting to a supervisor, and refuses a decision before the meeting with the reason', async () => {
    const caseId = await referByApi('parentInfant', parentInfantReferral({ receivedAt: realClock().now }));
    const toMeeting = await fetch(`${service.baseUrl}/cases/${caseId}/actions`, {
      method: 'POST',
      headers: bearer(await tokensFor(service).staff('cw-amira')),
      body: JSON.stringify({ type: 'REFER_TO_TEAM_MEETING' }),
    });
    expect(toMeeting.status).toBe(200);

    const supervisor = await signedIn('Jo Reid (supervisor)');
    // Caseloads come from visibility, which follows an action within moments.
    const shows = (path: string, text: string) =>
      eventually(async () => {
        await supervisor.goto(service.baseUrl + path);
        return (await supervisor.content()).includes(text) ? true : undefined;
      }, 30_000);
    await shows('/app/caseload', 'Waiting for the team meeting: 1');
    // The team's supervisor sees who each case is about, from the person index.
    expect(await supervisor.textContent('main')).toContain('Jane Testparent');
    await checkAccessibility(supervisor, 'caseload');

    await shows('/app/meeting', caseId);
    const card = supervisor.locator('.govuk-summary-card', {
      has: supervisor.locator(`a[href="/app/cases/${caseId}"]`),
    });
    expect(await card.textContent()).toContain(
      "the child's case is open to Buckinghamshire Children's Services",
    );
    await checkAccessibility(supervisor, 'team-meeting');
    // One line in the access log for the whole agenda, found by each case it showed.
    const agendaReads = (await accessHistory(service, caseId)).filter((e) => e.why === 'team meeting agenda');
    expect(agendaReads.length).toBeGreaterThanOrEqual(1);
    expect(agendaReads.every((e) => e.what === 'list')).toBe(true);

    // Before the meeting has begun, the decision is refused with the case's own reason, on the form.
    await card.locator('input[name="decision"][value="accept"]').check();
    await Promise.all([
      supervisor.waitForNavigation(),
      card.locator('button:has-text("Record decision")').click(),
    ]);
    expect(await supervisor.textContent('.govuk-error-summary')).toMatch(
      /The team meeting starts at \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}/,
    );
  }, 120_000);

  it('gives supervisors service reports with charts and CSV, small counts suppressed, and nobody else', async () => {
    // With the two cases above: 6 from health visitors, 5 from GPs and 1 from a midwife.
    for (const role of [...Array(5).fill('healthVisitor'), ...Array(5).fill('gp')] as const) {
      const referral = parentInfantReferral({ receivedAt: realClock().now });
      await referByApi('parentInfant', { ...referral, referrer: { ...referral.referrer, role } });
    }
    const supervisor = await signedIn('Jo Reid (supervisor)');
    const sources = supervisor.locator('table', {
      has: supervisor.locator('caption:has-text("Referrals by source")'),
    });
    const figure = (label: string) => sources.locator(`tr:has(th:text-is("${label}")) td`).textContent();
    // Open cases' figures are brought up to date every hour, or now on request.
    await supervisor.goto(`${service.baseUrl}/app/reports?pathway=parentInfant`);
    await Promise.all([
      supervisor.waitForNavigation(),
      supervisor.click('button:has-text("Update the figures now")'),
    ]);
    expect(await supervisor.content()).toContain('being brought up to date');
    await eventually(async () => {
      await supervisor.goto(`${service.baseUrl}/app/reports?pathway=parentInfant`);
      // The refresh writes case by case: wait until it has written all twelve.
      return (await sources.locator('tbody tr').count()) === 4 && (await figure('Total')) === '12'
        ? true
        : undefined;
    }, 30_000);
    expect(await figure('Health visitor')).toBe('6');
    // The midwife's 1 is under 5; the GPs' 5 is hidden too, or 12 − 6 − 5 would give the 1 away.
    expect(await figure('Midwife')).toBe('[c]');
    expect(await figure('GP')).toBe('[c]');
    expect(await figure('Total')).toBe('12');
    // Tables with a published count are drawn by Chart.js as well.
    await supervisor.waitForFunction(() => {
      const w = globalThis as unknown as {
        Chart?: { getChart(c: unknown): unknown };
        document: { querySelectorAll(s: string): ArrayLike<unknown> };
      };
      const canvases = Array.from(w.document.querySelectorAll('canvas[data-chart]'));
      return canvases.length > 0 && canvases.every((c) => !!w.Chart?.getChart(c));
    });
    await checkAccessibility(supervisor, 'service-reports');

    const csv = await supervisor.request.get(`${service.baseUrl}/app/reports.csv?pathway=parentInfant`);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers()['content-disposition']).toMatch(/attachment; filename="reconnect-parentInfant-/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('pathway,period_from,period_to,table,counts,category,value');
    expect(text).toMatch(/Referrals by source,referrals received in the period,Midwife,\[c\]/);
    expect(text).toMatch(/Referrals by source,referrals received in the period,Health visitor,6\r\n/);
    expect(text).not.toMatch(/,[1-4]\r\n/);
    expect(text).not.toContain('Alex Example');

    const caseworker = await signedIn('Amira Khan (caseworker)');
    const refused = await caseworker.goto(`${service.baseUrl}/app/reports`);
    expect(refused?.status()).toBe(403);
  }, 120_000);

  it('makes the census and Annex A for a supervisor from the form, each download logged against every case it read', async () => {
    const caseId = await referByApi(
      'frontDoor',
      frontDoorReferralSample({ receivedAt: new Date().toISOString() }),
    );
    const supervisor = await signedIn('Jo Reid (supervisor)');
    await supervisor.goto(`${service.baseUrl}/app/returns`);
    await checkAccessibility(supervisor, 'returns');
    // Nothing chosen, nothing said: each field says what it needs, and nothing is downloaded.
    await Promise.all([
      supervisor.waitForNavigation(),
      supervisor.click('button:has-text("Download the census (XML)")'),
    ]);
    expect(await supervisor.textContent('.govuk-error-summary')).toContain('Choose a collection year');
    await checkAccessibility(supervisor, 'returns-errors');

    const year = await supervisor.locator('input[name="year"]').first().getAttribute('value');
    await supervisor.locator('input[name="year"]').first().check();
    await supervisor
      .locator('form[action="/app/returns/cin"] input[name="reason"]')
      .fill('Annual census submission');
    const [census] = await Promise.all([
      supervisor.waitForEvent('download'),
      supervisor.click('button:has-text("Download the census (XML)")'),
    ]);
    expect(census.suggestedFilename()).toBe(`cin-census-${year}.xml`);
    const xml = readFileSync(await census.path(), 'utf8');
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toContain(`<Collection>CIN</Collection>`);

    const [day, month, yr] = realClock().today.split('-').reverse();
    await supervisor.goto(`${service.baseUrl}/app/returns`);
    await supervisor.fill('#inspection-day', day!);
    await supervisor.fill('#inspection-month', month!);
    await supervisor.fill('#inspection-year', yr!);
    await supervisor
      .locator('form[action="/app/returns/annex-a"] input[name="reason"]')
      .fill('Inspection announced');
    const [annex] = await Promise.all([
      supervisor.waitForEvent('download'),
      supervisor.click('button:has-text("Download Annex A (spreadsheet)")'),
    ]);
    expect(annex.suggestedFilename()).toBe(`annex-a-${realClock().today}.xlsx`);
    expect(
      readFileSync(await annex.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    // Both downloads read this case: its access history names them.
    const reads = (await accessHistory(service, caseId)).filter((e) => e.what === 'return');
    expect(reads.map((e) => e.why)).toEqual([
      `Children in Need census ${year}: Annual census submission`,
      expect.stringMatching(/^Annex A for .*: Inspection announced$/),
    ]);

    // Who has read the case, in the workspace, after a reason.
    await supervisor.goto(`${service.baseUrl}/app/cases/${caseId}`);
    await Promise.all([
      supervisor.waitForNavigation(),
      supervisor.click('a:has-text("See who has read this case")'),
    ]);
    await checkAccessibility(supervisor, 'access-reason');
    await supervisor.fill('#reason', 'Answering a complaint');
    await Promise.all([
      supervisor.waitForNavigation(),
      supervisor.click('button:has-text("Show who has read it")'),
    ]);
    expect(await supervisor.textContent('main')).toContain('Annual census submission');
    await checkAccessibility(supervisor, 'access-history');

    const caseworker = await signedIn('Amira Khan (caseworker)');
    expect((await caseworker.goto(`${service.baseUrl}/app/returns`))?.status()).toBe(403);
  }, 120_000);

  it('records a duty-line call, lists it and closes it as advice, and makes another a referral that becomes one case', async () => {
    const page = await signedIn('Ola Nowak (caseworker)');
    await page.goto(`${service.baseUrl}/app/consultations`);
    await checkAccessibility(page, 'duty-line');
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Record a call or request")')]);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save")')]);
    expect(await page.locator('.govuk-error-summary__list a').allTextContents()).toEqual(
      expect.arrayContaining(['Enter concern']),
    );
    await checkAccessibility(page, 'duty-line-record-errors');
    await page.locator('input[name="pathway"][value="parentInfant"]').check();
    await page.locator('input[name="route"][value="dutyLine"]').check();
    await page.fill('#professional-name', 'Grace Okafor');
    await page.fill('#professional-role', 'Health visitor');
    await page.locator('input[name="professional.contact.route"][value="phone"]').check();
    await page.fill('#professional-contact-value', '01296 000000');
    await page.fill('#concern', 'Mother low in mood since the birth; asks whether a referral is right.');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save")')]);
    await page.waitForSelector('.govuk-notification-banner--success:has-text("Recorded")');
    expect(await page.textContent('h1')).toContain('Duty line call: Open');
    const consultationUrl = page.url().split('?')[0]!;
    const id = consultationUrl.split('/').pop()!;
    expect(await page.getAttribute('main a:has-text("Make a referral")', 'href')).toBe(
      `/app/refer/parentInfant?consultation=${id}`,
    );
    await checkAccessibility(page, 'duty-line-call');
    await eventually(async () => {
      await page.goto(`${service.baseUrl}/app/consultations`);
      return (await page.locator(`a[href="/app/consultations/${id}"]`).count()) ? true : undefined;
    }, 30_000);

    await page.goto(consultationUrl);
    await page.locator('input[name="outcome"][value="adviceGiven"]').check();
    await page.fill('#note', 'Talk to her about consent first.');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Close")')]);
    await page.waitForSelector('.govuk-notification-banner--success:has-text("Closed")');
    expect(await page.textContent('main')).toMatch(/Advice given/);
    expect(await page.textContent('main')).toMatch(/Closed\s*cw-ola/);

    // Another call becomes a referral: the form is the pathway's own, and the case names the call.
    const ola = bearer(await tokensFor(service).staff('cw-ola'));
    const recorded = await fetch(`${service.baseUrl}/consultations`, {
      method: 'POST',
      headers: ola,
      body: JSON.stringify({
        consultation: dutyLineCall({
          route: 'consultationRequest',
          concern: 'Worried about bonding; the family agree to a referral.',
        }),
      }),
    });
    const { consultationId } = (await recorded.json()) as { consultationId: string };
    await page.goto(`${service.baseUrl}/app/consultations/${consultationId}`);
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Make a referral")')]);
    expect(await page.textContent('main')).toContain(
      'This referral comes from a duty-line call or consultation request',
    );
    await page.check('#referrer-role');
    await page.fill('#referrer-name', 'Rosa Midwife');
    await page.check('#referrer-contact-route');
    await page.fill('#referrer-contact-value', '01296 000001');
    await page.fill('#parent-name', 'Alex Example');
    await page.check('#child');
    const due = new Date(Date.now() + 60 * 86400000);
    await page.fill('#child-false-expectedDeliveryDate-day', String(due.getUTCDate()));
    await page.fill('#child-false-expectedDeliveryDate-month', String(due.getUTCMonth() + 1));
    await page.fill('#child-false-expectedDeliveryDate-year', String(due.getUTCFullYear()));
    await page.fill('#childRef', 'CHILD-0002');
    await page.check('#socialCareStatus');
    await page.check('#openToBuckinghamshireChildrensServices');
    await page.check('#concerns-2');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Continue")')]);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send referral")')]);
    await page.waitForSelector('.govuk-notification-banner--success');
    expect(new URL(page.url()).pathname).toBe(
      `/app/cases/parentInfant-${consultationId.slice('consultation-'.length)}`,
    );
    await page.goto(`${service.baseUrl}/app/consultations/${consultationId}`);
    expect(await page.textContent('h1')).toContain('Became a referral');
    expect(await page.locator('a:has-text("Go to the case it became")').count()).toBe(1);
  }, 120_000);

  it('keeps the answers of a form sent after the session ended, and brings them back after signing in', async () => {
    const caseId = await referByApi('parentInfant', parentInfantReferral({ receivedAt: realClock().now }));
    const page = await signedIn('Amira Khan (caseworker)');
    const context = page.context();
    await page.goto(`${service.baseUrl}/app/cases/${caseId}/act/REFER_TO_TEAM_MEETING`);
    await page.fill('#reason', 'Kept across signing in again');
    // The session ends while the form is open.
    await endSessionAtProvider(page);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save")')]);
    expect(await page.textContent('main')).toContain('Your answers are kept for an hour, for you alone');
    await checkAccessibility(page, 'signed-out');
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Sign in again")')]);
    if (await page.isVisible('text=Sign in to reconnect-cases (development)')) {
      await page.click('button:has-text("Amira Khan (caseworker)")');
    }
    await page.waitForSelector('.govuk-notification-banner:has-text("Your answers were kept")');
    expect(await page.inputValue('#reason')).toBe('Kept across signing in again');
    expect(new URL(page.url()).pathname).toBe(`/app/cases/${caseId}/act/REFER_TO_TEAM_MEETING`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save")')]);
    await page.waitForSelector('.govuk-notification-banner--success:has-text("Send to the team meeting")');
    // Read once: the kept answers are gone.
    await page.goto(`${service.baseUrl}/app/cases/${caseId}`);
    expect((await context.cookies()).some((c) => c.name === 'rc_form')).toBe(false);
  }, 120_000);

  it('offers a form kept when a session ended only to the person who typed it, never to the next person on that browser (finding 4)', async () => {
    const caseId = await referByApi('parentInfant', parentInfantReferral({ receivedAt: realClock().now }));
    const formUrl = `${service.baseUrl}/app/cases/${caseId}/act/REFER_TO_TEAM_MEETING`;
    const page = await signedIn('Amira Khan (caseworker)');
    const context = page.context();
    const fillIn = async (text: string) => {
      await page.goto(formUrl);
      await page.fill('#reason', text);
    };
    const save = () => Promise.all([page.waitForNavigation(), page.click('button:has-text("Save")')]);
    const signInAs = async (name: string) => {
      await page.waitForSelector('text=Sign in to reconnect-cases (development)');
      await Promise.all([page.waitForNavigation(), page.click(`button:has-text("${name}")`)]);
    };
    const offered = async () => ({
      banner: await page.isVisible('text=Your answers were kept'),
      reason: await page.inputValue('#reason'),
    });

    // Amira's session ends and the browser forgets it (its cookies go); Ola sits down next.
    await fillIn('Mother disclosed a new address: 12 Example Road');
    await context.clearCookies();
    await save();
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Sign in again")')]);
    await signInAs('Ola Nowak (caseworker)');
    expect(new URL(page.url()).pathname).toBe(new URL(formUrl).pathname);
    expect(await offered()).toEqual({ banner: false, reason: '' });
    await signOut(page);

    // Amira again; her session ends at the provider while the form is open: kept, for her alone.
    await signInAs('Amira Khan (caseworker)');
    await fillIn('Kept for Amira only');
    await endSessionAtProvider(page);
    await save();
    expect(await page.textContent('main')).toContain('Your answers are kept for an hour, for you alone');
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Sign in again")')]);
    await signInAs('Ola Nowak (caseworker)');
    expect(new URL(page.url()).pathname).toBe(new URL(formUrl).pathname);
    expect(await offered()).toEqual({ banner: false, reason: '' });
    await signOut(page);
    await signInAs('Amira Khan (caseworker)');
    await page.goto(formUrl);
    expect(await offered()).toEqual({ banner: true, reason: 'Kept for Amira only' });
  }, 120_000);

  it('keeps content at a 320 px wide viewport and at 200% zoom', async () => {
    const page = await signedIn('Jo Reid (supervisor)');
    for (const [name, viewport, zoom] of [
      ['narrow', { width: 320, height: 640 }, 1],
      ['zoom-200', { width: 1280, height: 800 }, 2],
    ] as const) {
      await page.setViewportSize({ width: viewport.width / zoom, height: viewport.height / zoom });
      for (const path of ['/app', '/app/caseload', '/app/refer/parentInfant', '/app/reports']) {
        await page.goto(service.baseUrl + path);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect({ path, overflow }).toEqual({ path, overflow: 0 });
        await page.screenshot({
          path: join(SHOTS, `${name}${path.replace(/\//g, '-')}.png`),
          fullPage: true,
        });
      }
    }
  }, 120_000);

  afterAll(() => {
    console.log(axeResults.map((r) => `${r.page}: ${r.violations} violations`).join('\n'));
  });
});
