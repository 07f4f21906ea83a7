import type { CaseView } from '../contract/case';
import { DAY, serverClock } from './support/clock';
import { caseworker, parentInfantReferral } from './support/referrals';
import { useHarness } from './support/temporal';

// The outbox's store is closed, so every message fails for real.
const h = useHarness('timeSkipping', { unreachableOutbox: true });

describe('when messages cannot be delivered', () => {
  it('the case records the failure after a day of retries and carries on', async () => {
    const clock = await serverClock(h.env);
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: clock.now }),
      caseworker,
    );
    await h.cases.act(caseId, { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker });
    await h.env.sleep(2 * DAY);
    const timeline = await h.cases.timeline(caseId);
    const failed = timeline.filter((t) => t.type === 'EFFECT_FAILED');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.reason).toMatch(/notify could not be delivered/);
    // The failure's message (it can quote case data) is stored encrypted, not as text.
    const { events } = await h.env.client.workflow.getHandle(caseId).fetchHistory();
    const failures = (events ?? []).flatMap((e) => {
      const f =
        e.activityTaskFailedEventAttributes?.failure ?? e.activityTaskTimedOutEventAttributes?.failure;
      return f ? [f] : [];
    });
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.message).toBe('Encoded failure');
      expect(f.encodedAttributes?.metadata?.encoding).toBeDefined();
      expect(JSON.stringify(f)).not.toMatch(/destroyed|outbox/);
    }
    const closed = await h.cases.act(caseId, {
      type: 'CLOSE',
      actor: caseworker,
      closureReason: 'withdrewConsent',
    });
    expect(closed.state).toBe('closed');
    const result = (await h.env.client.workflow.getHandle(caseId).result()) as CaseView;
    expect(result.closure?.reason).toBe('withdrewConsent');
  });
});
