import { isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { ValueError } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Unauthenticated } from '../auth/unauthenticated';
import { CaseInputError, CaseRefusedError } from '../client/cases';
import { REFUSAL_STATUS } from '../contract/refusals';

/** Stable problem codes, each with its one HTTP status. */
export const PROBLEM_STATUS = {
  ...REFUSAL_STATUS,
  unauthenticated: 401,
  methodNotAllowed: 405,
  misdirected: 421,
  tooLarge: 413,
  unsupportedMediaType: 415,
  rateLimited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Record<ProblemCode, string> = {
  invalid: 'The request is not valid',
  unauthenticated: 'Sign-in needed',
  forbidden: 'Not permitted',
  notFound: 'Not found',
  methodNotAllowed: 'Method not allowed',
  misdirected: 'Not this service’s address',
  notAllowed: 'Not allowed in the current state',
  closed: 'The case is closed',
  tooLarge: 'The request is too large',
  unsupportedMediaType: 'Unsupported media type',
  rateLimited: 'Too many requests',
  internal: 'Something went wrong',
  unavailable: 'The case store is unavailable',
};

/** RFC 9457 problem details, with the project's stable `code` and, for refusals, what is allowed. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEM_STATUS) as [ProblemCode, ...ProblemCode[]]),
    state: z.string().optional(),
    allowedActions: z.array(z.string()).optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
/** The problem responses every route documents. */
export const problemResponses = {
  '4xx': {
    description: 'A problem with the request',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } },
  },
  '5xx': {
    description: 'A problem on the service side',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } },
  },
};

export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly extra: Pick<Problem, 'state' | 'allowedActions' | 'issues'> = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

export function sendProblem(reply: FastifyReply, code: ProblemCode, detail: string, extra: object = {}) {
  const status = PROBLEM_STATUS[code];
  if (code === 'unauthenticated') void reply.header('www-authenticate', 'Bearer realm="reconnect-cases"');
  if (code === 'unavailable' || code === 'rateLimited') void reply.header('retry-after', '5');
  return reply
    .code(status)
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      type: `urn:reconnect-cases:problem:${code}`,
      title: TITLES[code],
      status,
      detail,
      code,
      ...extra,
    });
}

const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
};

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/**
 * The record store (PostgreSQL) out of reach: refused or dropped connections, and the server
 * shutting down, starting up or cutting the connection (SQLSTATE 57P01–57P03, class 08), or a
 * connection it cut being used again.
 */
const STORE_GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);
/** pg's own words for a connection the server ended, or one used again after it had. */
const STORE_GONE_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed)/;
function storeUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (STORE_GONE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (e instanceof Error && STORE_GONE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

const issuesOf = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** What an error means for the caller. Anything unrecognised is a 500, logged without case data. */
export function problemFor(err: unknown): { code: ProblemCode; detail: string; extra?: object } {
  if (err instanceof ApiProblem) return { code: err.code, detail: err.message, extra: err.extra };
  if (err instanceof Unauthenticated) return { code: 'unauthenticated', detail: err.message };
  if (err instanceof CaseInputError)
    return { code: 'invalid', detail: err.message, extra: { issues: err.issues } };
  if (err instanceof CaseRefusedError) {
    const { state, allowedActions, issues } = err.details;
    return {
      code: err.code,
      detail: err.message,
      extra: {
        ...(state ? { state } : {}),
        ...(allowedActions ? { allowedActions } : {}),
        ...(issues ? { issues: issuesOf(issues as { path: PropertyKey[]; message: string }[]) } : {}),
      },
    };
  }
  if (err instanceof z.ZodError)
    return { code: 'invalid', detail: 'invalid request', extra: { issues: issuesOf(err.issues) } };
  if (hasZodFastifySchemaValidationErrors(err)) {
    return {
      code: 'invalid',
      detail: 'the request does not match the API contract',
      extra: {
        issues: err.validation.slice(0, 50).map((v) => ({
          path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
          message: v.message ?? 'invalid',
        })),
      },
    };
  }
  if (err instanceof WorkflowNotFoundError) return { code: 'notFound', detail: 'no such case' };
  if (err instanceof ValueError) return { code: 'invalid', detail: 'a payload could not be read' };
  const grpc = grpcCode(err);
  if (grpc === GRPC.INVALID_ARGUMENT)
    return { code: 'invalid', detail: 'the case store refused the request as invalid' };
  if (grpc === GRPC.NOT_FOUND) return { code: 'notFound', detail: 'no such case' };
  if (grpc === GRPC.RESOURCE_EXHAUSTED)
    return { code: 'tooLarge', detail: 'the request is over the case store’s limits' };
  if (grpc === GRPC.UNAVAILABLE || grpc === GRPC.DEADLINE_EXCEEDED || err instanceof ServiceError) {
    return { code: 'unavailable', detail: 'the case store is not answering; try again shortly' };
  }
  if (storeUnreachable(err))
    return { code: 'unavailable', detail: 'the record store is not answering; try again shortly' };
  const f = err as FastifyError;
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'tooLarge', detail: 'the body is over 1 MB' };
  if (f.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { code: 'unsupportedMediaType', detail: 'send application/json' };
  if (f.statusCode === 429) return { code: 'rateLimited', detail: 'too many requests; slow down' };
  if (f.statusCode && f.statusCode >= 400 && f.statusCode < 500)
    return { code: 'invalid', detail: f.message.slice(0, 200) };
  return { code: 'internal', detail: 'internal error' };
}

export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const { code, detail, extra } = problemFor(err);
  if (code === 'internal') {
    // Never the message: it may quote case data.
    req.log.error(
      { err: { name: (err as Error).name, code: (err as { code?: unknown }).code } },
      'request failed',
    );
  }
  return sendProblem(reply, code, detail, extra);
}

/** Staff routes accept a bearer token or the workspace's session cookie. */
export const STAFF_SECURITY: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
