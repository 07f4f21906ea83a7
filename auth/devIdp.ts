import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { z } from 'zod';
import { API_AUDIENCE, CLI_CLIENT_ID, DASHBOARD_CLIENT_ID, DEV_INTEGRATIONS, DEV_STAFF } from './directory';
import { fileAdapterFactory } from './devIdpStore';

/**
 * The embedded development identity provider: a certified OpenID Provider with fictional staff
 * and integration clients, on loopback only, its keys and client secrets in the data folder.
 * It is never started when an external issuer is configured, and the configuration refuses an
 * API off loopback beside it. Its access tokens are opaque: the API asks it about each one
 * (introspection), so a token it has revoked (sign-out, an ended session) stops at once.
 */
export interface DevIdentityProvider {
  issuer: string;
  secrets: DevSecrets;
  stop(): Promise<void>;
}

const DevSecrets = z.object({
  signingKey: z.record(z.string(), z.unknown()),
  cookieKey: z.string().min(32),
  dashboardSecret: z.string().min(32),
  integrationSecrets: z.record(z.string(), z.string().min(32)),
});
export type DevSecrets = z.infer<typeof DevSecrets>;

const secret = () => randomBytes(32).toString('base64url');

/** Secrets made once into `idp.json` (owner-only) and kept, so tokens outlive a restart. */
export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'idp.json');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = {
      ...privateKey.export({ format: 'jwk' }),
      kid: `dev-${Date.now().toString(36)}`,
      use: 'sig',
      alg: 'ES256',
    };
    const fresh: DevSecrets = {
      signingKey: jwk,
      cookieKey: secret(),
      dashboardSecret: secret(),
      integrationSecrets: Object.fromEntries(DEV_INTEGRATIONS.map((i) => [i.clientId, secret()])),
    };
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const loaded = DevSecrets.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const i of DEV_INTEGRATIONS) loaded.integrationSecrets[i.clientId] ??= secret();
  return loaded;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: Arial, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function signInPage(uid: string): string {
  const people = DEV_STAFF.map(
    (s) =>
      `<li><button type="submit" name="staff" value="${escapeHtml(s.id)}">${escapeHtml(s.name)}</button>
       <span>${escapeHtml(s.id)} · ${escapeHtml(s.teams.join(', ') || 'all teams')}</span></li>`,
  ).join('');
  return page(
    'Sign in to reconnect-cases (development)',
    `<p>This is the development identity provider. Every person here is fictional. Choose who to sign in as.</p>
     <form method="post" action="/interaction/${escapeHtml(uid)}"><ul>${people}</ul></form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) throw new RangeError('form too large');
  }
  return new URLSearchParams(body);
}

export async function startDevIdentityProvider(o: {
  dataDir: string;
  host: string;
  port: number;
  /** Where the workspace lives, for its redirect URIs. */
  apiUrl: string;
  tokenTtlSeconds?: number;
}): Promise<DevIdentityProvider> {
  const secrets = loadOrCreateDevSecrets(o.dataDir);
  const issuer = `http://${o.host}:${o.port}`;
  const staffById = new Map(DEV_STAFF.map((s) => [s.id, s]));
  const integrationById = new Map(DEV_INTEGRATIONS.map((i) => [i.clientId, i]));
  const firstParty = new Set([DASHBOARD_CLIENT_ID, CLI_CLIENT_ID]);
  const ttl = o.tokenTtlSeconds ?? 3600;
  // The names a browser on this machine reaches it by; a page whose own name was rebound to
  // loopback (DNS rebinding) sends its name instead, and is refused.
  const ownHosts = new Set(
    [o.host, '127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${o.port}`.toLowerCase()),
  );

  const configuration: Configuration = {
    // Sessions, grants and tokens in the data folder: tokens outlive a restart, revocations hold.
    adapter: fileAdapterFactory(join(o.dataDir, 'idp-store')),
    clients: [
      {
        client_id: DASHBOARD_CLIENT_ID,
        client_secret: secrets.dashboardSecret,
        redirect_uris: [`${o.apiUrl}/auth/callback`],
        post_logout_redirect_uris: [`${o.apiUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        client_id: CLI_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        response_types: [],
        redirect_uris: [],
      },
      ...DEV_INTEGRATIONS.map((i) => ({
        client_id: i.clientId,
        client_secret: secrets.integrationSecrets[i.clientId]!,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    findAccount: (_ctx, id) => {
      const staff = staffById.get(id);
      if (!staff) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: staff.name, roles: staff.roles, teams: staff.teams }),
      };
    },
    claims: { openid: ['sub'], profile: ['name'] },
    scopes: ['openid', 'profile'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // The command line's sign-in: the person opens the address it prints and confirms its code.
      deviceFlow: {
        enabled: true,
        userCodeInputSource: (ctx, form, _out, err) => {
          ctx.body = page(
            'Sign in the command line',
            `${err ? '<p>That code was not right, or has expired.</p>' : '<p>Enter the code the command line shows.</p>'}
             ${form}<input name="user_code" autocomplete="off" aria-label="Code" required>
             <button type="submit" form="op.deviceInputForm">Continue</button>`,
          );
        },
        userCodeConfirmSource: (ctx, form, client, _info, userCode) => {
          ctx.body = page(
            'Sign in the command line',
            `<p>${escapeHtml(String(client.clientName ?? client.clientId))} asks to act as you. Check that it shows
             <strong>${escapeHtml(userCode)}</strong>.</p>${form}
             <button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
             <button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Cancel</button>`,
          );
        },
        successSource: (ctx) => {
          ctx.body = page('Signed in', '<p>The command line is signed in. You can close this page.</p>');
        },
      },
      // The API asks about each token with the workspace's own (confidential) client, and
      // nobody else may; each client revokes only its own tokens.
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client) => client.clientId === DASHBOARD_CLIENT_ID,
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page(
            'Sign out of reconnect-cases (development)',
            `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== API_AUDIENCE) throw new errors.InvalidTarget();
          const integration = integrationById.get(client.clientId);
          return {
            scope: integration ? integration.scopes.join(' ') : 'cases',
            audience: API_AUDIENCE,
            accessTokenFormat: 'opaque',
            accessTokenTTL: ttl,
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const staff = 'accountId' in token && token.accountId ? staffById.get(token.accountId) : undefined;
      return staff ? { roles: staff.roles, teams: staff.teams } : undefined;
    },
    // The service's own clients need no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      if (!firstParty.has(client.clientId)) return undefined;
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(API_AUDIENCE, 'cases');
      await grant.save();
      return grant;
    },
    pkce: { required: () => true },
    jwks: { keys: [secrets.signingKey] },
    cookies: { keys: [secrets.cookieKey] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: ttl, IdToken: ttl, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600 },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in problem', `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>`);
    },
  };

  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
    if (req.method === 'POST') {
      const staff = staffById.get((await readForm(req)).get('staff') ?? '');
      if (!staff) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page('Sign-in problem', '<p>Choose one of the listed people.</p>'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: staff.id } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The form's redirects end at the workspace, and browsers hold redirects to form-action too.
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${new URL(o.apiUrl).origin}`,
    });
    res.end(signInPage(uid));
  };

  const server: Server = createServer((req, res) => {
    if (!ownHosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('This identity provider answers only at its own address.');
      return;
    }
    const m = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/.exec(req.url ?? '');
    if (!m) return void callback(req, res);
    interaction(req, res, m[1]!).catch(() => {
      if (res.headersSent) return res.end();
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Sign-in problem', '<p>This sign-in has expired. Go back and start again.</p>'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    issuer,
    secrets,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
