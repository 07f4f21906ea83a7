import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CaseRefusedError } from '../../client/cases';
import { REFUSAL_STATUS } from '../../contract/refusals';
import { PageError } from '../pageError';
import { nav } from './nav';
import { meOf, type Render } from './page';

const TITLES: Readonly<Record<number, string>> = {
  403: 'You cannot see this',
  404: 'Page not found',
};

/** A refusal as the page says it, or nothing for a failure that is not a refusal. */
export function pageErrorOf(err: unknown): { status: number; title: string; message: string } | undefined {
  const of = (status: number, message: string) => ({
    status,
    title: TITLES[status] ?? 'That cannot be done now',
    message,
  });
  if (err instanceof PageError) return of(err.status, err.message);
  // The same table the API answers refusals with.
  if (err instanceof CaseRefusedError) return of(REFUSAL_STATUS[err.code], err.message);
  if ((err as { name?: string }).name === 'WorkflowNotFoundError') return of(404, 'There is no such case.');
  return undefined;
}

/** The workspace's one error handler: refusals become GOV.UK error pages; anything else goes on up. */
export function pageErrors(page: Render) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const me = meOf(req);
    const shown = me ? pageErrorOf(err) : undefined;
    if (!me || !shown) throw err;
    const { status, ...text } = shown;
    return page(reply, 'error.njk', { ...nav(me.caller, ''), ...text }, status);
  };
}
