import { ageOn, daysBetween, localDateOf } from '../../calendar/calendar';
import { decide, type Decision } from '../common/decision';
import type { CustodyReferral, EnhancedReferral } from './referral';

export const ADULT_AGE = 18;
/** Community referrers may refer people released in the past 28 days. */
export const POST_RELEASE_REFERRAL_DAYS = 28;
/** Enhanced RECONNECT group 3: at least 6 of the 8 complex criteria, and not eligible for IIRMS. */
export const GROUP3_MIN_CRITERIA = 6;

export interface CustodyDecision extends Decision {
  /** Set when the only failure is the 28-day window: the closure reason differs. */
  outOfWindow?: boolean;
}

export function daysSinceRelease(r: CustodyReferral): number | undefined {
  return r.custody.status === 'released'
    ? daysBetween(r.custody.releasedOn, localDateOf(r.receivedAt))
    : undefined;
}

export function reconnectEligibility(r: CustodyReferral): CustodyDecision {
  const received = localDateOf(r.receivedAt);
  const since = daysSinceRelease(r);
  const inWindow = since === undefined || since <= POST_RELEASE_REFERRAL_DAYS;
  const decision = decide([
    [ageOn(r.person.dateOfBirth, received) >= ADULT_AGE, 'aged 18 or over', 'under 18 when referred'],
    [r.identifiedHealthNeed, 'has an identified health need', 'no identified health need'],
    [
      inWindow,
      since === undefined ? 'in custody' : `released ${since} days before the referral`,
      `released ${since} days before the referral: only people released in the past ${POST_RELEASE_REFERRAL_DAYS} days can be referred`,
    ],
  ]);
  return inWindow ? decision : { ...decision, outOfWindow: true };
}

export type PriorityGroup = '1' | '2' | '3';

/** Which priority group a referral falls in, if any, with the reason. */
export function priorityGroup(r: EnhancedReferral): { group?: PriorityGroup; because: string } {
  if (
    r.nsd.criticalPublicProtection ||
    r.nsd.terrorismActOrTerroristConnected ||
    r.nsd.nationalSecurityThreat
  ) {
    return { group: '1', because: 'National Security Division case (group 1)' };
  }
  if (r.atRiskOfExtremism) return { group: '2', because: 'at risk of extremism (group 2)' };
  const count = r.complexCriteria.length;
  if (count >= GROUP3_MIN_CRITERIA && !r.eligibleForIirms) {
    return { group: '3', because: `${count} of 8 complex criteria and not eligible for IIRMS (group 3)` };
  }
  return {
    because:
      count >= GROUP3_MIN_CRITERIA
        ? `${count} of 8 complex criteria but eligible for IIRMS`
        : `${count} of 8 complex criteria (group 3 needs ${GROUP3_MIN_CRITERIA})`,
  };
}

/**
 * Groups 1 and 2 are accepted for assessment automatically; group 3 when every core criterion
 * holds. Partial matches, and people already in the community, go to the team meeting.
 * Rules edition 2 (`priorityGroupsKeepCoreCriteria`, `priorityGroupRequired`): groups 1 and 2 skip
 * the complexity count but not age, Birmingham and Solihull, or consent; released, they are a
 * community referral for the team meeting; a referral in no priority group is declined.
 */
export function enhancedEligibility(
  r: EnhancedReferral,
  rules = 1,
): Decision & { priorityGroup?: PriorityGroup } {
  const group = priorityGroup(r);
  if (rules >= 2) return enhancedEligibilityFromSources(r, group);
  const core = decide([
    [
      ageOn(r.person.dateOfBirth, localDateOf(r.receivedAt)) >= ADULT_AGE,
      'aged 18 or over',
      'under 18 when referred',
    ],
    [
      r.complexUnmetHealthNeedsLinkedToOffending,
      'complex unmet health needs linked with offending',
      'no complex unmet health needs linked with offending',
    ],
    [r.consent, 'consents to the referral', 'has not consented to the referral'],
    [
      r.livingInOrResettlingToBirminghamAndSolihull,
      'living in or resettling to Birmingham and Solihull',
      'not living in or resettling to Birmingham and Solihull',
    ],
    [
      r.openToProbationOrNsd,
      'open to probation or the National Security Division',
      'not open to probation or the National Security Division',
    ],
  ]);
  const withGroup = {
    met: group.group ? [group.because, ...core.met] : core.met,
    unmet: group.group ? core.unmet : [group.because, ...core.unmet],
    ...(group.group ? { priorityGroup: group.group } : {}),
  };
  if (group.group === '1' || group.group === '2') return { outcome: 'eligible', ...withGroup };
  if (core.met.length === 0) return { outcome: 'ineligible', ...withGroup };
  const inCommunity = r.custody.status === 'released';
  if (group.group === '3' && core.outcome === 'eligible' && !inCommunity)
    return { outcome: 'eligible', ...withGroup };
  return {
    outcome: 'teamDecision',
    ...withGroup,
    unmet: inCommunity
      ? [...withGroup.unmet, 'already in the community: considered case by case']
      : withGroup.unmet,
  };
}

function enhancedEligibilityFromSources(
  r: EnhancedReferral,
  group: ReturnType<typeof priorityGroup>,
): Decision & { priorityGroup?: PriorityGroup } {
  if (!group.group) {
    return { outcome: 'ineligible', met: [], unmet: [`in no priority group: ${group.because}`] };
  }
  const inCommunity = r.custody.status === 'released';
  const always = decide([
    [
      ageOn(r.person.dateOfBirth, localDateOf(r.receivedAt)) >= ADULT_AGE,
      'aged 18 or over',
      'under 18 when referred',
    ],
    [r.consent, 'consents to the referral', 'has not consented to the referral'],
    [
      r.livingInOrResettlingToBirminghamAndSolihull,
      'living in or resettling to Birmingham and Solihull',
      'not living in or resettling to Birmingham and Solihull',
    ],
  ]);
  const withGroup = { met: [group.because, ...always.met], unmet: always.unmet, priorityGroup: group.group };
  if (always.outcome !== 'eligible') return { ...withGroup, outcome: 'ineligible' };
  if (group.group === '3') {
    const rest = decide([
      [
        r.complexUnmetHealthNeedsLinkedToOffending,
        'complex unmet health needs linked with offending',
        'no complex unmet health needs linked with offending',
      ],
      [
        r.openToProbationOrNsd,
        'open to probation or the National Security Division',
        'not open to probation or the National Security Division',
      ],
    ]);
    const both = { ...withGroup, met: [...withGroup.met, ...rest.met], unmet: rest.unmet };
    if (rest.outcome === 'eligible' && !inCommunity) return { ...both, outcome: 'eligible' };
    return {
      ...both,
      outcome: 'teamDecision',
      unmet: inCommunity ? [...both.unmet, 'already in the community: considered case by case'] : both.unmet,
    };
  }
  if (inCommunity)
    return {
      ...withGroup,
      outcome: 'teamDecision',
      unmet: ['already in the community: considered case by case'],
    };
  return { ...withGroup, outcome: 'eligible' };
}
