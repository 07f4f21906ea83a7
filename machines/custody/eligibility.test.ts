import {
  ALL_CRITERIA,
  ineligibleEnhancedReferral,
  custodyReferral,
  enhancedReferral,
  releasedReferral,
} from '../../test/support/custodyReferrals';
import { enhancedEligibility, priorityGroup, reconnectEligibility } from './eligibility';

describe('RECONNECT eligibility', () => {
  it('accepts a community referral exactly 28 days after release and refuses one on day 29, saying why', () => {
    expect(reconnectEligibility(releasedReferral('2026-10-26', '2026-11-23T10:00:00Z')).outcome).toBe(
      'eligible',
    );
    const late = reconnectEligibility(releasedReferral('2026-10-25', '2026-11-23T10:00:00Z'));
    expect(late).toMatchObject({ outcome: 'ineligible', outOfWindow: true });
    expect(late.unmet[0]).toMatch(
      /released 29 days before the referral: only people released in the past 28 days/,
    );
  });

  it('counts days in UK local dates: 23:30 BST on day 28 is still day 28', () => {
    expect(reconnectEligibility(releasedReferral('2026-05-04', '2026-06-01T22:30:00Z')).outcome).toBe(
      'eligible',
    );
  });

  it('needs an adult with an identified health need', () => {
    const d = reconnectEligibility(
      custodyReferral({ person: { name: 'Young', dateOfBirth: '2008-11-24' }, identifiedHealthNeed: false }),
    );
    expect(d.unmet).toEqual(['under 18 when referred', 'no identified health need']);
    expect(d.outOfWindow).toBeUndefined();
  });
});

describe('Enhanced RECONNECT priority groups and eligibility', () => {
  it('accepts groups 1 and 2 for assessment automatically, even when core criteria are partial', () => {
    const nsd = enhancedReferral({
      nsd: {
        criticalPublicProtection: false,
        terrorismActOrTerroristConnected: true,
        nationalSecurityThreat: false,
      },
      livingInOrResettlingToBirminghamAndSolihull: false,
    });
    expect(enhancedEligibility(nsd)).toMatchObject({ outcome: 'eligible', priorityGroup: '1' });
    expect(
      enhancedEligibility(enhancedReferral({ atRiskOfExtremism: true, complexCriteria: [] })),
    ).toMatchObject({
      outcome: 'eligible',
      priorityGroup: '2',
    });
  });

  it('group 3 needs 6 of the 8 criteria: 6 is accepted, 5 goes to the team', () => {
    expect(priorityGroup(enhancedReferral({ complexCriteria: ALL_CRITERIA.slice(0, 6) })).group).toBe('3');
    expect(enhancedEligibility(enhancedReferral({ complexCriteria: ALL_CRITERIA.slice(0, 6) })).outcome).toBe(
      'eligible',
    );
    const five = enhancedEligibility(enhancedReferral({ complexCriteria: ALL_CRITERIA.slice(0, 5) }));
    expect(five.outcome).toBe('teamDecision');
    expect(five.unmet[0]).toBe('5 of 8 complex criteria (group 3 needs 6)');
  });

  it('group 3 is not for people eligible for IIRMS', () => {
    const d = enhancedEligibility(
      enhancedReferral({ complexCriteria: ALL_CRITERIA, eligibleForIirms: true }),
    );
    expect(d.priorityGroup).toBeUndefined();
    expect(d.outcome).toBe('teamDecision');
  });

  it('sends partial matches and people already in the community to the team, and refuses when nothing holds', () => {
    expect(enhancedEligibility(enhancedReferral({ consent: false })).outcome).toBe('teamDecision');
    const community = enhancedEligibility({
      ...enhancedReferral(),
      custody: {
        status: 'released',
        setting: 'prison',
        establishment: 'HMP Example',
        releasedOn: '2026-09-01',
      },
    });
    expect(community.outcome).toBe('teamDecision');
    expect(community.unmet).toContain('already in the community: considered case by case');
    const none = enhancedEligibility(ineligibleEnhancedReferral());
    expect(none.outcome).toBe('ineligible');
  });
});
