import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
/** The page's document, typed loosely: tests run in Node, the callback in the browser. */
declare const document: { activeElement: unknown };
import { launchChromium, signedIn as signedInAs } from './support/browser';
import { bearer } from './support/auth';
import { realClock } from './support/clock';
import { eventually } from './support/cluster';
import { parentInfantReferral } from './support/referrals';
import { accessHistory, serviceEnv, startService, tokensFor, type RunningService } from './support/service';

// A case's record in Debian's Chromium, with the keyboard alone: a referral of a person known
// to the service, the decision, a case note signed off, a correction, the chronology and its
// print view, and a transfer to another team. Axe checks every page; screenshots are kept in
// data/screenshots/record (ignored by git).

const SHOTS = join(__dirname, '..', 'data', 'screenshots', 'record');
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

/** WCAG 2.2 A and AA rules: none broken; then a screenshot of the page as it is. */
async function checkAccessibility(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${name}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const signedIn = (name: string): Promise<Page> => signedInAs(browser, service.baseUrl, name);

/** Tab until the element has focus, as a keyboard user would; fails if it cannot be reached. */
async function tabTo(page: Page, selector: string): Promise<void> {
  const target = await page.locator(selector).first().elementHandle();
  for (let i = 0; i < 400; i++) {
    if (await page.evaluate((el) => document.activeElement === el, target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} with the keyboard`);
}
async function typeInto(page: Page, selector: string, text: string) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}
/** A radio group is one tab stop: Tab to it, Space, then the arrow keys move through its answers. */
async function choose(page: Page, selector: string, index = 0) {
  await tabTo(page, selector);
  await page.keyboard.press('Space');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
}
/** A button or a link, pressed with Enter, and the page it leads to. */
async function press(page: Page, selector: string) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}
const pressButton = (page: Page, text: string) => press(page, `button:has-text("${text}")`);
const follow = (page: Page, text: string) => press(page, `main a:has-text("${text}")`);
const main = (page: Page) => page.locator('main').innerText();

/** Asks the API as one of the dev staff. */
async function api(who: string, path: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: bearer(await tokensFor(service).staff(who)),
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const PARENT = { name: 'Noor Testparent', dateOfBirth: '1995-06-07' };

describe('a case record in a real browser, with the keyboard alone', () => {
  it('refers a person known to the service, keeps notes, corrections and the chronology, and transfers the case', async () => {
    // An earlier case for the same parent, closed.
    const earlier = await api('cw-amira', '/cases', {
      pathway: 'parentInfant',
      referral: parentInfantReferral({ receivedAt: realClock().now, parent: PARENT, childRef: 'BCS-777001' }),
    });
    const earlierId = earlier.caseId as string;
    await api('cw-amira', `/cases/${earlierId}/actions`, { type: 'CLOSE', closureReason: 'withdrewConsent' });

    // The caseworker makes a referral and is told the parent may be known.
    const amira = await signedIn('Amira Khan (caseworker)');
    await amira.goto(`${service.baseUrl}/app/refer/parentInfant`);
    await choose(amira, '#referrer-role', 2); // midwife
    await typeInto(amira, '#referrer-name', 'Rosa Midwife');
    await choose(amira, '#referrer-contact-route');
    await typeInto(amira, '#referrer-contact-value', '01296 000001');
    await typeInto(amira, '#parent-name', PARENT.name);
    await typeInto(amira, '#parent-dateOfBirth-day', '7');
    await typeInto(amira, '#parent-dateOfBirth-month', '6');
    await typeInto(amira, '#parent-dateOfBirth-year', '1995');
    await choose(amira, '#child'); // not born yet
    const due = new Date(Date.now() + 60 * 86400000);
    await typeInto(amira, '#child-false-expectedDeliveryDate-day', String(due.getUTCDate()));
    await typeInto(amira, '#child-false-expectedDeliveryDate-month', String(due.getUTCMonth() + 1));
    await typeInto(amira, '#child-false-expectedDeliveryDate-year', String(due.getUTCFullYear()));
    await typeInto(amira, '#childRef', 'BCS-777002');
    await choose(amira, '#socialCareStatus');
    await choose(amira, '#openToBuckinghamshireChildrensServices');
    await choose(amira, '#concerns-2');
    await pressButton(amira, 'Continue');
    await amira.waitForSelector('h2:has-text("Check before you send it")');
    const check = await main(amira);
    expect(check).toContain('This person may be known to the service');
    expect(check).toMatch(/Closed/);
    await checkAccessibility(amira, 'referral-person-known');
    // Linked to the closed case as a re-referral, and sent.
    await pressButton(amira, 'Link as a re-referral');
    await amira.waitForSelector('.govuk-notification-banner--success');
    const caseUrl = amira.url().split('?')[0]!;
    const caseId = caseUrl.split('/').at(-1)!;
    expect(await main(amira)).toContain('the earlier case');
    await checkAccessibility(amira, 'case-with-record-links');

    // The supervisor accepts it for assessment from the case page.
    const jo = await signedIn('Jo Reid (supervisor)');
    await jo.goto(caseUrl);
    await follow(jo, 'Accept for assessment');
    await typeInto(jo, '#reason', 'Meets the criteria');
    await pressButton(jo, 'Save');
    await jo.waitForSelector('.govuk-notification-banner--success:has-text("Accept for assessment")');

    // The caseworker records a home visit, marked significant.
    await amira.goto(caseUrl);
    await follow(amira, 'Case notes');
    await checkAccessibility(amira, 'record-notes-empty');
    await follow(amira, 'Add a case note');
    await checkAccessibility(amira, 'record-note-new');
    await pressButton(amira, 'Save note');
    await amira.waitForSelector('.govuk-error-summary');
    expect(await amira.title()).toMatch(/^Error: /);
    await checkAccessibility(amira, 'record-note-new-errors');
    const yesterday = new Date(Date.now() - 86400000);
    await choose(amira, '#noteType'); // home visit
    await typeInto(amira, '#happenedAt-day', String(yesterday.getUTCDate()));
    await typeInto(amira, '#happenedAt-month', String(yesterday.getUTCMonth() + 1));
    await typeInto(amira, '#happenedAt-year', String(yesterday.getUTCFullYear()));
    await typeInto(amira, '#happenedAt-time', '10:00');
    await typeInto(amira, '#present', 'Noor Testparent\nAmira Khan');
    await typeInto(amira, '#text', 'Visited at home. Noor is well and the home is ready for the baby.');
    await choose(amira, '#significant'); // yes
    await choose(amira, '#restricted', 1); // no
    await pressButton(amira, 'Save note');
    await amira.waitForSelector('.govuk-notification-banner--success');
    expect(await main(amira)).toContain('Not signed off');
    await checkAccessibility(amira, 'record-notes');

    // The supervisor reads it and signs it off.
    await jo.goto(`${caseUrl}/notes`);
    await follow(jo, 'View note');
    await checkAccessibility(jo, 'record-note');
    await pressButton(jo, 'Sign off this note');
    await jo.waitForSelector('.govuk-notification-banner--success');
    expect(await main(jo)).toContain('Signed off');
    expect(await jo.locator('button:has-text("Sign off this note")').count()).toBe(0);
    await checkAccessibility(jo, 'record-note-signed-off');

    // The caseworker amends it, saying why: a new version, the first kept.
    await amira.goto(`${caseUrl}/notes`);
    await follow(amira, 'View note');
    await tabTo(amira, '#text');
    await amira.keyboard.press('End');
    await amira.keyboard.type(' The cot has arrived.');
    await typeInto(amira, '#reason', 'Added what I saw on the way out');
    await pressButton(amira, 'Save amendment');
    await amira.waitForSelector('.govuk-notification-banner--success');
    const amended = await main(amira);
    expect(amended).toContain('Amended');
    expect(amended).toContain('Version 2');
    expect(amended).toContain('The cot has arrived.');
    expect(amended).toContain('Added what I saw on the way out');
    await checkAccessibility(amira, 'record-note-amended');

    // The caseworker corrects the parent's address, saying why.
    await amira.goto(caseUrl);
    await follow(amira, 'Correct details');
    await checkAccessibility(amira, 'record-correct');
    await choose(amira, '#person'); // parent
    await choose(amira, '#field', 3); // address
    await typeInto(amira, '#value', '1 New Street, Aylesbury');
    await pressButton(amira, 'Save correction');
    await amira.waitForSelector('.govuk-error-message:has-text("Enter why you are correcting the detail")');
    await checkAccessibility(amira, 'record-correct-errors');
    await typeInto(amira, '#reason', 'The family has moved');
    await pressButton(amira, 'Save correction');
    await amira.waitForSelector('h2:has-text("History of changes")');
    const history = await main(amira);
    expect(history).toContain('1 New Street, Aylesbury');
    expect(history).toContain('The family has moved');
    await checkAccessibility(amira, 'record-history');

    // The chronology: the referral, the decision, the note and the correction.
    await amira.goto(caseUrl);
    await follow(amira, 'Chronology');
    const newestFirst = await amira.locator('.moj-timeline__title').allInnerTexts();
    const chronology = await main(amira);
    for (const entry of [
      'Referral received',
      'Accept for assessment',
      'Home visit (case note)',
      'Correct or update details',
    ])
      expect(chronology).toContain(entry);
    await checkAccessibility(amira, 'record-chronology');
    await amira.goto(`${caseUrl}/chronology?from-day=31&from-month=2&from-year=2026`);
    await amira.waitForSelector('.govuk-error-summary');
    await checkAccessibility(amira, 'record-chronology-errors');
    await amira.goto(`${caseUrl}/chronology`);
    // Oldest first, case notes only.
    await tabTo(amira, '#kinds');
    await amira.keyboard.press('Space'); // events off
    // The order is one radio group: Tab reaches the chosen answer, the arrow key the next.
    await tabTo(amira, '#order');
    await amira.keyboard.press('ArrowDown'); // oldest first
    await pressButton(amira, 'Apply filters');
    expect(await amira.locator('.moj-timeline__title').allInnerTexts()).toEqual(['Home visit (case note)']);
    await amira.goto(`${caseUrl}/chronology?order=oldest`);
    expect(await amira.locator('.moj-timeline__title').allInnerTexts()).toEqual([...newestFirst].reverse());
    // The note and the correction chosen for a print view.
    const titles = await amira.locator('.moj-timeline__title').allInnerTexts();
    for (const t of ['Home visit (case note)', 'Correct or update details']) {
      await tabTo(amira, `#only-${titles.indexOf(t) + 1}`);
      await amira.keyboard.press('Space');
    }
    await pressButton(amira, 'Print view');
    const print = await main(amira);
    expect(print).toContain('Noor Testparent, born 7 June 1995');
    expect(await amira.locator('.moj-timeline__title').allInnerTexts()).toEqual([
      'Home visit (case note)',
      'Correct or update details',
    ]);
    expect(await amira.locator('.govuk-service-navigation').count()).toBe(0);
    await checkAccessibility(amira, 'record-chronology-print');
    // Every read of the record is in the access log, with what it was for.
    const whys = (await accessHistory(service, caseId)).map((e) => e.why);
    expect(whys).toEqual(
      expect.arrayContaining(['case notes', 'chronology', 'chronology print', 'correct details']),
    );

    // The earlier case's closure, signed off by the supervisor.
    await jo.goto(`${service.baseUrl}/app/cases/${earlierId}/oversight`);
    await eventually(async () => {
      await jo.goto(`${service.baseUrl}/app/cases/${earlierId}/oversight`);
      return (await jo.locator('button:has-text("Sign off the closure")').count()) ? true : undefined;
    }, 30_000);
    await checkAccessibility(jo, 'oversight-case');
    await pressButton(jo, 'Sign off the closure');
    await jo.waitForSelector('.govuk-notification-banner--success');
    expect(await main(jo)).toContain('Signed off by sup-jo');
    await jo.goto(`${service.baseUrl}/app/oversight`);
    await checkAccessibility(jo, 'oversight-awaiting');

    // The supervisor transfers the case to another team; that team's supervisor accepts it.
    await jo.goto(caseUrl);
    await follow(jo, 'Transfer');
    await checkAccessibility(jo, 'record-transfer');
    await pressButton(jo, 'Ask to transfer');
    await jo.waitForSelector('.govuk-error-summary');
    await checkAccessibility(jo, 'record-transfer-errors');
    await typeInto(jo, '#toTeam', 'bsol-reconnect');
    await typeInto(jo, '#reason', 'The family has moved to Birmingham');
    await pressButton(jo, 'Ask to transfer');
    await jo.waitForSelector('.govuk-notification-banner--success');

    // The other team's supervisor finds it on My work, offered to their team.
    const kim = await signedIn('Kim Osei (supervisor)');
    const offered = `a[href="/app/cases/${caseId}/transfer/answer"]`;
    await eventually(async () => {
      await kim.goto(`${service.baseUrl}/app`);
      return (await kim.locator(offered).count()) ? true : undefined;
    }, 30_000);
    await checkAccessibility(kim, 'my-work-transfers-offered');
    await press(kim, offered);
    const offer = await main(kim);
    expect(offer).toContain('bucks-reconnect');
    expect(offer).not.toContain('Noor');
    await checkAccessibility(kim, 'record-transfer-answer');
    await pressButton(kim, 'Send answer');
    await kim.waitForSelector('.govuk-error-summary');
    await checkAccessibility(kim, 'record-transfer-answer-errors');
    await choose(kim, '#answer'); // accept
    await pressButton(kim, 'Send answer');
    await kim.waitForSelector('.govuk-notification-banner--success');
    expect(await main(kim)).toContain('bsol-reconnect');

    // The old team's caseworker no longer sees the case: in a search, a match she cannot see.
    const refused = await amira.goto(caseUrl);
    expect(refused?.status()).toBe(403);
    expect(await main(amira)).toMatch(
      /Case PI-\d{2}-\d{4,} is with another team\. You can see its reference only\./,
    );
    expect(await main(amira)).not.toContain('Noor');
    expect((await amira.goto(`${caseUrl}/notes`))?.status()).toBe(403);
    await amira.goto(`${service.baseUrl}/app/people`);
    await checkAccessibility(amira, 'people-search');
    await pressButton(amira, 'Search');
    await amira.waitForSelector('.govuk-error-summary');
    await checkAccessibility(amira, 'people-search-errors');
    await typeInto(amira, '#name', PARENT.name);
    await typeInto(amira, '#dateOfBirth-day', '7');
    await typeInto(amira, '#dateOfBirth-month', '6');
    await typeInto(amira, '#dateOfBirth-year', '1995');
    await typeInto(amira, '#reason', 'Checking before a visit');
    await pressButton(amira, 'Search');
    const found = await main(amira);
    expect(found).toContain('A possible match was found in a case you cannot see. Ask your supervisor.');
    expect(found).not.toContain(caseId);
    await checkAccessibility(amira, 'people-search-results');
  }, 300_000);

  it('withdraws a transfer asked of the wrong team, shows a case offered to a team by its reference, and reopens a closed case', async () => {
    const referral = () =>
      parentInfantReferral({
        receivedAt: realClock().now,
        parent: { name: 'Ada Testparent', dateOfBirth: '1993-02-03' },
      });
    const caseId = (await api('cw-amira', '/cases', { pathway: 'parentInfant', referral: referral() }))
      .caseId as string;
    const caseUrl = `${service.baseUrl}/app/cases/${caseId}`;

    // A transfer asked of a team that does not exist is withdrawn, with a reason.
    const jo = await signedIn('Jo Reid (supervisor)');
    await jo.goto(caseUrl);
    await follow(jo, 'Transfer');
    await typeInto(jo, '#toTeam', 'no-such-team');
    await typeInto(jo, '#reason', 'The family is moving');
    await pressButton(jo, 'Ask to transfer');
    await jo.waitForSelector('.govuk-notification-banner--success');
    await follow(jo, 'Withdraw the transfer');
    expect(await main(jo)).toContain('A transfer to no-such-team is waiting');
    await checkAccessibility(jo, 'record-transfer-withdraw');
    await pressButton(jo, 'Withdraw the transfer');
    await jo.waitForSelector('.govuk-error-summary');
    await checkAccessibility(jo, 'record-transfer-withdraw-errors');
    await typeInto(jo, '#reason', 'Asked of the wrong team');
    await pressButton(jo, 'Withdraw the transfer');
    await jo.waitForSelector('.govuk-notification-banner--success');
    expect(await main(jo)).toContain('Withdraw the transfer');

    // Offered to another team: its supervisor sees the reference and where it is, not the people.
    await api('sup-jo', `/cases/${caseId}/actions`, {
      type: 'TRANSFER_REQUESTED',
      toTeam: 'bsol-reconnect',
      reason: 'The family moved to Birmingham',
    });
    const kim = await signedIn('Kim Osei (supervisor)');
    await kim.goto(caseUrl);
    expect(await main(kim)).toMatch(/Case PI-\d{2}-\d{4,} is offered to your team/);
    expect(await main(kim)).not.toContain('Ada');
    await checkAccessibility(kim, 'case-offered');
    await follow(kim, 'Answer the transfer');
    await choose(kim, '#answer'); // accept
    await pressButton(kim, 'Send answer');
    await kim.waitForSelector('.govuk-notification-banner--success');

    // The old team's caseworker: the case's reference, and nothing more.
    const amira = await signedIn('Amira Khan (caseworker)');
    expect((await amira.goto(caseUrl))?.status()).toBe(403);
    expect(await main(amira)).toMatch(
      /Case PI-\d{2}-\d{4,} is with another team\. You can see its reference only\./,
    );
    expect(await main(amira)).not.toContain('Ada');
    await checkAccessibility(amira, 'case-other-team');

    // A closed case of the team reopens, with a reason, as a new linked case.
    const closedId = (await api('cw-amira', '/cases', { pathway: 'parentInfant', referral: referral() }))
      .caseId as string;
    await api('sup-jo', `/cases/${closedId}/actions`, { type: 'CLOSE', closureReason: 'withdrewConsent' });
    await jo.goto(`${service.baseUrl}/app/cases/${closedId}`);
    await follow(jo, 'Reopen this case');
    await checkAccessibility(jo, 'reopen');
    await pressButton(jo, 'Reopen the case');
    await jo.waitForSelector('.govuk-error-summary');
    expect(await jo.locator('.govuk-error-summary').count()).toBe(1);
    await checkAccessibility(jo, 'reopen-errors');
    await typeInto(jo, '#reason', 'The parent asked for support again');
    await pressButton(jo, 'Reopen the case');
    await jo.waitForSelector('.govuk-notification-banner--success');
    expect(jo.url()).not.toContain(closedId);
    expect(await main(jo)).toContain('Follows');
    await checkAccessibility(jo, 'reopened-case');
  }, 300_000);
});
