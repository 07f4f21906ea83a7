import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Outbox } from '../activities/notifier';
import type { Sessions } from '../auth/session';
import { SESSION_COOKIE } from '../auth/session';
import type { Verify } from '../auth/verifier';
import type { CaseClient } from '../client/cases';
import type { EncryptionCodec } from '../security/codec';
import type { AccessLog } from '../store/accessLog';
import { registerAuthentication } from './auth';
import { registerCaseRoutes } from './caseRoutes';
import { registerCodecRoutes } from './codec';
import { registerRecordRoutes } from './recordRoutes';
import { registerOversightRoutes } from './oversightRoutes';
import { registerPersonRoutes } from './personRoutes';
import type { Records } from '../store/records';
import { registerConsultationRoutes } from './consultationRoutes';
import { ApiProblem, handleError, sendProblem } from './problems';

/** Bodies are small: the largest referral is a few kilobytes; Temporal's own limit is 2 MB. */
export const BODY_LIMIT = 1_000_000;
const MAX_DEPTH = 16;

/** Log lines never carry tokens, cookies or bodies. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export interface ApiOptions {
  verify: Verify;
  /** Published for the command line's sign-in. */
  signIn?: { issuer: string; audience: string; cliClientId: string };
  /** Dashboard sign-in; without it only bearer tokens are accepted. */
  sessions?: Sessions;
  accessLog: AccessLog;
  /** The record store's person index and archive, for subject access requests and legal holds. */
  records?: Pick<Records, 'people' | 'archive'>;
  outbox?: Outbox;
  /** Serves the codec endpoints for the Temporal Web UI at this origin. */
  codec?: { codec: EncryptionCodec; uiOrigin: string };
  writesPerMinute?: number;
  /**
   * More routes on the same server (the staff workspace), registered after the case routes and
   * before the contract's method checks; the API knows nothing of what they are.
   */
  extend?: (app: FastifyInstance) => Promise<void>;
  /**
   * The `Host` header values the service answers to (`host[:port]`, lower case): any other is
   * refused before anything runs, so a page whose name was rebound to this address (DNS
   * rebinding) reaches nothing. Unset: any.
   */
  allowedHosts?: readonly string[];
  /** Behind an ingress, client addresses come from its forwarding headers. */
  trustProxy?: boolean;
  logger?: FastifyServerOptions['logger'];
  publicUrl?: string;
}

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const v of Object.values(value)) deepest = Math.max(deepest, depthOf(v, limit - 1));
  return deepest + 1;
}

export async function buildApi(cases: CaseClient, o: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: o.trustProxy ?? false,
    // Prototype keys are dropped from bodies, never merged.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    logController: new LogController({ disableRequestLogging: true }),
    // Long enough for a reason given in the codec's path (200 characters, percent-encoded), so an
    // over-long one is refused by its schema with a problem, not by the router.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
  });
  // The contract's routes, so that any other method on them is a 405 naming the allowed ones.
  const contract = new Map<string, Set<string>>();
  const allowed = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide || route.config?.methodNotAllowed) return;
    const methods = contract.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    contract.set(route.url, methods);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) =>
    // A method the route does not take is a 405, even when its body could not be read.
    req.routeOptions.config.methodNotAllowed
      ? sendProblem(
          reply.header('allow', allowed.get(req.routeOptions.url ?? '') ?? ''),
          'methodNotAllowed',
          'method not allowed',
        )
      : handleError(err, req, reply),
  );
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, 'notFound', `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 100)}`),
  );

  // The raw Host header, never X-Forwarded-Host: a rebound page may set that one itself.
  if (o.allowedHosts) {
    const allowedHosts = new Set(o.allowedHosts);
    app.addHook('onRequest', async (req) => {
      if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
        throw new ApiProblem('misdirected', 'this service answers only at its own addresses');
    });
  }

  // Every refusal and failure is logged, without bodies or case data.
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode < 400) return;
    req.log[reply.statusCode >= 500 ? 'error' : 'info'](
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        caller: req.caller?.id,
        ms: Math.round(reply.elapsedTime),
      },
      'refused',
    );
  });
  app.addHook('preValidation', async (req) => {
    if (depthOf(req.body, MAX_DEPTH + 1) > MAX_DEPTH) {
      throw new ApiProblem('invalid', `the body is nested more than ${MAX_DEPTH} levels deep`);
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'", ...(o.sessions ? ['http:', 'https:'] : [])],
        'upgrade-insecure-requests': o.publicUrl?.startsWith('https:') ? [] : null,
      },
    },
    hsts: !!o.publicUrl?.startsWith('https:'),
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, message: `rate limit: ${ctx.max} a minute` }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'reconnect-cases',
        version: '1.0.0',
        description:
          'Case lifecycles for ReConnect-style services. Staff sign in with the organisation’s identity provider; other systems use client credentials. Errors are RFC 9457 problem details with a stable `code`.',
      },
      ...(o.publicUrl ? { servers: [{ url: o.publicUrl }] } : {}),
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  const https = !!o.publicUrl?.startsWith('https:');
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Over plain http (loopback) the browser must not be told to upgrade the page's own files.
    transformStaticCSP: (csp) => (https ? csp : csp.replace(/\s*upgrade-insecure-requests;?/, '')),
  });

  registerAuthentication(app, o.verify, o.sessions);
  o.sessions?.register(app);

  app.get('/health', { schema: { hide: true } }, () => ({ ok: true }));
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  if (o.signIn) {
    const signIn = o.signIn;
    app.get('/auth/config', { schema: { hide: true } }, () => signIn);
  }
  // People start at the workspace; the API is at its own paths (contract at /docs).
  app.get('/', { schema: { hide: true } }, (_req, reply) =>
    reply.redirect(o.sessions ? '/app' : '/docs', 302),
  );

  registerCaseRoutes(app, cases, {
    accessLog: o.accessLog,
    writesPerMinute: o.writesPerMinute ?? 120,
    ...(o.outbox ? { outbox: o.outbox } : {}),
  });
  if (o.extend) await o.extend(app);
  registerConsultationRoutes(app, cases, {
    accessLog: o.accessLog,
    writesPerMinute: o.writesPerMinute ?? 120,
  });
  registerRecordRoutes(app, cases, { accessLog: o.accessLog, ...(o.records ?? {}) });
  registerOversightRoutes(app, cases, o.accessLog, o.records);
  registerPersonRoutes(app, cases, o.accessLog, o.records);
  if (o.codec) registerCodecRoutes(app, cases, o.codec.codec, o.codec.uiOrigin, o.accessLog);
  await app.after();
  for (const [url, methods] of contract) {
    const allow = [...methods].filter((m) => m !== 'HEAD').join(', ');
    allowed.set(url, allow);
    const others = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY'].filter(
      (m) => !methods.has(m),
    );
    app.route({
      method: others,
      url,
      schema: { hide: true },
      config: { methodNotAllowed: true },
      handler: (_req, reply) =>
        sendProblem(reply.header('allow', allow), 'methodNotAllowed', `${url} takes ${allow}`),
    });
  }
  return app;
}
