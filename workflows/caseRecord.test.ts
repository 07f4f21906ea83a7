import { initialTransition } from 'xstate';
import { shippedHolidays } from '../calendar/holidays';
import { frontDoor } from '../machines/frontDoor';
import { frontDoorReferralSample, sample } from '../test/support/sampleEvents';
import { CaseRecord } from './caseRecord';

describe('a case record', () => {
  const recordUnder = (rules: number) => {
    const referral = frontDoor.referral.parse(frontDoorReferralSample());
    const input = frontDoor.input({ caseId: 'fd-1', referral, calendar: shippedHolidays, team: 't', rules });
    return CaseRecord.fromSnapshot('frontDoor', 'fd-1', initialTransition(frontDoor.machine, input)[0]);
  };
  const toPlan = (record: CaseRecord) => {
    record.apply(
      record.check(sample('frontDoor', 'REFERRAL_DECISION', { decision: 'section17', signposting: [] })),
    );
    return record.apply(
      record.check(sample('frontDoor', 'ASSESSMENT_COMPLETED', { outcome: 'childInNeedPlan' })),
    );
  };

  it('carries out an effect a machine asked for, and drops one whose params are null, keeping effect ids in step', () => {
    const now = toPlan(recordUnder(2)).effects;
    expect(now.map((e) => e.effect)).toEqual([
      { type: 'reportToLinkedCases', params: { childRef: 'BCS-000123', status: 'childInNeed' } },
    ]);
    expect(now[0]!.effectId).toBe('fd-1:2:0'); // the second event's first effect
    expect(toPlan(recordUnder(1)).effects).toEqual([]);
  });
});
