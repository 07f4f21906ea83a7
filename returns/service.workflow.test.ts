import { realClock } from '../test/support/clock';
import { caseworker } from '../test/support/referrals';
import { frontDoorReferralSample } from '../test/support/sampleEvents';
import { useHarness } from '../test/support/temporal';
import { cinReturn } from './cin/fromCases';
import { cinCensusXml } from './cin/xml';
import { frontDoorCases } from './read';

/**
 * The census read from cases on a Temporal dev server through the service's own client, as
 * `npm run returns` reads them: a closed case as well as open ones, one without the census's fields
 * listed by its gaps. Every date comes from the real clock the server runs on.
 */

const h = useHarness('dev');

/** The collection year (1 April to 31 March) a local date falls in, such as 2026-27. */
function collectionYearOf(today: string): string {
  const y = Number(today.slice(0, 4));
  const first = today.slice(5) >= '04-01' ? y : y - 1;
  return `${first}-${String((first + 1) % 100).padStart(2, '0')}`;
}

async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (check(v) || i > 100) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the census from the cases a Temporal server holds, read through the case client', async () => {
  const clock = realClock();
  const census = { sex: 'F', ethnicity: 'WBRI', disabilities: ['NONE'], upnUnknown: 'UN2' };
  const refer = (childRef: string, fields: object = {}) =>
    h.cases.refer(
      'frontDoor',
      frontDoorReferralSample({
        receivedAt: clock.now,
        childRef,
        child: { name: 'Made-up child', dateOfBirth: clock.daysFromToday(-9 * 365) },
        ...fields,
      }),
      caseworker,
    );
  const act = (caseId: string, type: string, fields: object = {}) =>
    h.cases.act(caseId, { type, actor: caseworker, ...fields });

  const nfa = await refer('BCS-900001', { census });
  await act(nfa.caseId, 'REFERRAL_DECISION', { decision: 'noFurtherAction' });
  const plan = await refer('BCS-900002', { census: { ...census, referralSource: '2A' } });
  await act(plan.caseId, 'REFERRAL_DECISION', { decision: 'section17' });
  await act(plan.caseId, 'ASSESSMENT_COMPLETED', {
    outcome: 'childInNeedPlan',
    primaryNeed: 'N3',
    factors: ['4B'],
  });
  const older = await refer('BCS-900003');
  await act(older.caseId, 'REFERRAL_DECISION', { decision: 'section47' });
  await act(older.caseId, 'STRATEGY_DISCUSSION_HELD', { heldAt: realClock().now, section47Enquiry: true });

  const ids = [nfa.caseId, plan.caseId, older.caseId].sort();
  const read = await eventually(
    () => frontDoorCases(h.cases),
    (r) => ids.every((id) => r.cases.some((c) => c.caseId === id)),
  );
  expect(read.unreadable).toEqual([]);
  expect(read.cases.map((c) => c.caseId).sort()).toEqual(ids);

  const r = cinReturn(read.cases, {
    collectionYear: collectionYearOf(clock.today),
    lea: '825',
    madeAt: clock.now,
  });
  const byChild = Object.fromEntries(r.census.Children.map((c) => [c.ChildIdentifiers.LAchildID, c]));
  expect(Object.keys(byChild).sort()).toEqual(['BCS900001', 'BCS900002', 'BCS900003']);
  expect(byChild['BCS900001']!.CINdetails[0]).toMatchObject({
    ReferralNFA: true,
    CINreferralDate: clock.today,
  });
  expect(byChild['BCS900002']!.CINdetails[0]).toMatchObject({
    ReferralSource: '2A',
    PrimaryNeedCode: 'N3',
    CINPlanDates: [{ CINPlanStartDate: clock.today }],
  });
  expect(byChild['BCS900003']!.CINdetails[0]!.Section47).toEqual([
    expect.objectContaining({ S47ActualStartDate: clock.today }),
  ]);
  expect(new Set(r.gaps.map((g) => g.child))).toEqual(new Set(['BCS900003']));
  expect(cinCensusXml(r.census)).toContain('<LAchildID>BCS900002</LAchildID>');
});
