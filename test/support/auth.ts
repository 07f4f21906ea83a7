import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Tokens from the development identity provider, fetched as the real clients would: the
// authorization-code flow with PKCE for staff (headless: the sign-in page is one form), and
// client credentials for integrations. No token is made up here except the forged ones.

const AUDIENCE = 'urn:reconnect-cases:api';

interface IdpFile {
  dashboardSecret: string;
  integrationSecrets: Record<string, string>;
}
const idpFile = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'idp.json'), 'utf8')) as IdpFile;
const b64url = (b: Buffer) => b.toString('base64url');

/** A minimal browser: follows nothing by itself, keeps cookies (all hosts, all paths). */
export function cookieBrowser() {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  };
  return { go, jar };
}

/**
 * Follows redirects from `res` through the provider's sign-in page, choosing `staffId`, until
 * one leads to `redirectUri`; returns that address (with the code and state).
 */
export async function signInRedirect(
  browser: ReturnType<typeof cookieBrowser>,
  first: Response,
  base: string,
  redirectUri: string,
  staffId: string,
): Promise<URL> {
  let res = first;
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get('location');
    if (!location) throw new Error(`sign-in stopped at ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const next = new URL(location, base);
    if (next.href.startsWith(redirectUri)) return next;
    res = /\/interaction\/[^/]+$/.test(next.pathname)
      ? await browser.go(next.href).then(() =>
          browser.go(next.href, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ staff: staffId }).toString(),
          }),
        )
      : await browser.go(next.href);
  }
  throw new Error('sign-in went round in circles');
}

/** A staff member's access token, signed in through the provider's own sign-in page. */
export async function staffToken(
  o: { dataDir: string; issuer: string; apiUrl: string },
  staffId: string,
): Promise<string> {
  const verifier = b64url(randomBytes(32));
  const redirectUri = `${o.apiUrl}/auth/callback`;
  const authorize = new URL(`${o.issuer}/auth`);
  for (const [k, v] of Object.entries({
    client_id: 'dashboard',
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile cases',
    resource: AUDIENCE,
    state: b64url(randomBytes(8)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(k, v);

  const browser = cookieBrowser();
  const back = await signInRedirect(
    browser,
    await browser.go(authorize.href),
    o.issuer,
    redirectUri,
    staffId,
  );
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.search}`);
  const token = await fetch(`${o.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`dashboard:${idpFile(o.dataDir).dashboardSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      resource: AUDIENCE,
    }),
  });
  const json = (await token.json()) as { access_token?: string; error?: string };
  if (!json.access_token) throw new Error(`token endpoint: ${JSON.stringify(json)}`);
  return json.access_token;
}

/** An integration's access token by client credentials. */
export async function integrationToken(
  o: { dataDir: string; issuer: string },
  clientId: string,
  scope: string,
): Promise<string> {
  const res = await fetch(`${o.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${idpFile(o.dataDir).integrationSecrets[clientId]}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: AUDIENCE, scope }),
  });
  const json = (await res.json()) as { access_token?: string };
  if (!json.access_token) throw new Error(`token endpoint: ${JSON.stringify(json)}`);
  return json.access_token;
}

/** A well-formed token signed with a key the provider never published: must be refused. */
export function forgedToken(issuer: string, claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'forged' })));
  const body = b64url(
    Buffer.from(JSON.stringify({ iss: issuer, aud: AUDIENCE, iat: now, exp: now + 600, ...claims })),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${body}.${b64url(signature)}`;
}

/** Bearer headers for JSON requests. */
export const bearer = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

/** A browser signed in to a running service's workspace as `staffId`, through the provider's sign-in page. */
export async function workspaceAs(
  service: { baseUrl: string; issuer: string },
  staffId: string,
): Promise<ReturnType<typeof cookieBrowser>> {
  const browser = cookieBrowser();
  const login = await browser.go(`${service.baseUrl}/auth/login?returnTo=/app`);
  const back = await signInRedirect(
    browser,
    login,
    service.issuer,
    `${service.baseUrl}/auth/callback`,
    staffId,
  );
  const callback = await browser.go(`${service.baseUrl}/auth/callback${back.search}`);
  if (callback.status !== 303) throw new Error(`sign-in as ${staffId} ended with ${callback.status}`);
  return browser;
}
