import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseClient } from '../client/cases';
import { GOVUK_DIST, MOJ_DIST } from './render';
import type { PageOptions } from './routes/kit';
import { registerWorkspace } from './workspace';

export type { PageOptions } from './routes/kit';

/** The staff workspace: its files, then its pages. */
export async function registerPages(app: FastifyInstance, cases: CaseClient, o: PageOptions): Promise<void> {
  await registerAssets(app);
  await registerWorkspace(app, cases, o);
}

/** GOV.UK Frontend's fonts and images where its stylesheet looks for them, and the pages' scripts and styles. */
async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'govuk', 'assets'),
    prefix: '/assets/',
    index: false,
  });
  const file = (path: string, type: string) => {
    const body = readFileSync(path);
    return (_req: FastifyRequest, reply: FastifyReply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
  };
  const files: [string, string, string][] = [
    ['govuk-frontend.min.css', join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.css'), 'text/css'],
    ['govuk-frontend.min.js', join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.js'), 'text/javascript'],
    ['moj-frontend.min.css', join(MOJ_DIST, 'moj', 'moj-frontend.min.css'), 'text/css'],
    ['moj-frontend.min.js', join(MOJ_DIST, 'moj', 'moj-frontend.min.js'), 'text/javascript'],
    ['app.js', join(__dirname, 'static', 'app.js'), 'text/javascript'],
    ['chart.umd.min.js', join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'text/javascript'],
    ['reports.js', join(__dirname, 'static', 'reports.js'), 'text/javascript'],
    ['app.css', join(__dirname, 'static', 'app.css'), 'text/css'],
    ['print.css', join(__dirname, 'static', 'print.css'), 'text/css'],
  ];
  for (const [name, path, type] of files)
    app.get(`/assets/${name}`, { schema: { hide: true } }, file(path, type));
}
