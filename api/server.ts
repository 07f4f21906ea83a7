import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { OutboxNotifier } from '../activities/notifier';
import { CaseInputError, CaseRefusedError, type CaseClient } from '../client/cases';
import { PATHWAYS } from '../machines/common/case';
import { Actor } from '../machines/common/envelope';
import { NOT_AN_EMERGENCY_SERVICE } from '../machines/parentInfant/referral';
import type { EncryptionCodec } from '../security/codec';
import type { AccessLog } from './accessLog';
import { registerCodecRoutes } from './codec';

const DASHBOARD_DIR = join(__dirname, '..', 'dashboard');
const DASHBOARD_FILES = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/dashboard.js', 'dashboard.js', 'text/javascript; charset=utf-8'],
  ['/dashboard.css', 'dashboard.css', 'text/css; charset=utf-8'],
] as const;

const STATUS: Record<string, number> = { invalid: 400, forbidden: 403, notAllowed: 409, closed: 409 };

const ReferralBody = z.object({
  pathway: z.enum(PATHWAYS),
  referral: z.unknown(),
  team: z.string().trim().min(1).max(100).optional(),
  /** A re-referral names the closed case it follows. */
  previousCaseId: z.string().trim().min(1).max(120).optional(),
});

const CaseloadQuery = z.object({
  pathway: z.enum(PATHWAYS).optional(),
  state: z.string().max(60).optional(),
  team: z.string().max(100).optional(),
  worker: z.string().max(100).optional(),
  priorityGroup: z.string().max(20).optional(),
  open: z.enum(['true', 'false']).optional(),
});

/**
 * Who is calling. In production an authenticating proxy (SSO) sets these headers and
 * strips any sent by the browser; the API trusts only that proxy.
 */
function actorOf(req: FastifyRequest) {
  const parsed = Actor.safeParse({ id: req.headers['x-actor-id'], role: req.headers['x-actor-role'] });
  if (!parsed.success) {
    throw new CaseInputError('missing or invalid caller identity', [
      {
        path: 'headers',
        message: 'x-actor-id and x-actor-role (caseworker, supervisor or system) are required',
      },
    ]);
  }
  return parsed.data;
}

function requireRole(req: FastifyRequest, ...roles: string[]) {
  const actor = actorOf(req);
  if (!roles.includes(actor.role))
    throw new CaseRefusedError('forbidden', `this needs the role: ${roles.join(' or ')}`);
  return actor;
}

export interface ApiOptions {
  outbox?: OutboxNotifier;
  accessLog?: AccessLog;
  /** Serves the codec endpoints for the Temporal Web UI at this origin. */
  codec?: { codec: EncryptionCodec; uiOrigin: string };
}

export function buildApi(cases: CaseClient, { outbox, codec, accessLog }: ApiOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof CaseInputError)
      return reply.code(400).send({ error: err.message, issues: err.issues });
    if (err instanceof CaseRefusedError) {
      return reply.code(STATUS[err.code] ?? 409).send({ error: err.message, code: err.code, ...err.details });
    }
    if (err instanceof z.ZodError) {
      return reply.code(400).send({
        error: 'invalid request',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    if (err instanceof WorkflowNotFoundError) return reply.code(404).send({ error: 'no such case' });
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) return reply.code(status).send({ error: (err as Error).message });
    // Never echo internals: they may carry case data.
    app.log.error({ name: (err as Error).name }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.get('/health', () => ({ ok: true }));

  for (const [path, file, type] of DASHBOARD_FILES) {
    app.get(path, (_req, reply) =>
      reply
        .type(type)
        .header('content-security-policy', "default-src 'self'")
        .send(readFileSync(join(DASHBOARD_DIR, file))),
    );
  }

  app.post('/cases', async (req, reply) => {
    const actor = requireRole(req, 'caseworker', 'supervisor');
    const body = ReferralBody.parse(req.body);
    const view = await cases.refer(body.pathway, body.referral, actor, body.team, body.previousCaseId);
    return reply.code(201).send({ ...view, notice: NOT_AN_EMERGENCY_SERVICE });
  });

  app.get('/cases', (req) => {
    requireRole(req, 'supervisor', 'caseworker');
    const q = CaseloadQuery.parse(req.query);
    return cases.caseload({
      ...(q.pathway ? { pathway: q.pathway } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(q.team ? { team: q.team } : {}),
      ...(q.worker ? { namedWorker: q.worker } : {}),
      ...(q.priorityGroup ? { priorityGroup: q.priorityGroup } : {}),
      ...(q.open ? { open: q.open === 'true' } : {}),
    });
  });

  app.get<{ Params: { id: string } }>('/cases/:id', (req) => {
    requireRole(req, 'supervisor', 'caseworker');
    return cases.view(req.params.id);
  });

  app.get<{ Params: { id: string } }>('/cases/:id/timeline', (req) => {
    requireRole(req, 'supervisor', 'caseworker');
    return cases.timeline(req.params.id);
  });

  // Personal data on a need-to-know basis: supervisors, the named worker, or any caseworker
  // while no worker is named (intake). Every read is logged with its reason.
  app.get<{ Params: { id: string } }>('/cases/:id/details', async (req) => {
    const actor = requireRole(req, 'supervisor', 'caseworker');
    const view = await cases.view(req.params.id);
    if (actor.role === 'caseworker' && view.namedWorker && view.namedWorker !== actor.id) {
      throw new CaseRefusedError(
        'forbidden',
        `only the named worker or a supervisor may read this case's details`,
      );
    }
    const why = req.headers['x-access-reason'];
    await accessLog?.record({
      caseId: req.params.id,
      who: actor,
      ...(typeof why === 'string' ? { why } : {}),
    });
    return cases.details(req.params.id);
  });

  app.post<{ Params: { id: string } }>('/cases/:id/actions', (req) => {
    const actor = requireRole(req, 'caseworker', 'supervisor');
    const body = z.record(z.string(), z.unknown()).parse(req.body);
    return cases.act(req.params.id, { ...body, actor });
  });

  app.post<{ Params: { id: string } }>('/cases/:id/reports', async (req, reply) => {
    const actor = requireRole(req, 'system');
    const body = z.record(z.string(), z.unknown()).parse(req.body);
    return reply.code(202).send(await cases.report(req.params.id, { ...body, actor }));
  });

  app.get('/agenda', (req) => {
    requireRole(req, 'supervisor', 'caseworker');
    const q = z.object({ team: z.string().max(100).optional() }).parse(req.query);
    return cases.agenda(q.team);
  });

  app.get('/outbox', (req) => {
    requireRole(req, 'supervisor');
    const q = z.object({ caseId: z.string().max(120).optional() }).parse(req.query);
    return outbox ? outbox.list(q.caseId ? { caseId: q.caseId } : {}) : [];
  });

  if (codec) registerCodecRoutes(app, codec.codec, (req) => requireRole(req, 'supervisor'), codec.uiOrigin);

  return app;
}
