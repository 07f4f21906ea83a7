import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Staff } from '../../access/rules';
import { views } from '../render';

/** The signed-in member of staff a page is for, and their session's form token. */
export interface Me {
  caller: Staff;
  csrf: string;
}

const signedInAs = new WeakMap<FastifyRequest, Me>();

/** Who signed in for this request (set by the signed-in check before any page runs). */
export const meOf = (req: FastifyRequest): Me | undefined => signedInAs.get(req);
export const setMe = (req: FastifyRequest, me: Me): void => void signedInAs.set(req, me);

/** Renders a view as the page's whole answer. */
export type Render = (reply: FastifyReply, template: string, ctx: object, status?: number) => FastifyReply;

/**
 * Every page is rendered by this one function: a fresh script nonce in its content security
 * policy, never kept by a cache, and the header's sign-out form carrying the session's token.
 * The sign-out form continues at the provider (browsers hold redirects to form-action).
 */
export function pageRenderer(signOutOrigin: string | undefined): Render {
  const formAction = ["'self'", ...(signOutOrigin ? [signOutOrigin] : [])].join(' ');
  return (reply, template, ctx, status = 200) => {
    const nonce = randomBytes(16).toString('base64');
    const html = views.render(template, {
      ...ctx,
      cspNonce: nonce,
      assetPath: '/assets',
      signOutToken: meOf(reply.request)?.csrf,
    });
    return reply
      .code(status)
      .header(
        'content-security-policy',
        `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'self'`,
      )
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  };
}
