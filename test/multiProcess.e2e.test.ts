import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { accessLogKeyOf, loadOrCreateKeyFile } from '../security/keys';
import { StoreAccessLog } from '../store/accessLog';
import { CaseReferences, REFERENCE_PATTERN } from '../store/people';
import { openStore } from '../store/store';
import { workspaceAs } from './support/auth';
import { eventually, startApiCluster, type ApiCluster } from './support/cluster';
import { parentInfantReferral } from './support/referrals';

// Two API processes and two case workers on one PostgreSQL (the record store beside Temporal's
// databases): whichever process writes or reads, the references, the access log, the person
// index and the reports are one and the same; and a restart of PostgreSQL in a burst of reads
// and referrals through both APIs loses nothing a caller was told had happened.

const MINUTES = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: ApiCluster;
const tokens: Record<'cw' | 'sup' | 'admin', string> = { cw: '', sup: '', admin: '' };

beforeAll(async () => {
  t = await startApiCluster({ RATE_LIMIT_WRITES_PER_MINUTE: '100000' });
  [tokens.cw, tokens.sup, tokens.admin] = await Promise.all([
    t.token('cw-amira'),
    t.token('sup-jo'),
    t.token('admin-sam'),
  ]);
}, 5 * MINUTES);
afterAll(() => t?.teardown(), 2 * MINUTES);

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/** One request to one API process, as a member of staff. */
async function call(
  via: 0 | 1,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${t.apis[via]}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The API processes and the workers. */
const processes = () => [t.cluster.api!, t.cluster.secondApi!, ...t.cluster.workers];

/**
 * The answer a careful client ends with, and what it was told before: a status, or `network`;
 * and each failed answer's status, problem code and detail.
 */
type Tried = Answer & { failures: (number | 'network')[]; problems: string[] };

/** How many of each, in words. */
function tally(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ×${n}`).join('; ');
}

/** Sends the same request again while the service answers 5xx or not at all, as a careful client does. */
async function careful(send: () => Promise<Answer>, giveUpMs = 3 * MINUTES): Promise<Tried> {
  const failures: Tried['failures'] = [];
  const problems: string[] = [];
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    try {
      const answer = await send();
      if (answer.status < 500) return { ...answer, failures, problems };
      failures.push(answer.status);
      const problem = answer.json as { code?: string; detail?: string } | undefined;
      problems.push(`${answer.status} ${problem?.code} (${problem?.detail})`);
    } catch {
      failures.push('network');
    }
    // A process that has ended is no outage to wait out.
    const ended = processes().filter((p) => !p.running);
    if (ended.length)
      throw new Error(`${ended.map((p) => p.name).join(', ')} ended; see ${t.cluster.logDir}`);
    if (Date.now() > deadline) throw new Error(`still failing after ${giveUpMs} ms: ${tally(problems)}`);
    await sleep(500);
  }
}

/** A valid NHS number (modulus 11), at random. */
function nhsNumber(): string {
  for (;;) {
    const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    const check = (11 - (d.reduce((sum, x, i) => sum + x * (10 - i), 0) % 11)) % 11;
    if (check < 10 && !d.every((x) => x === d[0])) return [...d, check].join('');
  }
}

/** A parent–infant referral received now, with a parent and child of its own. */
function referral(parent: { name?: string; dateOfBirth?: string } = {}) {
  return parentInfantReferral({
    receivedAt: new Date().toISOString(),
    parent: {
      name: parent.name ?? 'Jane Testparent',
      dateOfBirth: parent.dateOfBirth ?? '1998-04-02',
      nhsNumber: nhsNumber(),
    },
    childRef: `BCS-${randomUUID().slice(0, 8)}`,
  });
}

interface Referred {
  caseId: string;
  reference: string;
  via: 0 | 1;
}
const referred: Referred[] = [];
/**
 * Every read answered 200 (of a case's details, or of its access history by an administrator,
 * which reaches the record store before Temporal): which case, what, why (unique), and after how
 * many failed attempts.
 */
const reads: { caseId: string; what: 'details' | 'access-history'; why: string; failures: number }[] = [];

async function refer(via: 0 | 1, body: ReturnType<typeof referral>): Promise<Tried> {
  const answer = await careful(() =>
    call(via, tokens.cw, 'POST', '/cases', { pathway: 'parentInfant', referral: body }),
  );
  expect(answer.status).toBe(201);
  const { caseId, reference } = answer.json as { caseId: string; reference: string };
  referred.push({ caseId, reference, via });
  return answer;
}

async function readDetails(via: 0 | 1, caseId: string, why: string): Promise<Tried> {
  const answer = await careful(() =>
    call(via, tokens.cw, 'GET', `/cases/${caseId}/details?reason=${encodeURIComponent(why)}`),
  );
  expect(answer.status).toBe(200);
  reads.push({ caseId, what: 'details', why, failures: answer.failures.length });
  return answer;
}

async function readHistory(via: 0 | 1, caseId: string, why: string): Promise<Tried> {
  const answer = await careful(() =>
    call(via, tokens.admin, 'GET', `/cases/${caseId}/access?reason=${encodeURIComponent(why)}`),
  );
  expect(answer.status).toBe(200);
  reads.push({ caseId, what: 'access-history', why, failures: answer.failures.length });
  return answer;
}

/** The case a reference names, asked of one API (from the search attributes). */
async function byReference(via: 0 | 1, reference: string): Promise<string[]> {
  const answer = await call(via, tokens.cw, 'GET', `/cases?reference=${reference}`);
  expect(answer.status).toBe(200);
  return (answer.json as { caseId: string }[]).map((r) => r.caseId);
}

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

const person = { name: 'Nadia Twohosts', dateOfBirth: '1991-07-19' };
const personReferral = referral(person);

describe('two API processes and two workers on one PostgreSQL', () => {
  it(
    'agree on references, the access log, the person index and the reports, whichever process wrote or reads them',
    async () => {
      // The person's case through API-1, then referrals through both APIs at once.
      const personCaseId = (await refer(0, personReferral)).json as { caseId: string };
      const bodies = Array.from({ length: 9 }, () => referral());
      await pool(
        bodies.map((body, i) => ({ body, via: ((i + 1) % 2) as 0 | 1 })),
        6,
        async ({ body, via }) => void (await refer(via, body)),
      );
      const references = referred.map((r) => r.reference);
      expect(references.every((r) => REFERENCE_PATTERN.test(r))).toBe(true);
      expect(new Set(references).size).toBe(bodies.length + 1);
      // Each found by its reference through either API.
      for (const { caseId, reference } of referred) {
        for (const via of [0, 1] as const) {
          expect(
            await eventually(async () => {
              const found = await byReference(via, reference);
              return found.length ? found : undefined;
            }),
          ).toEqual([caseId]);
        }
      }

      // Each case read through both APIs, with a reason each.
      await pool(referred, 6, async ({ caseId }) => {
        const [one, two] = await Promise.all([
          readDetails(0, caseId, `first look via api-1 ${randomUUID()}`),
          readDetails(1, caseId, `second look via api-2 ${randomUUID()}`),
        ]);
        expect(two.json).toEqual(one.json);
      });
      // Each case's access history, asked through either API, lists the reads made through both.
      for (const { caseId } of referred) {
        const whys = reads
          .filter((r) => r.what === 'details')
          .filter((r) => r.caseId === caseId)
          .map((r) => r.why)
          .sort();
        for (const via of [0, 1] as const) {
          const history = await call(
            via,
            tokens.sup,
            'GET',
            `/cases/${caseId}/access?reason=${encodeURIComponent('who has looked at this case')}`,
          );
          expect(history.status).toBe(200);
          const entries = history.json as { what: string; why: string; who: { id: string } }[];
          expect(
            entries
              .filter((e) => e.what === 'details')
              .map((e) => e.why)
              .sort(),
          ).toEqual(whys);
        }
      }

      // The person of a case referred through API-1, found through API-2 by NHS number and by
      // name and date of birth: their access history across cases, as CSV.
      const personCase = referred.find((r) => r.caseId === personCaseId.caseId)!;
      for (const search of [
        { nhsNumber: personReferral.parent.nhsNumber },
        { name: person.name.toUpperCase(), dateOfBirth: person.dateOfBirth },
      ]) {
        const csv = await call(1, tokens.admin, 'POST', '/access-log/person', {
          ...search,
          reason: 'subject access request SAR-1',
        });
        expect(csv.status).toBe(200);
        const rows = csv.text
          .trim()
          .split(/\r\n/)
          .slice(1)
          .map((l) => l.split(','));
        const whys = reads
          .filter((r) => r.what === 'details' && r.caseId === personCase.caseId)
          .map((r) => r.why);
        expect(new Set(rows.map((r) => r[3]))).toEqual(new Set([personCase.caseId]));
        expect(
          rows
            .filter((r) => r[4] === 'details')
            .map((r) => r[5])
            .sort(),
        ).toEqual(whys.sort());
      }

      // The report facts, written by a worker when the refresh runs, read the same through both
      // APIs (the workspace's session is the same cookie on both).
      const temporal = new Client({ connection: await Connection.connect({ address: t.cluster.address }) });
      try {
        await temporal.schedule.getHandle('reporting-refresh').trigger();
      } finally {
        await temporal.connection.close();
      }
      const browser = await workspaceAs({ baseUrl: t.apis[0], issuer: t.issuer }, 'sup-jo');
      const reportCsv = async (via: 0 | 1) => {
        const res = await browser.go(`${t.apis[via]}/app/reports.csv?pathway=parentInfant`);
        expect(res.status).toBe(200);
        return res.text();
      };
      // Referrals received in the period, from the CSV's table, category and value columns.
      const received = (csv: string) =>
        csv
          .split('\r\n')
          .map((l) => l.split(','))
          .find((r) => r[3] === 'Referrals by source' && r[5] === 'Total')?.[6];
      const report = await eventually(async () => {
        const csv = await reportCsv(0);
        return received(csv) === String(referred.length) ? csv : undefined;
      });
      expect(await reportCsv(1)).toBe(report);
    },
    5 * MINUTES,
  );

  it(
    'lose nothing through a restart of PostgreSQL in a burst of reads and referrals through both APIs',
    async () => {
      const cases = referred.map((r) => r.caseId);
      const outcomes: Tried[] = [];
      let stopping = false;
      let sent = 0;
      // Eight callers at once, each alternating the API it asks: six asking for a case's details,
      // its access history, a referral, and again; two only for access histories, which an
      // administrator reads from the record store alone (the others wait on Temporal too, whose
      // own database is down as well).
      const callers = Array.from({ length: 8 }, async (_, c) => {
        try {
          for (let n = 0; !stopping; n++) {
            const via = ((c + n) % 2) as 0 | 1;
            sent++;
            outcomes.push(
              n % 3 === 2 && c < 6
                ? await refer(via, referral())
                : await (n % 3 || c >= 6 ? readHistory : readDetails)(
                    via,
                    cases[(c * 7 + n) % cases.length]!,
                    `burst read ${randomUUID()}`,
                  ),
            );
          }
        } finally {
          stopping = true; // one caller's failure ends the burst
        }
      });
      const outage = (async () => {
        await eventually(async () => (sent >= 30 || stopping ? true : undefined));
        await t.cluster.postgres.stop();
        const down = sent;
        await sleep(8_000);
        await t.cluster.postgres.start();
        // Until every caller has been answered well after PostgreSQL is back.
        const back = sent;
        await eventually(async () => (sent >= back + 60 || stopping ? true : undefined), 3 * MINUTES);
        stopping = true;
        return { down, back };
      })();
      // PostgreSQL is running again before this test ends, however it ends.
      const settled = await Promise.allSettled([outage, ...callers]);
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
      const { down, back } = await outage;
      // Every process came through it.
      expect(
        processes()
          .filter((p) => !p.running)
          .map((p) => p.name),
      ).toEqual([]);

      const failed = outcomes.filter((o) => o.failures.length);
      const failures = failed.flatMap((o) => o.failures);
      console.log(
        `PostgreSQL restart: ${outcomes.length} requests (stopped after ${down} were sent, ` +
          `back after ${back}); ${failures.length} answers failed ` +
          `(${tally([...failed.flatMap((o) => o.problems), ...failures.filter((f) => f === 'network')])}), ` +
          `${failed.length} requests retried until answered`,
      );
      // Only the service being unavailable, never a fault: 503s (or no answer at all).
      expect(failed.flatMap((o) => o.problems).filter((p) => !p.startsWith('503 unavailable'))).toEqual([]);

      const keys = loadOrCreateKeyFile(join(t.cluster.o.dataDir, 'keys.json'));
      const db = await openStore({
        kind: 'postgres',
        url: t.cluster.store.url,
        migrateUrl: t.cluster.store.migrationUrl,
      });
      try {
        // Every read answered 200 is in the access log: once, or (retried) no more often than
        // it was sent; one whose answer was lost after the row was written was still a read.
        const logged = new Map<string, number>();
        const key = (what: string, caseId: string, why: string) => `${what} ${caseId} ${why}`;
        for (const r of await db.selectFrom('access_log').select(['what', 'case_id', 'why']).execute())
          logged.set(key(r.what, r.case_id, r.why), (logged.get(key(r.what, r.case_id, r.why)) ?? 0) + 1);
        let loggedTwice = 0;
        for (const read of reads) {
          const n = logged.get(key(read.what, read.caseId, read.why)) ?? 0;
          if (read.failures === 0) expect(n).toBe(1);
          else expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(read.failures + 1);
          if (n > 1) loggedTwice++;
        }
        // And no read of details is logged that nobody made.
        const made = new Set(reads.map((r) => key(r.what, r.caseId, r.why)));
        expect([...logged.keys()].filter((k) => k.startsWith('details ') && !made.has(k))).toEqual([]);
        console.log(
          `${reads.length} reads answered 200, each logged; ${loggedTwice} retried ones logged more than once`,
        );

        // Every referral answered 201 is a case with its reference, in the store and through
        // either API; no reference was given twice.
        const references = referred.map((r) => r.reference);
        expect(new Set(references).size).toBe(references.length);
        const store = new CaseReferences(db);
        await pool(referred, 6, async ({ caseId, reference, via }) => {
          expect(await store.caseOf(reference)).toBe(caseId);
          const other = (1 - via) as 0 | 1;
          const view = await call(other, tokens.cw, 'GET', `/cases/${caseId}`);
          expect(view.status).toBe(200);
          expect((view.json as { reference: string }).reference).toBe(reference);
          expect(
            await eventually(async () => {
              const found = await byReference(other, reference);
              return found.length ? found : undefined;
            }),
          ).toEqual([caseId]);
        });

        // And the access log's chain is whole.
        const verdict = await new StoreAccessLog(db, accessLogKeyOf(keys)).verify();
        expect(verdict).toMatchObject({ intact: true });
        expect((verdict as { rows: number }).rows).toBeGreaterThanOrEqual(reads.length);
      } finally {
        await db.destroy();
      }
    },
    8 * MINUTES,
  );
});
