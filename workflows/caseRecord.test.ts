import { initialTransition, StateMachine } from 'xstate';
import { shippedHolidays } from '../calendar/holidays';
import type { PathwayId } from '../machines';
import { frontDoor } from '../machines/frontDoor';
import { custodyReferral, releasedReferral } from '../test/support/custodyReferrals';
import { caseworker, prisonSystem } from '../test/support/referrals';
import { frontDoorReferralSample, sample } from '../test/support/sampleEvents';
import { CaseRecord, Refusal, refusalToOpen } from './caseRecord';

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

describe('opening a case', () => {
  const AT = '2026-11-23T11:00:00Z';
  const args = (referral: unknown) => ({
    caseId: 'c-1',
    pathway: 'reconnect' as const,
    referral,
    team: 't',
    calendar: shippedHolidays,
    at: AT,
    actor: caseworker,
  });
  const open = (referral: unknown) => CaseRecord.open(args(referral));
  const thrownBy = (f: () => unknown): unknown => {
    try {
      f();
    } catch (err) {
      return err;
    }
    throw new Error('nothing was thrown');
  };

  it('refuses for good a referral that fails validation', () => {
    const { person: _person, ...withoutPerson } = custodyReferral();
    const refused = refusalToOpen(thrownBy(() => open(withoutPerson)));
    expect(refused).toBeInstanceOf(Refusal);
    expect(refused).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^person: /) as string });
  });

  it('takes any other error for a fault to retry, never for a refused referral', () => {
    // A fault met while reading the referral, as a write to a frozen object would be.
    const faulty = Object.defineProperty(custodyReferral(), 'person', {
      enumerable: true,
      get: () => {
        throw new TypeError("Cannot assign to read only property 'id' of object");
      },
    });
    const fault = thrownBy(() => open(faulty));
    expect(fault).toBeInstanceOf(TypeError);
    expect(refusalToOpen(fault)).toBeUndefined();
    const unknownPathway = thrownBy(() =>
      CaseRecord.open({ ...args(custodyReferral()), pathway: 'nowhere' as PathwayId }),
    );
    expect(unknownPathway).toBeInstanceOf(RangeError);
    expect(refusalToOpen(unknownPathway)).toBeUndefined();
  });

  it('hands a case no schema or machine, shared data only frozen, and effects of its own', () => {
    const { record } = open(releasedReferral('2026-11-16', '2026-11-23T10:00:00Z'));
    expect(Object.keys(record)).not.toContain('pathway');
    const assessed = { eventId: 'c-1:1', at: AT, actor: caseworker, appropriate: true, consent: true };
    const applied = record.apply(record.check({ type: 'ASSESSMENT_COMPLETED', ...assessed }));
    const recall = (r: CaseRecord) =>
      r.apply(r.check({ type: 'RECALLED', eventId: `${r.caseId}:recalled`, at: AT, actor: prisonSystem }));
    const given = [
      record,
      applied,
      record.details(),
      record.view(),
      record.summary(),
      record.facts(),
      record.recipients(),
      record.pendingDeadlines(),
      record.toState(),
    ];
    expect(given.flatMap((value, i) => notData(value, `[${i}]`, new WeakSet()))).toEqual([]);
    expect(Object.isFrozen(record.details()['policy'])).toBe(true);
    expect(Object.isFrozen(record.details()['meeting'])).toBe(true);

    const other = open(releasedReferral('2026-11-16', '2026-11-23T10:00:00Z')).record;
    other.apply(other.check({ type: 'ASSESSMENT_COMPLETED', ...assessed }));
    const [mine, theirs] = [recall(record).effects[0], recall(other).effects[0]];
    expect(mine?.effect).toEqual({
      type: 'notify',
      params: { to: 'namedWorker', subject: 'Recalled to custody' },
    });
    expect(mine?.effect.params).not.toBe(theirs?.effect.params);
  });
});

/** Where in `value` there is a zod schema or an XState machine (or a snapshot, which points at one). */
function notData(value: unknown, path: string, seen: WeakSet<object>): string[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  if ('_zod' in value || value instanceof StateMachine) return [path];
  return Reflect.ownKeys(value).flatMap((key) => {
    const property = Object.getOwnPropertyDescriptor(value, key);
    return property && 'value' in property ? notData(property.value, `${path}.${String(key)}`, seen) : [];
  });
}
