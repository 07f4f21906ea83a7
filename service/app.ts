import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiOptions } from '../api/server';
import type { CaseClient } from '../client/cases';
import { talliesOf } from '../reports/report';
import type { FactStore } from '../reports/store';
import { registerPages } from '../web/pages';

/** No projection configured: reports have nothing to count. */
const emptyFacts: FactStore = {
  put: async () => undefined,
  all: async () => [],
  noteRefresh: async () => undefined,
  lastRefresh: async () => undefined,
  tallies: async (o) => talliesOf([], o),
};

export interface AppOptions extends Omit<ApiOptions, 'extend'> {
  /** The reporting projection behind the workspace's service reports; none: an empty one. */
  facts?: FactStore;
  /** Workspace form posts a minute, per signed-in person. */
  formsPerMinute?: number;
  /** The local authority's code for the Children in Need census; absent: 825. */
  laCode?: string;
}

/**
 * The service's one server: the API, and with sessions the staff workspace beside it. The two
 * doors never import each other; they meet only here.
 */
export async function buildApp(cases: CaseClient, o: AppOptions): Promise<FastifyInstance> {
  const { facts, formsPerMinute, laCode, ...api } = o;
  const sessions = o.sessions;
  return buildApi(cases, {
    ...api,
    ...(sessions
      ? {
          extend: (app: FastifyInstance) =>
            registerPages(app, cases, {
              verify: o.verify,
              sessions,
              accessLog: o.accessLog,
              facts: facts ?? emptyFacts,
              formsPerMinute: formsPerMinute ?? 60,
              laCode: laCode ?? '825',
            }),
        }
      : {}),
  });
}
