import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { decrypt, encrypt } from '../security/codec';
import { isLoopbackUrl } from '../validation/urls';
import { isStaff } from './caller';
import { API_AUDIENCE } from './directory';
import { tokenId, type RevocationList } from './revocations';
import type { Verify } from './verifier';

/**
 * Dashboard sign-in: the authorization-code flow with PKCE against the identity provider. The
 * session is an encrypted, HttpOnly, SameSite=Lax cookie holding the access token and whose
 * session it is; it is Secure whenever the service is not on loopback. Sign-out (a form post
 * with the session's form token) lists the token as revoked where every API process checks it,
 * revokes it at the provider, and clears the cookie: a copy of the cookie kept from before no
 * longer signs anyone in.
 */
export const SESSION_COOKIE = 'rc_session';
const FLOW_COOKIE = 'rc_signin';

export interface SessionOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  publicUrl: string;
  /** 32 bytes of secret from which the cookie key is derived. */
  secret: Buffer;
  /** Checks the access token at sign-in; the session is for the member of staff it names. */
  verify: Verify;
  /** Signed-out sessions' tokens, shared by every API process. */
  revoked: RevocationList;
}

const Flow = z.object({ verifier: z.string(), state: z.string(), returnTo: z.string() });
const Session = z.object({
  accessToken: z.string(),
  idToken: z.string().optional(),
  exp: z.number(),
  /** Whose session this is: a form kept after it ends is theirs alone. */
  staffId: z.string(),
});
export type Session = z.infer<typeof Session>;

/** A return path inside the service, never another site; the workspace when none is given. */
export const safeReturnTo = (v: unknown) =>
  typeof v === 'string' && /^\/(?![/\\])[\w\-./?=&%#]{0,200}$/.test(v) ? v : '/app';

export interface Sessions {
  /** The session, or nothing (no cookie, tampered, or its token expired); its token is checked by the caller. */
  read(req: FastifyRequest): Session | undefined;
  /** The session the cookie holds even after it has ended: whose it was, for a form sent just after. */
  lastOf(req: FastifyRequest): Session | undefined;
  /**
   * The token the session's forms carry (and a script of its pages sends as `X-CSRF-Token`):
   * another site cannot know it.
   */
  formToken(session: Session): string;
  /** Where sign-out continues at the provider: pages allow their sign-out form to lead there. */
  signOutOrigin: string | undefined;
  register(app: FastifyInstance): void;
  /**
   * Keeps a form posted after `staffId`'s session ended, sealed to them in a short-lived cookie
   * for `path`, so their signing in again brings the answers back. False when it is too large.
   */
  keepForm(reply: FastifyReply, path: string, staffId: string, fields: Record<string, unknown>): boolean;
  /**
   * The answers `staffId` kept for `path`, once: the cookie is cleared as they are read. A form
   * kept by someone else on this browser is never offered.
   */
  takeForm(
    req: FastifyRequest,
    reply: FastifyReply,
    path: string,
    staffId: string,
  ): Record<string, unknown> | undefined;
}

export const FORM_COOKIE = 'rc_form';
/** How long a form sent after its session ended is kept for the person who typed it. */
export const KEPT_FORM_SECONDS = 3600;
const KeptForm = z.object({
  path: z.string(),
  staffId: z.string(),
  fields: z.record(z.string(), z.unknown()),
});

/** Equal strings, compared in constant time. */
export const sameToken = (a: unknown, b: string) =>
  typeof a === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function createSessions(o: SessionOptions): Promise<Sessions> {
  const key = Buffer.from(
    hkdfSync('sha256', o.secret, Buffer.alloc(0), 'reconnect-cases dashboard session', 32),
  );
  const config = await oidc.discovery(
    new URL(o.issuer),
    o.clientId,
    undefined,
    oidc.ClientSecretBasic(o.clientSecret),
    isLoopbackUrl(o.issuer) ? { execute: [oidc.allowInsecureRequests] } : {},
  );
  const secure = !isLoopbackUrl(o.publicUrl);
  const cookieOptions = { httpOnly: true, secure, sameSite: 'lax' as const, path: '/' };

  const seal = (value: unknown) =>
    Buffer.from(encrypt(Buffer.from(JSON.stringify(value)), key)).toString('base64url');
  const open = <T>(schema: z.ZodType<T>, sealed: string | undefined): T | undefined => {
    if (!sealed || sealed.length > 8192) return undefined;
    try {
      return schema.parse(JSON.parse(Buffer.from(decrypt(Buffer.from(sealed, 'base64url'), key)).toString()));
    } catch {
      return undefined;
    }
  };

  const keepForm = (reply: FastifyReply, path: string, staffId: string, fields: Record<string, unknown>) => {
    const sealed = seal({ path, staffId, fields });
    // Browsers drop cookies over 4 KB; a form that large is not kept rather than half kept.
    if (sealed.length > 3800) return false;
    void reply.setCookie(FORM_COOKIE, sealed, { ...cookieOptions, path: '/app', maxAge: KEPT_FORM_SECONDS });
    return true;
  };
  const takeForm = (req: FastifyRequest, reply: FastifyReply, path: string, staffId: string) => {
    const kept = open(KeptForm, req.cookies[FORM_COOKIE]);
    if (!kept || kept.path !== path || kept.staffId !== staffId) return undefined;
    void reply.clearCookie(FORM_COOKIE, { path: '/app' });
    return kept.fields;
  };

  const lastOf = (req: FastifyRequest) => open(Session, req.cookies[SESSION_COOKIE]);
  const read = (req: FastifyRequest) => {
    const s = lastOf(req);
    return s && s.exp > Date.now() / 1000 ? s : undefined;
  };
  const formToken = (session: Session) =>
    createHmac('sha256', key).update(`form:${session.accessToken}`).digest('base64url').slice(0, 32);

  const register = (app: FastifyInstance) => {
    app.get('/auth/login', { schema: { hide: true } }, async (req, reply: FastifyReply) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const returnTo = safeReturnTo((req.query as { returnTo?: unknown }).returnTo);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${o.publicUrl}/auth/callback`,
        scope: 'openid profile cases',
        resource: API_AUDIENCE,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      return reply
        .setCookie(FLOW_COOKIE, seal({ verifier, state, returnTo }), {
          ...cookieOptions,
          path: '/auth',
          maxAge: 600,
        })
        .redirect(url.href, 303);
    });

    app.get('/auth/callback', { schema: { hide: true } }, async (req, reply) => {
      const flow = open(Flow, req.cookies[FLOW_COOKIE]);
      if (!flow) return reply.redirect('/auth/login', 303);
      const current = new URL(req.url, o.publicUrl);
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(
          config,
          current,
          { pkceCodeVerifier: flow.verifier, expectedState: flow.state },
          { resource: API_AUDIENCE },
        );
      } catch {
        return reply.clearCookie(FLOW_COOKIE, { path: '/auth' }).redirect('/auth/login', 303);
      }
      const caller = await o.verify(tokens.access_token).catch((err: unknown) => err as Error);
      if (caller instanceof Error || !isStaff(caller)) {
        return reply
          .clearCookie(FLOW_COOKIE, { path: '/auth' })
          .code(403)
          .type('text/plain; charset=utf-8')
          .send(
            `You signed in, but this service does not know you as a member of staff${caller instanceof Error ? ` (${caller.message})` : ''}.`,
          );
      }
      const lifetime = tokens.expires_in ?? 3600;
      const session: Session = {
        accessToken: tokens.access_token,
        exp: Math.floor(Date.now() / 1000) + lifetime,
        staffId: caller.id,
        ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
      };
      // The cookie outlives its token by the time a form is kept, so a form sent just after the
      // token expires can still be kept for the person who typed it.
      return reply
        .clearCookie(FLOW_COOKIE, { path: '/auth' })
        .setCookie(SESSION_COOKIE, seal(session), { ...cookieOptions, maxAge: lifetime + KEPT_FORM_SECONDS })
        .redirect(flow.returnTo, 303);
    });

    // Sign-out is a form post from the workspace's header with the session's form token, so
    // this route (alone) reads form bodies. Without the token (another site's form) nothing ends.
    void app.register(async (scoped) => {
      scoped.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 1024 },
        (_req, body, done) =>
          done(null, { csrf: new URLSearchParams(String(body)).get('csrf') ?? undefined }),
      );
      scoped.post('/auth/logout', { schema: { hide: true } }, async (req, reply) => {
        const session = lastOf(req);
        if (!session || !sameToken((req.body as { csrf?: unknown } | undefined)?.csrf, formToken(session))) {
          return reply.redirect('/app', 303);
        }
        if (session.exp > Date.now() / 1000) {
          await o.revoked.revoke(tokenId(session.accessToken), session.exp);
          // The provider ends the token too, where it can (opaque tokens; a JWT is refused there).
          if (config.serverMetadata().revocation_endpoint)
            await oidc
              .tokenRevocation(config, session.accessToken, { token_type_hint: 'access_token' })
              .catch(() => undefined);
        }
        const end = oidc.buildEndSessionUrl(config, {
          post_logout_redirect_uri: `${o.publicUrl}/`,
          ...(session.idToken ? { id_token_hint: session.idToken } : { client_id: o.clientId }),
        });
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect(end.href, 303);
      });
    });
  };

  const endSession = config.serverMetadata().end_session_endpoint;
  const signOutOrigin = endSession ? new URL(endSession).origin : undefined;
  return { read, lastOf, formToken, signOutOrigin, register, keepForm, takeForm };
}
