import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Sessions } from '../../auth/session';
import type { Verify } from '../../auth/verifier';
import type { CaseClient } from '../../client/cases';
import type { FactStore } from '../../reports/store';
import type { AccessLog } from '../../store/accessLog';
import type { Nav } from '../middleware/nav';
import type { Me, Render } from '../middleware/page';

export interface PageOptions {
  verify: Verify;
  sessions: Sessions;
  accessLog: AccessLog;
  /** The reporting projection the service reports are computed from. */
  facts: FactStore;
  /** Form posts a minute, per signed-in person. */
  formsPerMinute: number;
  /** The local authority's code for the Children in Need census. */
  laCode: string;
}

/** A page's handler, given who is signed in (the middleware has checked them and their form). */
export type PageHandler = (req: FastifyRequest, reply: FastifyReply, me: Me) => Promise<unknown>;
export type Handle = (fn: PageHandler) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What every route module is given. */
export interface Kit {
  handle: Handle;
  page: Render;
  nav: Nav;
  cases: CaseClient;
  o: PageOptions;
}

export const hide = { schema: { hide: true } };
