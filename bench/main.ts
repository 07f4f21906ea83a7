import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { initialTransition, transition } from 'xstate';
import { shippedHolidays } from '../calendar/holidays';
import { parentInfant } from '../machines/parentInfant';
import { EncryptionCodec } from '../security/codec';
import { harness, devServer } from '../test/support/temporal';
import { caseworker, parentInfantReferral } from '../test/support/referrals';
import { CaseRecord } from '../workflows/caseRecord';
import { measure, report } from './measure';

// Benchmarks: each line compares the project's path with a baseline measured in this run.
// Ratios, not absolute times, are what to watch: `npm run bench`.

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const lines: string[] = [];
  const referral = parentInfant.referral.parse(parentInfantReferral());
  const input = parentInfant.input({ caseId: 'bench', referral, calendar: shippedHolidays, team: 't' });
  const [start] = initialTransition(parentInfant.machine, input);
  const engaged = [
    { type: 'ACCEPT_FOR_ASSESSMENT' },
    { type: 'ASSESSMENT_COMPLETED', suitable: true },
  ].reduce(
    (s, e) =>
      transition(parentInfant.machine, s, {
        ...e,
        eventId: e.type,
        at: '2026-12-01T10:00:00Z',
        actor: caseworker,
      })[0],
    start,
  );
  let i = 0;
  const contact = () => ({
    type: 'RECORD_CONTACT',
    kind: 'groupSession',
    attended: true,
    occurredAt: '2026-12-02T10:00:00Z',
    eventId: `c${i++}`,
    at: '2026-12-02T10:00:00Z',
    actor: caseworker,
  });

  // 1. Validation and audit on top of the bare machine step.
  const bare = await measure('xstate transition', () =>
    transition(parentInfant.machine, engaged, contact() as never),
  );
  const checked = await measure('check + apply + timeline', () => {
    const record = CaseRecord.fromSnapshot('parentInfant', 'bench', engaged);
    record.apply(record.check(contact()));
  });
  lines.push(report('validated action vs bare machine step', bare, checked));

  // 2. Deadlines derived from the snapshot, against reading the state name.
  const snapshot = engaged;
  const name = await measure('state name', () => JSON.stringify(snapshot.value));
  const deadlines = await measure('deadlines()', () => parentInfant.deadlines(snapshot));
  lines.push(report('deadlines as data vs reading the state', name, deadlines));

  // 3. Encryption on top of payload conversion.
  const codec = new EncryptionCodec({
    current: 'b',
    keys: new Map([['b', randomBytes(32)]]),
    linkKey: randomBytes(32),
  });
  const plain = await measure('to payload', () => defaultPayloadConverter.toPayload(referral));
  const sealed = await measure('to payload + AES-GCM', () =>
    codec.encode([defaultPayloadConverter.toPayload(referral)]),
  );
  lines.push(report('encrypted payload vs plain payload', plain, sealed));

  // 4. A durable action (update, history write, worker) against a read (query) on a real dev server.
  const keys = { current: 'b', keys: new Map([['b', randomBytes(32)]]), linkKey: randomBytes(32) };
  const h = await harness(await devServer(keys), keys);
  try {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    await h.cases.act(caseId, { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker });
    await h.cases.act(caseId, { type: 'ASSESSMENT_COMPLETED', actor: caseworker, suitable: true });
    const query = await measure('query view', () => h.cases.view(caseId), { rounds: 3, minMs: 1000 });
    const update = await measure(
      'update RECORD_CONTACT',
      () =>
        h.cases.act(caseId, {
          type: 'RECORD_CONTACT',
          actor: caseworker,
          kind: 'groupSession',
          attended: true,
          occurredAt: new Date().toISOString(),
        }),
      { rounds: 3, minMs: 1000 },
    );
    lines.push(report('durable action vs query, dev server', query, update));
  } finally {
    await h.teardown();
  }

  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
