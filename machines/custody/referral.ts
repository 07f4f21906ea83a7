import { daysBetween, instant, localDate, localDateOf } from '../../calendar/calendar';
import { FreeText } from '../common/envelope';
import { NhsNumber, nhsNumberChecked, PersonName, referrerOf } from '../common/people';
import { datesWithinALifetime } from '../common/receipt';
import type { OpeningRule, ReferralRule } from '../common/rules';
import { frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';

/** "No wrong door": who may refer, in custody and after release (seed 004). */
export const CustodyReferrerRole = z.enum([
  'prisonHealthcare',
  'self',
  'friendOrFamily',
  'probation',
  'police',
  'liaisonAndDiversion',
  'homeOfficeEnforcement',
  'nationalSecurityDivision',
  'other',
]);

export const CustodyReferral = z.object({
  receivedAt: instant,
  referrer: referrerOf(CustodyReferrerRole),
  person: z.object({
    name: PersonName,
    dateOfBirth: localDate,
    nhsNumber: NhsNumber.optional(),
    prisonNumber: z
      .string()
      .trim()
      .max(20)
      .optional()
      .meta({ description: 'one letter, four digits and two letters, for example A1234BC' }),
  }),
  /** Where the person is held, and when they leave (or left). */
  custody: z.discriminatedUnion('status', [
    z.object({
      status: z.literal('inCustody'),
      setting: z.enum(['prison', 'irc']),
      establishment: z.string().trim().min(1).max(200),
      /** Unknown dates are routine (parole, recalculation): omit until known. */
      releaseDate: localDate.optional(),
    }),
    z.object({
      status: z.literal('released'),
      setting: z.enum(['prison', 'irc']),
      establishment: z.string().trim().min(1).max(200),
      releasedOn: localDate,
    }),
  ]),
  identifiedHealthNeed: z.boolean(),
  healthNeeds: FreeText.optional(),
  /** Set when the person is held outside their home area: the local service hands over to this one. */
  receivingService: z.string().trim().min(1).max(200).optional(),
});
export type CustodyReferral = z.infer<typeof CustodyReferral>;

/** Complex high-risk criteria for Enhanced RECONNECT priority group 3 (seed 003). */
export const ComplexCriterion = z.enum([
  'highRiskOfSeriousHarm',
  'mentalHealthConcerns',
  'riskOfSelfHarmOrSuicide',
  'learningDifficulties',
  'mappaLevel2or3',
  'drugOrAlcoholIssues',
  'ippSentence',
  'offenderPersonalityDisorderPathway',
]);
export type ComplexCriterion = z.infer<typeof ComplexCriterion>;

export const EnhancedReferral = CustodyReferral.extend({
  complexUnmetHealthNeedsLinkedToOffending: z.boolean(),
  consent: z.boolean(),
  livingInOrResettlingToBirminghamAndSolihull: z.boolean(),
  openToProbationOrNsd: z.boolean(),
  nsd: z
    .object({
      criticalPublicProtection: z.boolean().default(false),
      terrorismActOrTerroristConnected: z.boolean().default(false),
      nationalSecurityThreat: z.boolean().default(false),
    })
    .default({
      criticalPublicProtection: false,
      terrorismActOrTerroristConnected: false,
      nationalSecurityThreat: false,
    }),
  atRiskOfExtremism: z.boolean().default(false),
  complexCriteria: z.array(ComplexCriterion).max(ComplexCriterion.options.length).default([]),
  eligibleForIirms: z.boolean().default(false),
});
export type EnhancedReferral = z.infer<typeof EnhancedReferral>;

/**
 * After release, referrals come only from the sources 004 names (and, for Enhanced RECONNECT,
 * the National Security Division); the person themselves, family, friends and others refer
 * while the person is still in custody.
 */
export const POST_RELEASE_REFERRERS = frozen({
  reconnect: ['probation', 'police', 'liaisonAndDiversion', 'homeOfficeEnforcement'],
  enhancedReconnect: [
    'probation',
    'police',
    'liaisonAndDiversion',
    'homeOfficeEnforcement',
    'nationalSecurityDivision',
  ],
} as const satisfies Record<string, readonly z.infer<typeof CustodyReferrerRole>[]>);

/**
 * A prison number as prisons write it: one letter, four digits and two letters (A1234BC), in
 * capitals or not; it is kept as written.
 */
const PRISON_NUMBER = /^[A-Za-z]\d{4}[A-Za-z]{2}$/;

/** Is this a prison number (A1234BC)? */
export const isPrisonNumber = (written: string): boolean => PRISON_NUMBER.test(written);

export function custodyReferralRules(
  pathway: keyof typeof POST_RELEASE_REFERRERS,
): Record<string, ReferralRule<CustodyReferral>> {
  const sources: readonly string[] = POST_RELEASE_REFERRERS[pathway];
  return {
    postReleaseReferrerNamed: {
      holds: (r) => r.custody.status === 'inCustody' || sources.includes(r.referrer.role),
      refusal: (r) =>
        `after release, referrals come from ${sources.join(', ')}; a ${r.referrer.role} referral is for someone still in custody`,
    },
    nhsNumberChecked: nhsNumberChecked((r) => r.person.nhsNumber),
    personBirthDateNotInFuture: {
      holds: (r) => daysBetween(r.person.dateOfBirth, localDateOf(r.receivedAt)) >= 0,
      refusal: () => "the person's date of birth is after the referral was received",
    },
    prisonNumberChecked: {
      // An empty field is no prison number given, as the form sends it.
      holds: (r) => !r.person.prisonNumber || isPrisonNumber(r.person.prisonNumber),
      refusal: () =>
        'the prison number is not one: a prison number is one letter, four digits and two letters, for example A1234BC',
    },
    datesWithinALifetime: datesWithinALifetime<CustodyReferral>((r) => ({
      "person's date of birth": r.person.dateOfBirth,
      ...(r.custody.status === 'inCustody'
        ? { 'release date': r.custody.releaseDate }
        : { 'date of release': r.custody.releasedOn }),
    })),
  };
}

/** The custody pathways' rules judged against the service's clock as a case would open. */
export const custodyOpeningRules = frozen({
  releasedOnNotInFuture: {
    holds: (r, now) =>
      r.custody.status === 'inCustody' || daysBetween(r.custody.releasedOn, localDateOf(now)) >= 0,
    refusal: () =>
      'the person is recorded as released on a day still to come: until then they are in custody (give the release date)',
  },
} satisfies Record<string, OpeningRule<CustodyReferral>>);
