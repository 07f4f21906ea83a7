import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, cookieBrowser, workspaceAs } from './support/auth';
import { parentInfantReferral } from './support/referrals';
import { realClock } from './support/clock';
import { accessHistory, serviceEnv, startService, tokensFor, type RunningService } from './support/service';

// The side doors around sign-in: sessions, sign-out, revocation, kept forms and the service's
// addresses, each against the running service.

const KEYS_DIR = mkdtempSync(join(tmpdir(), 'reconnect-keys-'));
const KEYS_FILE = join(KEYS_DIR, 'keys.json');
const FORMS_PER_MINUTE = 3;
let service: RunningService;

beforeAll(async () => {
  service = await startService(
    await serviceEnv({ KEYS_FILE, RATE_LIMIT_FORMS_PER_MINUTE: String(FORMS_PER_MINUTE) }),
  );
}, 180_000);

afterAll(async () => {
  await service?.interrupt();
});

type Browser = ReturnType<typeof cookieBrowser>;

/** The form token of a workspace page, as its forms carry it. */
async function formToken(browser: Browser, path = '/app/refer/parentInfant'): Promise<string> {
  const html = await (await browser.go(`${service.baseUrl}${path}`)).text();
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form token on ${path}: ${html.slice(0, 300)}`);
  return m[1]!;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function me(browser: Browser): Promise<number> {
  return (await browser.go(`${service.baseUrl}/me`)).status;
}

/** A request with the Host header a DNS-rebinding page would send. */
function withHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.once('error', reject);
    req.end();
  });
}

async function referByApi(): Promise<string> {
  const created = await fetch(`${service.baseUrl}/cases`, {
    method: 'POST',
    headers: bearer(await tokensFor(service).staff('cw-amira')),
    body: JSON.stringify({
      pathway: 'parentInfant',
      referral: parentInfantReferral({ receivedAt: realClock().now }),
    }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { caseId: string }).caseId;
}

describe('finding 5: sign-out and revocation end access', () => {
  it('sign-out ends the workspace session on the server: its cookie, kept and sent again, is refused', async () => {
    const browser = await workspaceAs(service, 'cw-amira');
    expect(await me(browser)).toBe(200);
    const sealed = browser.jar.get('rc_session')!;
    const out = await browser.go(`${service.baseUrl}/auth/logout`, form({ csrf: await formToken(browser) }));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toMatch(new RegExp(`^${service.issuer}/session/end`));
    // Someone who copied the cookie before sign-out puts it back.
    browser.jar.set('rc_session', sealed);
    expect(await me(browser)).toBe(401);
    const page = await browser.go(`${service.baseUrl}/app`);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/auth\/login/);
  });

  it('a token revoked at the identity provider is refused at once', async () => {
    const token = await tokensFor(service).staff('cw-ola');
    expect((await fetch(`${service.baseUrl}/me`, { headers: bearer(token) })).status).toBe(200);
    const { dashboardSecret } = JSON.parse(readFileSync(join(service.env.DATA_DIR!, 'idp.json'), 'utf8')) as {
      dashboardSecret: string;
    };
    const revoked = await fetch(`${service.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`dashboard:${dashboardSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
    expect(revoked.status).toBe(200);
    const after = await fetch(`${service.baseUrl}/me`, { headers: bearer(token) });
    expect(after.status).toBe(401);
  });

  it('ending the session at the identity provider ends the workspace session', async () => {
    const browser = await workspaceAs(service, 'sup-kim');
    expect(await me(browser)).toBe(200);
    const end = await (await browser.go(`${service.issuer}/session/end`)).text();
    const action = /id="op.logoutForm" method="post" action="([^"]+)"/.exec(end)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(end)![1]!;
    const confirmed = await browser.go(action, form({ xsrf, logout: 'yes' }));
    expect(confirmed.status).toBe(303);
    expect(await me(browser)).toBe(401);
  });
});

describe('finding 6: the development provider beside an exposed API', () => {
  it('refuses to start a non-loopback API beside the development identity provider, naming the setting to change', async () => {
    await expect(startService(await serviceEnv({ API_HOST: '0.0.0.0' }))).rejects.toThrow(
      /API_HOST: .*development identity provider.*OIDC_ISSUER/,
    );
  }, 120_000);

  it('answers only to its own addresses: the API, the workspace and the identity provider refuse another Host', async () => {
    const apiPort = service.env.API_PORT!;
    const idpPort = service.env.IDP_PORT!;
    // A page on another site whose name was rebound to this machine's loopback address.
    expect(await withHost(`${service.baseUrl}/health`, `rebind.example:${apiPort}`)).toBe(421);
    expect(await withHost(`${service.baseUrl}/app`, `rebind.example:${apiPort}`)).toBe(421);
    expect(
      await withHost(`${service.issuer}/.well-known/openid-configuration`, `rebind.example:${idpPort}`),
    ).toBe(421);
    // Its own names still answer.
    expect(await withHost(`${service.baseUrl}/health`, `127.0.0.1:${apiPort}`)).toBe(200);
    expect(await withHost(`${service.baseUrl}/health`, `localhost:${apiPort}`)).toBe(200);
    expect(await withHost(`${service.issuer}/.well-known/openid-configuration`, `127.0.0.1:${idpPort}`)).toBe(
      200,
    );
  });
});

describe('finding 8: the smaller side doors', () => {
  it('limits workspace form posts per signed-in person', async () => {
    const ben = await workspaceAs(service, 'cw-ben');
    const csrf = await formToken(ben);
    const send = (b: Browser, token: string) =>
      b.go(`${service.baseUrl}/app/refer/parentInfant`, form({ csrf: token, 'parent.name': 'Rate Limit' }));
    for (let i = 0; i < FORMS_PER_MINUTE; i++) expect((await send(ben, csrf)).status).toBe(400);
    const limited = await send(ben, csrf);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('You have sent a lot of forms');
    // Another person at the same address is not held back by Ben's posts.
    const ola = await workspaceAs(service, 'cw-ola');
    expect((await send(ola, await formToken(ola))).status).toBe(400);
  });

  it('signs out only on a post with the form token, never from another site', async () => {
    const browser = await workspaceAs(service, 'cw-amira');
    // Another site's form posts to the sign-out address without the token.
    const forged = await browser.go(`${service.baseUrl}/auth/logout`, form({}));
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/app');
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('rc_session='))).toBe(false);
    expect(await me(browser)).toBe(200);
    // A link to it does nothing either.
    expect((await browser.go(`${service.baseUrl}/auth/logout`)).status).toBe(404);
    expect(await me(browser)).toBe(200);
    // The header's sign-out button sends the token.
    const page = await (await browser.go(`${service.baseUrl}/app`)).text();
    expect(page).toMatch(
      /<form method="post" action="\/auth\/logout"[^>]*>\s*<input type="hidden" name="csrf"/,
    );
    const out = await browser.go(`${service.baseUrl}/auth/logout`, form({ csrf: await formToken(browser) }));
    expect(out.headers.get('location')).toMatch(new RegExp(`^${service.issuer}/session/end`));
    expect(await me(browser)).toBe(401);
  });

  it('records a details read with a reason only with the form token, never from a link', async () => {
    const caseId = await referByApi();
    const jo = await workspaceAs(service, 'sup-jo');
    const reason = 'Another site chose this reason';
    // A link on another site, followed while signed in to the workspace.
    const linked = await jo.go(
      `${service.baseUrl}/cases/${caseId}/details?reason=${encodeURIComponent(reason)}`,
    );
    expect(linked.status).toBe(403);
    expect(((await linked.json()) as { detail: string }).detail).toMatch(/form token/);
    const log = async () => JSON.stringify(await accessHistory(service, caseId));
    expect(await log()).not.toContain(reason);
    // The workspace's own reason form, posted with its token, is recorded.
    const csrf = await formToken(jo, `/app/cases/${caseId}/details`);
    const read = await jo.go(
      `${service.baseUrl}/app/cases/${caseId}/details`,
      form({ csrf, reason: 'Preparing a home visit' }),
    );
    expect(read.status).toBe(200);
    expect(await log()).toContain('"why":"Preparing a home visit"');
    // A script of the workspace's own pages may read through the API with the token in a header.
    const scripted = await jo.go(
      `${service.baseUrl}/cases/${caseId}/details?reason=checking%20the%20record`,
      {
        headers: { 'x-csrf-token': csrf },
      },
    );
    expect(scripted.status).toBe(200);
  });

  it('keeps the keys where KEYS_FILE says, outside the data folder', () => {
    expect(existsSync(join(service.env.DATA_DIR!, 'keys.json'))).toBe(false);
    expect(statSync(KEYS_FILE).mode & 0o077).toBe(0);
  });
});
