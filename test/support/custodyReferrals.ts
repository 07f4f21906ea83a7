import {
  ComplexCriterion,
  type CustodyReferral,
  type EnhancedReferral,
} from '../../machines/custody/referral';

/** A prison healthcare referral for someone due out on `releaseDate`. */
export function custodyReferral(
  overrides: Partial<CustodyReferral> = {},
  releaseDate = '2027-04-12',
): CustodyReferral {
  return {
    receivedAt: '2026-11-23T10:00:00Z',
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

export function enhancedReferral(
  overrides: Partial<EnhancedReferral> = {},
  releaseDate = '2027-05-20',
): EnhancedReferral {
  return {
    ...custodyReferral({}, releaseDate),
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
