import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nav } from './nav';
import { meOf, type Render } from './page';

/** One count of form posts per person across the workspace (the API's writes count per address). */
export function formRateLimit(web: FastifyInstance, perMinute: number, page: Render) {
  const limit = web.createRateLimit({
    max: perMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => `workspace:${req.caller?.id ?? req.ip}`,
  });
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const me = meOf(req);
    if (req.method !== 'POST' || !me) return;
    req.caller = me.caller;
    const l = await limit(req);
    if (l.isAllowed || !l.isExceeded) return;
    return page(
      reply.header('retry-after', String(l.ttlInSeconds)),
      'error.njk',
      {
        ...nav(me.caller, ''),
        title: 'Too many forms sent',
        message: `You have sent a lot of forms in the last minute. Nothing was sent this time: wait ${l.ttlInSeconds} seconds, then go back and send it again.`,
      },
      429,
    );
  };
}
