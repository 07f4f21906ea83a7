import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../service/devServer';
import { bearer } from './support/auth';
import { freePort, serviceEnv, startService, tokensFor, type RunningService } from './support/service';

// The API in front of a Temporal server that goes away and comes back.

let temporal: DevServer;
let service: RunningService;
let port: number;
const temporalData = mkdtempSync(join(tmpdir(), 'reconnect-outage-'));
const startTemporal = () => startDevServer({ dataDir: temporalData, port, namespace: 'default' });

beforeAll(async () => {
  port = await freePort();
  temporal = await startTemporal();
  service = await startService(await serviceEnv({ TEMPORAL_ADDRESS: temporal.address }));
}, 180_000);

afterAll(async () => {
  await service?.interrupt();
  await temporal?.stop();
});

/** Asks until the answer is `status`, for at most `seconds` (the client reconnects on its own). */
async function until(status: number, seconds: number, ask: () => Promise<Response>): Promise<Response> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const res = await ask();
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('when Temporal is unreachable', () => {
  it('answers 503 with a retry hint, keeps running, and recovers by itself when Temporal returns', async () => {
    const headers = bearer(await tokensFor(service).staff('cw-amira'));
    const caseload = () => fetch(`${service.baseUrl}/cases`, { headers });
    expect((await caseload()).status).toBe(200);

    await temporal.stop();
    const down = await caseload();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ code: 'unavailable' });
    expect(service.output()).not.toContain('Stopped.');

    temporal = await startTemporal();
    expect((await until(200, 60, caseload)).status).toBe(200);
  }, 180_000);
});
