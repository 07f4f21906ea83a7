import type { Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EncryptionCodec } from '../security/codec';
import type { AccessLog } from './accessLog';
import { staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';

const base64 = z
  .string()
  .max(2_800_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** The Temporal Web UI's codec-server format: payloads with base64 metadata values and data. */
const Payloads = z.object({
  payloads: z
    .array(
      z.object({ metadata: z.record(z.string().max(100), base64).default({}), data: base64.default('') }),
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

/**
 * `/codec/decode` (supervisors) and `/codec/encode` (administrators) for the Temporal Web UI.
 * Every decode is a read of personal data, so it is in the access log with who and why.
 */
export function registerCodecRoutes(
  base: FastifyInstance,
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
  const schema = (summary: string) => ({
    summary,
    security: STAFF_SECURITY,
    body: Payloads,
    response: { 200: Payloads, ...problemResponses },
  });

  app.post(
    '/codec/decode',
    {
      config: { access: { staff: ['supervisor'] } },
      schema: schema('Decrypt payloads for the Temporal Web UI (supervisors; logged)'),
    },
    async (req) => {
      const caller = staffOf(req);
      const header = req.headers['x-access-reason'];
      const why =
        typeof header === 'string' && header.trim().length >= 3
          ? header.trim().slice(0, 200)
          : req.headers.origin === uiOrigin
            ? 'viewing a case in the Temporal Web UI'
            : undefined;
      if (!why) throw new ApiProblem('invalid', 'say why in the x-access-reason header');
      await accessLog.record({ who: caller, caseId: null, what: 'codec-decode', why });
      return { payloads: (await codec.decode(req.body.payloads.map(toPayload))).map(fromPayload) };
    },
  );

  app.post(
    '/codec/encode',
    {
      config: { access: { staff: ['admin'] } },
      schema: schema('Encrypt payloads for the Temporal Web UI (administrators)'),
    },
    async (req) => {
      return { payloads: (await codec.encode(req.body.payloads.map(toPayload))).map(fromPayload) };
    },
  );
}
