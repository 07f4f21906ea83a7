import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameToken } from '../../auth/session';
import type { Posted } from '../forms';
import { nav } from './nav';
import { meOf, type Render } from './page';

/** A form is taken only with its session's token: another site's page cannot send one. */
export function csrfCheck(page: Render) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const me = meOf(req);
    if (req.method !== 'POST' || !me) return;
    if (sameToken((req.body as Posted | undefined)?.csrf, me.csrf)) return;
    return page(
      reply,
      'error.njk',
      {
        ...nav(me.caller, ''),
        title: 'Your form has expired',
        message: 'Go back, reload the page and try again.',
      },
      403,
    );
  };
}
