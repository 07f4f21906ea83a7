import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import type { EncryptionCodec } from '../security/codec';

/** The Temporal Web UI's codec-server format: payloads with base64 metadata values and data. */
const Body = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') }))
    .max(1000),
});

const b64 = (u?: Uint8Array | null) => Buffer.from(u ?? new Uint8Array()).toString('base64');
const toPayload = (p: z.infer<typeof Body>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(p.data),
});

/**
 * `/codec/decode` and `/codec/encode` for the Temporal Web UI, so authorised staff can read
 * case payloads there. `authorise` decides who may; the UI's origin is allowed by CORS.
 */
export function registerCodecRoutes(
  app: FastifyInstance,
  codec: EncryptionCodec,
  authorise: (req: FastifyRequest) => void,
  uiOrigin: string,
): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/codec/')) return;
    void reply.header('access-control-allow-origin', uiOrigin);
    void reply.header(
      'access-control-allow-headers',
      'content-type, x-namespace, authorization, x-actor-id, x-actor-role',
    );
    void reply.header('access-control-allow-methods', 'POST, OPTIONS');
    void reply.header('vary', 'origin');
    if (req.method === 'OPTIONS') await reply.code(204).send();
  });
  for (const op of ['encode', 'decode'] as const) {
    app.post(`/codec/${op}`, async (req) => {
      authorise(req);
      const { payloads } = Body.parse(req.body);
      const out = await codec[op](payloads.map(toPayload));
      return { payloads: out.map(fromPayload) };
    });
  }
}
