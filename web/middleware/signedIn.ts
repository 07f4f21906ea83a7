import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStaff } from '../../auth/caller';
import { sameToken, type Sessions } from '../../auth/session';
import type { Verify } from '../../auth/verifier';
import type { Posted } from '../forms';
import { setMe, type Render } from './page';

export const pathOf = (req: FastifyRequest) => req.url.split('?')[0]!;

/**
 * Every page is for a signed-in member of staff: anyone else is sent to sign in (then back). A
 * form sent after the session ended is kept for the person whose session it was (their form
 * token says this session's page sent it), comes back only to them, and the page says so.
 */
export function signedIn(o: { sessions: Sessions; verify: Verify }, page: Render) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const session = o.sessions.read(req);
    const caller = session ? await o.verify(session.accessToken).catch(() => undefined) : undefined;
    if (session && caller && isStaff(caller) && caller.id === session.staffId) {
      setMe(req, { caller, csrf: o.sessions.formToken(session) });
      return;
    }
    const body = req.method === 'POST' ? (req.body as Posted | undefined) : undefined;
    if (body && typeof body === 'object') {
      const { csrf, confirm: _confirm, ...fields } = body;
      const last = o.sessions.lastOf(req);
      const owner = last && sameToken(csrf, o.sessions.formToken(last)) ? last.staffId : undefined;
      const kept = owner ? o.sessions.keepForm(reply, pathOf(req), owner, fields) : false;
      // The page says what became of the answers; the person follows a link to sign in again.
      return page(
        reply,
        'signed-out.njk',
        {
          title: 'You have been signed out',
          kept,
          unknown: !owner,
          signIn: `/auth/login?returnTo=${encodeURIComponent(pathOf(req).slice(0, 200))}`,
        },
        401,
      );
    }
    return reply.redirect(`/auth/login?returnTo=${encodeURIComponent(req.url.slice(0, 200))}`, 303);
  };
}
