import { parentInfantReferral } from '../../test/support/referrals';
import { parentInfantEligibility } from './eligibility';

describe('parent–infant eligibility', () => {
  it('accepts an unborn baby on a child protection plan, with reasons', () => {
    const d = parentInfantEligibility(parentInfantReferral());
    expect(d.outcome).toBe('eligible');
    expect(d.met).toEqual(
      expect.arrayContaining(['the baby is unborn', expect.stringMatching(/concerns: domesticAbuse/)]),
    );
  });

  it('judges age on the day the referral was received: a child turning two while waiting stays eligible', () => {
    const child = { born: true as const, dateOfBirth: '2024-11-25' };
    expect(
      parentInfantEligibility(parentInfantReferral({ child, receivedAt: '2026-11-24T16:00:00Z' })).outcome,
    ).toBe('eligible');
    const late = parentInfantEligibility(parentInfantReferral({ child, receivedAt: '2026-11-25T10:00:00Z' }));
    expect(late.outcome).toBe('ineligible');
    expect(late.unmet).toEqual(['the child was 2 or older when the referral was received']);
  });

  it('needs a child protection plan or PLO, an open Buckinghamshire case and a listed concern', () => {
    const d = parentInfantEligibility(
      parentInfantReferral({
        socialCareStatus: 'childInNeed',
        openToBuckinghamshireChildrensServices: false,
        concerns: [],
      }),
    );
    expect(d.outcome).toBe('ineligible');
    expect(d.unmet).toHaveLength(3);
    expect(
      parentInfantEligibility(parentInfantReferral({ socialCareStatus: 'preProceedingsPlo' })).outcome,
    ).toBe('eligible');
  });
});
