import { hkdfSync } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { decrypt, encrypt } from '../security/codec';
import { isLoopbackUrl } from '../validation/urls';
import { API_AUDIENCE } from './directory';

/**
 * Dashboard sign-in: the authorization-code flow with PKCE against the identity provider. The
 * session is an encrypted, HttpOnly, SameSite=Lax cookie holding the access token; it is
 * Secure whenever the service is not on loopback.
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
}

const Flow = z.object({ verifier: z.string(), state: z.string(), returnTo: z.string() });
const Session = z.object({ accessToken: z.string(), idToken: z.string().optional(), exp: z.number() });
export type Session = z.infer<typeof Session>;

/** A return path inside the service, never another site; the workspace when none is given. */
export const safeReturnTo = (v: unknown) =>
  typeof v === 'string' && /^\/(?![/\\])[\w\-./?=&%#]{0,200}$/.test(v) ? v : '/app';

export interface Sessions {
  /** The session's access token, or nothing (no cookie, tampered, or expired). */
  read(req: FastifyRequest): Session | undefined;
  register(app: FastifyInstance): void;
  /**
   * Keeps a form posted after the session ended, sealed in a short-lived cookie for `path`,
   * so signing in again brings the answers back. False when it is too large to keep.
   */
  keepForm(reply: FastifyReply, path: string, fields: Record<string, unknown>): boolean;
  /** The answers kept for `path`, once: the cookie is cleared as they are read. */
  takeForm(req: FastifyRequest, reply: FastifyReply, path: string): Record<string, unknown> | undefined;
}

export const FORM_COOKIE = 'rc_form';
const KeptForm = z.object({ path: z.string(), fields: z.record(z.string(), z.unknown()) });

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

  const keepForm = (reply: FastifyReply, path: string, fields: Record<string, unknown>) => {
    const sealed = seal({ path, fields });
    // Browsers drop cookies over 4 KB; a form that large is not kept rather than half kept.
    if (sealed.length > 3800) return false;
    void reply.setCookie(FORM_COOKIE, sealed, { ...cookieOptions, path: '/app', maxAge: 3600 });
    return true;
  };
  const takeForm = (req: FastifyRequest, reply: FastifyReply, path: string) => {
    const kept = open(KeptForm, req.cookies[FORM_COOKIE]);
    if (!kept || kept.path !== path) return undefined;
    void reply.clearCookie(FORM_COOKIE, { path: '/app' });
    return kept.fields;
  };

  const read = (req: FastifyRequest) => {
    const s = open(Session, req.cookies[SESSION_COOKIE]);
    return s && s.exp > Date.now() / 1000 ? s : undefined;
  };

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
      const exp = Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 3600);
      const session: Session = {
        accessToken: tokens.access_token,
        exp,
        ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
      };
      return reply
        .clearCookie(FLOW_COOKIE, { path: '/auth' })
        .setCookie(SESSION_COOKIE, seal(session), { ...cookieOptions, maxAge: tokens.expires_in ?? 3600 })
        .redirect(flow.returnTo, 303);
    });

    // Sign-out is a plain form post from the workspace, so this route (alone) reads form bodies.
    void app.register(async (scoped) => {
      scoped.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 1024 },
        (_req, _body, done) => done(null, {}),
      );
      scoped.post('/auth/logout', { schema: { hide: true } }, (req, reply) => {
        const session = open(Session, req.cookies[SESSION_COOKIE]);
        const end = oidc.buildEndSessionUrl(config, {
          post_logout_redirect_uri: `${o.publicUrl}/`,
          ...(session?.idToken ? { id_token_hint: session.idToken } : { client_id: o.clientId }),
        });
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect(end.href, 303);
      });
    });
  };

  return { read, register, keepForm, takeForm };
}
