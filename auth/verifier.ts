import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { z } from 'zod';
import { isReportScope, PrincipalId, StaffRole, TeamId, type Caller } from './caller';
import { Unauthenticated } from './unauthenticated';

export { Unauthenticated };

/** Which claims carry the staff id, roles and teams: they differ between providers. */
export interface ClaimNames {
  id: string;
  roles: string;
  teams: string;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  claims: ClaimNames;
  clockToleranceSeconds: number;
  /**
   * The service's own client at the provider, to ask it about opaque tokens (RFC 7662
   * introspection): a token the provider has revoked is refused at once.
   */
  introspection?: { clientId: string; clientSecret: string };
}

export type Verify = (token: string) => Promise<Caller>;

const Discovery = z.object({
  issuer: z.string(),
  jwks_uri: z.url(),
  introspection_endpoint: z.url().optional(),
});

/** What the provider says about a token it issued (RFC 7662); claims the service maps are kept. */
const Introspected = z.looseObject({
  active: z.boolean(),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  exp: z.number().optional(),
});

/** A JWS compact token (three parts, a header that decodes) as against an opaque one. */
const isJwt = (token: string) => {
  try {
    return token.split('.').length === 3 && !!decodeProtectedHeader(token);
  } catch {
    return false;
  }
};

const listClaim = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? v.split(' ')
      : [];

/** Maps verified claims to a caller; anything it does not recognise is refused, not guessed. */
export function callerFromClaims(payload: JWTPayload, claims: ClaimNames): Caller {
  const scopes = [...listClaim(payload.scope), ...listClaim(payload.scp)];
  const reportScopes = scopes.filter(isReportScope);
  if (reportScopes.length > 0) {
    const id = PrincipalId.safeParse(payload.client_id ?? payload.azp ?? payload.sub);
    if (!id.success) throw new Unauthenticated('the token names no valid client');
    return { kind: 'integration', id: id.data, scopes: reportScopes };
  }
  const id = PrincipalId.safeParse(payload[claims.id]);
  if (!id.success) throw new Unauthenticated(`the token's "${claims.id}" claim is not a staff id`);
  const roles = listClaim(payload[claims.roles]).flatMap((r) => {
    const role = StaffRole.safeParse(r);
    return role.success ? [role.data] : [];
  });
  if (roles.length === 0)
    throw new Unauthenticated(`the token's "${claims.roles}" claim names no role of this service`);
  const teams = listClaim(payload[claims.teams]);
  if (!teams.every((t) => TeamId.safeParse(t).success))
    throw new Unauthenticated('the token names an invalid team');
  return { kind: 'staff', id: id.data, roles: [...new Set(roles)], teams: [...new Set(teams)] };
}

/**
 * Verifies bearer tokens. A JWT: signature against the provider's published keys (from its
 * discovery document), issuer, audience and expiry with a small clock skew. An opaque token
 * (the development provider's): asked of the provider's introspection endpoint on every use,
 * so a token revoked there (sign-out, an ended session, a revoked grant) stops working at once.
 */
export async function createVerifier(o: VerifierOptions): Promise<Verify> {
  const url = `${o.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`the identity provider's discovery document (${url}) answered ${res.status}`);
  const meta = Discovery.parse(await res.json());
  if (meta.issuer !== o.issuer)
    throw new Error(`the discovery document names issuer ${meta.issuer}, not ${o.issuer}`);
  const jwks = createRemoteJWKSet(new URL(meta.jwks_uri), {
    timeoutDuration: 5000,
    cooldownDuration: 30_000,
  });
  const introspect = async (token: string): Promise<JWTPayload> => {
    if (!meta.introspection_endpoint || !o.introspection)
      throw new Unauthenticated('the token is not valid for this service');
    const { clientId, clientSecret } = o.introspection;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
      'base64',
    );
    const res = await fetch(meta.introspection_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`the identity provider's introspection endpoint answered ${res.status}`);
    const info = Introspected.parse(await res.json());
    const audiences = [info.aud ?? []].flat();
    if (!info.active) throw new Unauthenticated('the token has expired or been revoked');
    if ((info.iss !== undefined && info.iss !== o.issuer) || !audiences.includes(o.audience))
      throw new Unauthenticated('the token is not valid for this service');
    if (info.exp === undefined || info.exp + o.clockToleranceSeconds < Date.now() / 1000)
      throw new Unauthenticated('the token has expired');
    return info;
  };

  return async (token) => {
    if (!isJwt(token)) return callerFromClaims(await introspect(token), o.claims);
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: o.issuer,
        audience: o.audience,
        clockTolerance: o.clockToleranceSeconds,
        algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        requiredClaims: ['exp', 'iat'],
      });
      return callerFromClaims(payload, o.claims);
    } catch (err) {
      if (err instanceof Unauthenticated) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new Unauthenticated('the token has expired');
      if (err instanceof joseErrors.JOSEError)
        throw new Unauthenticated('the token is not valid for this service');
      throw err;
    }
  };
}
