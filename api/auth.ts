import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isStaff, type Caller, type StaffRole } from '../auth/caller';
import { sameToken, type Sessions } from '../auth/session';
import type { Verify } from '../auth/verifier';
import { ApiProblem } from './problems';

/** Who may call a route: staff with one of these roles, or an integration client. */
export type RouteAccess = { staff: readonly StaffRole[] } | { integration: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Absent: the route is public (health, contract, sign-in, assets). */
    access?: RouteAccess;
    /** The 405 answer for methods a contract route does not take. */
    methodNotAllowed?: boolean;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The verified caller of a request; routes with `access` get one or a 401/403 before anything runs. */
export function registerAuthentication(app: FastifyInstance, verify: Verify, sessions?: Sessions): void {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    req.caller = await verify(tokenOf(req));
    if (
      'integration' in access
        ? isStaff(req.caller)
        : !isStaff(req.caller) || !req.caller.roles.some((r) => access.staff.includes(r))
    ) {
      throw new ApiProblem(
        'forbidden',
        'integration' in access
          ? 'this is for integrated systems'
          : `this needs the role: ${access.staff.join(' or ')}`,
      );
    }
  });

  function tokenOf(req: FastifyRequest): string {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = header.length <= 8192 ? BEARER.exec(header) : null;
      if (!m) throw new ApiProblem('unauthenticated', 'the Authorization header must be "Bearer <token>"');
      return m[1]!;
    }
    const session = sessions?.read(req);
    if (!session) throw new ApiProblem('unauthenticated', 'sign in, or send a bearer token');
    // A browser sends the session cookie with any link it follows, another site's too: a read
    // that records a reason under the person's name needs the form token as well.
    if (
      (req.query as { reason?: unknown } | undefined)?.reason !== undefined &&
      !sameToken(req.headers['x-csrf-token'], sessions!.formToken(session))
    ) {
      throw new ApiProblem(
        'forbidden',
        "a read with a reason, signed in through the workspace, needs the workspace's form token (X-CSRF-Token) or a bearer token",
      );
    }
    return session.accessToken;
  }
}

/** The caller of a route that declared `access`: always set by the time a handler runs. */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new ApiProblem('unauthenticated', 'sign in, or send a bearer token');
  return req.caller;
}

export function staffOf(req: FastifyRequest): Extract<Caller, { kind: 'staff' }> {
  const caller = callerOf(req);
  if (!isStaff(caller)) throw new ApiProblem('forbidden', 'this is for staff');
  return caller;
}
