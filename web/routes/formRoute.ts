import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Posted } from '../forms';

type Page<Me> = (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => Promise<unknown>;
type Handle<Me> = (
  fn: (req: FastifyRequest, reply: FastifyReply, me: Me) => Promise<unknown>,
) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** A form page: GET shows it, POST sends it to the same function with what was posted. */
export function formRoute<Me>(web: FastifyInstance, path: string, handle: Handle<Me>, page: Page<Me>): void {
  const hide = { schema: { hide: true } };
  web.get(
    path,
    hide,
    handle((req, reply, me) => page(req, reply, me)),
  );
  web.post(
    path,
    hide,
    handle((req, reply, me) => page(req, reply, me, req.body as Posted)),
  );
}
