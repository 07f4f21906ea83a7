import { performance } from 'node:perf_hooks';
import { addDays, localDateOf } from '../calendar/calendar';
import { bearer, staffToken, workspaceAs } from '../test/support/auth';
import { parentInfantReferral } from '../test/support/referrals';
import { serviceEnv, startService } from '../test/support/service';
import { allSettled } from './load';
import { percentiles, type Latency } from './servers';

/** The team caseload page as a supervisor of the team and as an administrator, on one service. */
export interface CaseloadFigures {
  openCases: number;
  referredPerSecond: number;
  supervisor: Latency & { p95: number; rows: number; bytes: number; namesShown: boolean };
  admin: Latency & { p95: number; rows: number; bytes: number; namesShown: boolean };
}

/** The team the cases are referred into, and who looks at its caseload (auth/directory.ts). */
const TEAM = 'bucks-reconnect';
const REFERRER = 'cw-amira';
const SUPERVISOR = 'sup-jo';
const ADMIN = 'admin-sam';

/** The name given to the parent of the `i`th case: found on a page only where names are shown. */
const parentName = (i: number) => `Bench${String(i).padStart(4, '0')} Caseloadparent`;

const p95Of = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(0.95 * (ms.length - 1))]!;

/** The rows a caseload page rendered: each case links to its page once per row. */
function rowsOf(html: string): number {
  return new Set([...html.matchAll(/href="\/app\/cases\/([A-Za-z]+-[0-9a-f-]{36})/g)].map((m) => m[1])).size;
}

/**
 * `BENCH_ONLY=caseload`: the service as `npm start` runs it, `openCases` open cases referred into
 * one team through the API (their people indexed in the record store with names), then
 * `GET /app/caseload` `samples` times as a supervisor of the team (who sees names) and as an
 * administrator (who is no supervisor of the team, so sees references only), interleaved.
 */
export async function measureCaseload(o: { openCases: number; samples: number }): Promise<CaseloadFigures> {
  const service = await startService(
    await serviceEnv({
      LOG_LEVEL: 'warn',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      RATE_LIMIT_FORMS_PER_MINUTE: '1000000',
    }),
  );
  try {
    const dataDir = service.env.DATA_DIR!;
    const token = await staffToken({ dataDir, issuer: service.issuer, apiUrl: service.baseUrl }, REFERRER);
    const started = performance.now();
    let next = 0;
    const refer = async () => {
      for (let i = next++; i < o.openCases; i = next++) {
        const receivedAt = new Date().toISOString();
        const referral = parentInfantReferral({
          receivedAt,
          parent: { name: parentName(i), dateOfBirth: '1998-04-02' },
          child: { born: false, expectedDeliveryDate: addDays(localDateOf(receivedAt), 98) },
        });
        const res = await fetch(`${service.baseUrl}/cases`, {
          method: 'POST',
          headers: bearer(token),
          body: JSON.stringify({ pathway: 'parentInfant', referral, team: TEAM }),
        });
        if (res.status !== 201)
          throw new Error(`referral ${i}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      }
    };
    await allSettled(Array.from({ length: 8 }, refer));
    const referredPerSecond = o.openCases / ((performance.now() - started) / 1000);
    console.log(`  ${o.openCases} cases referred into ${TEAM} (${referredPerSecond.toFixed(1)}/s)`);
    // Visibility is eventually consistent: measure once the caseload lists every case.
    for (let tries = 0; tries < 120; tries++) {
      const listed = await fetch(`${service.baseUrl}/cases?team=${TEAM}&open=true&limit=1000`, {
        headers: bearer(token),
      }).then((r) => r.json() as Promise<unknown[]>);
      if (listed.length >= o.openCases) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    const browsers = {
      supervisor: await workspaceAs(service, SUPERVISOR),
      admin: await workspaceAs(service, ADMIN),
    };
    const url = `${service.baseUrl}/app/caseload`;
    const seen = {
      supervisor: { rows: 0, bytes: 0, names: false },
      admin: { rows: 0, bytes: 0, names: false },
    };
    const ms = { supervisor: [] as number[], admin: [] as number[] };
    const get = async (who: 'supervisor' | 'admin') => {
      const t = performance.now();
      const res = await browsers[who].go(url);
      const html = await res.text();
      ms[who].push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${who}: GET /app/caseload answered ${res.status}`);
      seen[who] = { rows: rowsOf(html), bytes: html.length, names: /Bench\d{4} Caseloadparent/.test(html) };
    };
    // One of each first, unmeasured: templates compiled, connections open.
    await get('supervisor');
    await get('admin');
    ms.supervisor.length = 0;
    ms.admin.length = 0;
    for (let i = 0; i < o.samples; i++) {
      await get('supervisor');
      await get('admin');
    }
    const figures = (who: 'supervisor' | 'admin') => ({
      ...percentiles(ms[who]),
      p95: p95Of(ms[who]),
      rows: seen[who].rows,
      bytes: seen[who].bytes,
      namesShown: seen[who].names,
    });
    return {
      openCases: o.openCases,
      referredPerSecond,
      supervisor: figures('supervisor'),
      admin: figures('admin'),
    };
  } finally {
    await service.interrupt();
  }
}

/** The figures as a table, with the supervisor's page against the administrator's. */
export function caseloadTable(f: CaseloadFigures): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows = [
    `| GET /app/caseload, ${f.openCases} open cases in one team | p50 | p95 | rows shown | page size | names shown |`,
    '|---|---|---|---|---|---|',
  ];
  for (const [who, x] of [
    [`supervisor of the team (${SUPERVISOR})`, f.supervisor],
    [`administrator (${ADMIN})`, f.admin],
  ] as const)
    rows.push(
      `| ${who} | ${ms(x.p50)} | ${ms(x.p95)} | ${x.rows} | ${(x.bytes / 1024).toFixed(0)} KiB | ${x.namesShown ? 'yes' : 'no'} |`,
    );
  rows.push(
    `| ratio, supervisor / administrator | ${(f.supervisor.p50 / f.admin.p50).toFixed(2)}× | ${(f.supervisor.p95 / f.admin.p95).toFixed(2)}× | | | |`,
  );
  return rows.join('\n');
}
