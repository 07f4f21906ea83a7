import { defaultPayloadConverter } from '@temporalio/common';
import { Client } from '@temporalio/client';
import { CaseClient } from '../client/cases';
import { EncryptionCodec } from '../security/codec';
import { testKeys } from '../test/support/temporal';
import { buildApi } from './server';

// The API's own checks, over real HTTP, with a client that is never asked to reach Temporal.
const keys = testKeys();
const codec = new EncryptionCodec(keys);
const cases = new CaseClient(new Client({ namespace: 'unused' }), { taskQueue: 'q', keys, team: 't' });
const app = buildApi(cases, { codec: { codec, uiOrigin: 'http://127.0.0.1:8233' } });
const supervisor = { 'x-actor-id': 'sup-jo', 'x-actor-role': 'supervisor' };
let base = '';
beforeAll(async () => {
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

async function call(method: string, url: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { statusCode: res.status, headers: res.headers, json: <T>() => JSON.parse(text) as T };
}

describe('HTTP API', () => {
  it('refuses callers without an identity, and roles that may not act', async () => {
    expect((await call('GET', '/cases')).statusCode).toBe(400);
    const asSystem = await call('POST', '/cases', { 'x-actor-id': 'prison', 'x-actor-role': 'system' }, {});
    expect(asSystem.statusCode).toBe(403);
  });

  it('refuses an unknown pathway with the list of pathways, before touching Temporal', async () => {
    const res = await call('POST', '/cases', supervisor, { pathway: 'astrology', referral: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('pathway');
  });

  it('decodes payloads for the Temporal Web UI, for supervisors only', async () => {
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ parent: 'Jane Testparent' })]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(encoded!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(encoded!.data!).toString('base64'),
        },
      ],
    };
    const refused = await call(
      'POST',
      '/codec/decode',
      { 'x-actor-id': 'cw', 'x-actor-role': 'caseworker' },
      body,
    );
    expect(refused.statusCode).toBe(403);
    const res = await call('POST', '/codec/decode', supervisor, body);
    expect(res.statusCode).toBe(200);
    const decoded = res.json<{ payloads: { data: string }[] }>().payloads[0]!;
    expect(Buffer.from(decoded.data, 'base64').toString()).toBe('{"parent":"Jane Testparent"}');
    const preflight = await call('OPTIONS', '/codec/decode', { origin: 'http://127.0.0.1:8233' });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
  });
});
