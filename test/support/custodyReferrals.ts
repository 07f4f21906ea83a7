import { addDays, localDateOf } from '../../calendar/calendar';
import {
  ComplexCriterion,
  type CustodyReferral,
  type EnhancedReferral,
} from '../../machines/custody/referral';

// The fixed default receipt is for pure machine tests only: a test on a real-clock server (dev
// server, cluster, service) passes `receivedAt` from `realClock()` (test/support/clock.ts).
const RECEIVED_AT = '2026-11-23T10:00:00Z';
const daysAfterReceipt = (overrides: { receivedAt?: string }, days: number) =>
  addDays(localDateOf(overrides.receivedAt ?? RECEIVED_AT), days);

/**
 * A prison healthcare referral for someone due out on `releaseDate`: by default 20 weeks after
 * the referral is received (12 April 2027 for the default receipt), whenever the test's clock says that is.
 */
export function custodyReferral(
  overrides: Partial<CustodyReferral> = {},
  releaseDate = daysAfterReceipt(overrides, 140),
): CustodyReferral {
  return {
    receivedAt: RECEIVED_AT,
    referrer: {
      role: 'prisonHealthcare',
      name: 'Priya Nurse',
      organisation: 'HMP Example healthcare',
      contact: { route: 'email', value: 'healthcare@example.nhs.uk' },
    },
    person: {
      name: 'Sam Leaver',
      dateOfBirth: '1990-05-17',
      nhsNumber: '9434765870',
      prisonNumber: 'A1234BC',
    },
    custody: { status: 'inCustody', setting: 'prison', establishment: 'HMP Example', releaseDate },
    identifiedHealthNeed: true,
    healthNeeds: 'Psychosis, managed in custody',
    ...overrides,
  };
}

export function releasedReferral(releasedOn: string, receivedAt: string): CustodyReferral {
  return custodyReferral({
    receivedAt,
    referrer: {
      role: 'probation',
      name: 'Pat Probation',
      contact: { route: 'phone', value: '01234 567890' },
    },
    custody: { status: 'released', setting: 'prison', establishment: 'HMP Example', releasedOn },
  });
}

export const ALL_CRITERIA: ComplexCriterion[] = [...ComplexCriterion.options];

/** An Enhanced RECONNECT referral; released by default 178 days after receipt (20 May 2027). */
export function enhancedReferral(
  overrides: Partial<EnhancedReferral> = {},
  releaseDate = daysAfterReceipt(overrides, 178),
): EnhancedReferral {
  return {
    ...custodyReferral(overrides.receivedAt ? { receivedAt: overrides.receivedAt } : {}, releaseDate),
    complexUnmetHealthNeedsLinkedToOffending: true,
    consent: true,
    livingInOrResettlingToBirminghamAndSolihull: true,
    openToProbationOrNsd: true,
    nsd: {
      criticalPublicProtection: false,
      terrorismActOrTerroristConnected: false,
      nationalSecurityThreat: false,
    },
    atRiskOfExtremism: false,
    complexCriteria: ALL_CRITERIA.slice(0, 6),
    eligibleForIirms: false,
    ...overrides,
  };
}

/** An Enhanced RECONNECT referral meeting none of the criteria, for a person under 18. */
export function ineligibleEnhancedReferral(): EnhancedReferral {
  return enhancedReferral({
    complexCriteria: [],
    complexUnmetHealthNeedsLinkedToOffending: false,
    consent: false,
    livingInOrResettlingToBirminghamAndSolihull: false,
    openToProbationOrNsd: false,
    person: { name: 'Young', dateOfBirth: '2010-01-01' },
  });
}
