import type { Payload } from '@temporalio/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CaseClient } from '../client/cases';
import { EncryptionCodec } from '../security/codec';
import { caseToRead } from '../access/rules';
import type { AccessLog } from '../store/accessLog';
import { staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';
import { AccessReason, CaseId } from './schemas';

const base64 = z
  .string()
  .max(2_800_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** The Temporal Web UI's codec-server format: payloads with base64 metadata values and data. */
const Payloads = z.strictObject({
  payloads: z
    .array(
      z.strictObject({
        metadata: z.record(z.string().max(100), base64).default({}),
        data: base64.default(''),
      }),
    )
    .max(100),
});

const toPayload = (p: z.infer<typeof Payloads>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const b64 = (u?: Uint8Array | null) => Buffer.from(u ?? new Uint8Array()).toString('base64');
const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(p.data),
});

const NAMES_NO_CASE =
  'A payload names no case of this service (it was written before payloads named their case, or by a workflow that is not a case), so who may read it cannot be checked: it is decoded for nobody. Read the case through the workspace or GET /cases/:id/details.';

/**
 * `/codec/decode` for the Temporal Web UI: supervisors, for the cases they need to know, with
 * their own reason. Each encrypted payload names its case (bound into its encryption, so the
 * name cannot be swapped); the caller must be allowed to read that case's details, and each
 * case read is in the access log with who and why. The Web UI cannot send a header, so the
 * reason may instead be part of the endpoint a supervisor sets in the Web UI:
 * `/codec/reason/<why>` (the UI posts to `…/decode`).
 *
 * There is no encode endpoint: nothing outside the service's own client makes payloads that
 * the workers would read.
 */
export function registerCodecRoutes(
  base: FastifyInstance,
  cases: CaseClient,
  codec: EncryptionCodec,
  uiOrigin: string,
  accessLog: AccessLog,
): void {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/codec/')) return;
    void reply.header('access-control-allow-origin', uiOrigin);
    void reply.header(
      'access-control-allow-headers',
      'content-type, x-namespace, authorization, x-access-reason',
    );
    void reply.header('access-control-allow-methods', 'POST, OPTIONS');
    void reply.header('access-control-allow-credentials', 'true');
    void reply.header('vary', 'origin');
    if (req.method === 'OPTIONS') await reply.code(204).send();
  });
  const config = { access: { staff: ['supervisor'] as const } };
  const summary = 'Decrypt a case’s payloads for the Temporal Web UI (supervisors who need to know; logged)';

  async function decode(req: FastifyRequest, why: string, body: z.infer<typeof Payloads>) {
    const caller = staffOf(req);
    const payloads = body.payloads.map(toPayload);
    // Payloads that are not encrypted hold nothing to decrypt and are returned as they are.
    const named = payloads.map((p) =>
      EncryptionCodec.isEncrypted(p) ? (EncryptionCodec.workflowIdOf(p) ?? null) : undefined,
    );
    const caseIds = [...new Set(named.filter((n) => n !== undefined))];
    if (caseIds.some((id) => id === null || !CaseId.safeParse(id).success))
      throw new ApiProblem('forbidden', NAMES_NO_CASE);
    for (const caseId of caseIds as string[]) await caseToRead(cases, caller, caseId);
    // Each decrypts only under the case it names (security/codec.ts), so a name swapped in fails here.
    const decoded = await Promise.all(
      payloads.map(async (p, i) => (named[i] ? (await codec.decode([p]))[0]! : p)),
    );
    for (const caseId of caseIds as string[])
      await accessLog.record({ who: caller, caseId, what: 'codec-decode', why });
    return { payloads: decoded.map(fromPayload) };
  }

  app.post(
    '/codec/decode',
    {
      config,
      schema: {
        summary,
        security: STAFF_SECURITY,
        headers: z.object({
          'x-access-reason': AccessReason.describe('why the payloads are being read (logged)'),
        }),
        body: Payloads,
        response: { 200: Payloads, ...problemResponses },
      },
    },
    (req) => decode(req, req.headers['x-access-reason'], req.body),
  );

  app.post(
    '/codec/reason/:reason/decode',
    {
      config,
      schema: {
        summary: `${summary}, the reason in the path (for the Web UI's codec endpoint setting)`,
        security: STAFF_SECURITY,
        params: z.object({ reason: AccessReason.describe('why the payloads are being read (logged)') }),
        body: Payloads,
        response: { 200: Payloads, ...problemResponses },
      },
    },
    (req) => decode(req, req.params.reason, req.body),
  );
}
