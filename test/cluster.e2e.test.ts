import { randomUUID } from 'node:crypto';
import { CaseRefusedError } from '../client/cases';
import { startCaseProcess } from '../cluster/cluster';
import { eventually, startTestCluster, type TestCluster } from './support/cluster';
import { caseworker, parentInfantReferral } from './support/referrals';

// Faults on the production shape: PostgreSQL, the Temporal services as separate processes and
// two case workers, e-mailing a test SMTP server. Each test leaves the cluster whole again.

const MINUTES = 60_000;
let t: TestCluster;
const caseIds: string[] = [];

beforeAll(async () => {
  t = await startTestCluster();
}, 5 * MINUTES);
afterAll(() => t?.teardown(), 2 * MINUTES);

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** An action, resent with the same event id while the cluster is recovering (as a careful client does). */
async function act(caseId: string, command: Record<string, unknown>): Promise<'applied' | 'refused'> {
  for (let attempt = 0; ; attempt++) {
    try {
      await t.cases.act(caseId, command);
      return 'applied';
    } catch (err) {
      if (err instanceof CaseRefusedError) return 'refused';
      if (attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe('the cluster, through crashes and outages', () => {
  it(
    'applies every accepted action exactly once while a worker is killed twice in a burst of 1,000+ actions over 200 cases',
    async () => {
      const CASES = 200;
      await pool([...Array(CASES).keys()], 20, async () => {
        const view = await t.cases.refer(
          'parentInfant',
          parentInfantReferral({ receivedAt: new Date().toISOString() }),
          caseworker,
        );
        caseIds.push(view.caseId);
      });

      const applied = new Map<string, string[]>();
      const refused = new Map<string, string[]>();
      let done = 0;
      const note = (caseId: string, eventId: string, outcome: 'applied' | 'refused') => {
        const m = outcome === 'applied' ? applied : refused;
        m.set(caseId, [...(m.get(caseId) ?? []), eventId]);
        done++;
      };
      const kills: Promise<void>[] = [];
      const killAt = (threshold: number, worker: number) =>
        eventually(async () => (done >= threshold ? true : undefined), 10 * MINUTES).then(async () => {
          const w = t.cluster.workers[worker]!;
          await w.kill();
          await startCaseProcess(w);
        });
      kills.push(killAt(250, 0), killAt(600, 1));

      await pool(caseIds, 25, async (caseId) => {
        const send = async (type: string, fields: object = {}) => {
          const eventId = randomUUID();
          note(caseId, eventId, await act(caseId, { type, eventId, actor: caseworker, ...fields }));
          return eventId;
        };
        await send('ACCEPT_FOR_ASSESSMENT');
        await send('ACCEPT_FOR_ASSESSMENT'); // refused: already in assessment
        await send('ASSESSMENT_COMPLETED', { suitable: true });
        const contact = { kind: 'groupSession', attended: true, occurredAt: new Date().toISOString() };
        const first = await send('RECORD_CONTACT', contact);
        // The same action twice (a retry after a lost answer): applied once.
        await act(caseId, { type: 'RECORD_CONTACT', eventId: first, actor: caseworker, ...contact });
        await send('RECORD_CONTACT', contact);
        await send('RECORD_CONTACT', contact);
      });
      await Promise.all(kills);
      expect(done).toBeGreaterThanOrEqual(CASES * 6);

      for (const caseId of caseIds) {
        const timeline = await t.cases.timeline(caseId);
        const ids = timeline.map((e) => e.eventId);
        for (const id of applied.get(caseId) ?? []) expect(ids.filter((x) => x === id)).toHaveLength(1);
        for (const id of refused.get(caseId) ?? []) expect(ids).not.toContain(id);
        expect(refused.get(caseId)).toHaveLength(1);
        const view = await t.cases.view(caseId);
        expect(view.state).toBe('engagement');
      }
      // No message e-mailed twice, whatever the crashes interrupted.
      const ids = t.mail.received.map((m) => m.messageId);
      expect(ids.every((id) => /^<.+@reconnect-cases>$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    },
    20 * MINUTES,
  );

  /** Sets a follow-up on a case `inMs` from now and returns when it is due. */
  async function followUpSoon(caseId: string, inMs: number): Promise<number> {
    const dueAt = new Date(Date.now() + inMs);
    dueAt.setMilliseconds(0);
    await t.cases.act(caseId, { type: 'SET_FOLLOW_UP', actor: caseworker, dueAt: dueAt.toISOString() });
    return dueAt.getTime();
  }

  /** The follow-up reminders a case has recorded, and the e-mails sent for them. */
  async function reminders(caseId: string) {
    const timeline = await t.cases.timeline(caseId);
    return {
      recorded: timeline.filter((e) => e.type === 'REMINDER' && /^Follow-up/.test(e.reason ?? '')).length,
      mailed: t.mail.received.filter((m) => m.caseId === caseId && /^Follow-up/.test(m.subject)).length,
    };
  }

  async function survivesOutage(caseId: string, outage: { stop(): Promise<void>; start(): Promise<void> }) {
    const before = await Promise.all(caseIds.slice(0, 20).map((id) => t.cases.view(id)));
    const due = await followUpSoon(caseId, 5_000);
    await outage.stop();
    // The reminder falls due while the outage lasts.
    await eventually(async () => (Date.now() > due + 2_000 ? true : undefined));
    await outage.start();
    await eventually(async () => ((await reminders(caseId)).mailed === 1 ? true : undefined), 3 * MINUTES);
    expect(await reminders(caseId)).toEqual({ recorded: 1, mailed: 1 });
    const after = await Promise.all(caseIds.slice(0, 20).map((id) => t.cases.view(id)));
    expect(after.map((v) => [v.caseId, v.state, v.deadlines])).toEqual(
      before.map((v) => [
        v.caseId,
        v.state,
        v.caseId === caseId ? after.find((a) => a.caseId === caseId)!.deadlines : v.deadlines,
      ]),
    );
  }

  it(
    'keeps every case, timer and pending reminder through a restart of the Temporal services; a reminder due meanwhile fires once after',
    async () => {
      await survivesOutage(caseIds[0]!, {
        stop: () => t.cluster.temporal.stop(),
        start: () => t.cluster.temporal.start(),
      });
    },
    10 * MINUTES,
  );

  it(
    'and through a restart of PostgreSQL',
    async () => {
      await survivesOutage(caseIds[1]!, {
        stop: () => t.cluster.postgres.stop(),
        start: () => t.cluster.postgres.start(),
      });
    },
    10 * MINUTES,
  );

  it(
    'delivers a message once the SMTP server is back, having held it while the server was down',
    async () => {
      const caseId = caseIds[2]!;
      await t.mail.stop();
      const due = await followUpSoon(caseId, 2_000);
      await eventually(async () => ((await reminders(caseId)).recorded === 1 ? true : undefined));
      expect(Date.now()).toBeGreaterThan(due);
      expect((await reminders(caseId)).mailed).toBe(0);
      await t.mail.start();
      await eventually(async () => ((await reminders(caseId)).mailed === 1 ? true : undefined), 3 * MINUTES);
      expect(await reminders(caseId)).toEqual({ recorded: 1, mailed: 1 });
    },
    10 * MINUTES,
  );

  it(
    'stops in order and, started again, reuses its data: every case is still there',
    async () => {
      const before = await Promise.all(caseIds.slice(0, 20).map((id) => t.cases.view(id)));
      await t.cluster.stop();
      expect([t.cluster.postgres.running, ...t.cluster.workers.map((w) => w.running)]).toEqual([
        false,
        false,
        false,
      ]);
      await t.cluster.start();
      const after = await eventually(() => Promise.all(caseIds.slice(0, 20).map((id) => t.cases.view(id))));
      expect(after.map((v) => [v.caseId, v.state])).toEqual(before.map((v) => [v.caseId, v.state]));
    },
    10 * MINUTES,
  );
});
