import type { Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EncryptionCodec } from '../security/codec';
import type { AccessLog } from './accessLog';
import { staffOf } from './auth';
import { problemResponses, STAFF_SECURITY } from './problems';
import { AccessReason } from './schemas';

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
    headers: z.object({
      'x-access-reason': AccessReason.describe('why the payloads are being read (logged)'),
    }),
    body: Payloads,
    response: { 200: Payloads, ...problemResponses },
  });
  // The Web UI cannot send a reason; its requests come from its own origin, and say so.
  app.addHook('preValidation', async (req) => {
    if (req.url === '/codec/decode' && req.headers.origin === uiOrigin && !req.headers['x-access-reason']) {
      req.headers['x-access-reason'] = 'viewing a case in the Temporal Web UI';
    }
  });

  app.post(
    '/codec/decode',
    {
      config: { access: { staff: ['supervisor'] } },
      schema: schema('Decrypt payloads for the Temporal Web UI (supervisors; logged)'),
    },
    async (req) => {
      const caller = staffOf(req);
      await accessLog.record({
        who: caller,
        caseId: null,
        what: 'codec-decode',
        why: req.headers['x-access-reason'],
      });
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
