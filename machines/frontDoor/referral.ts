import { daysBetween, instant, localDate, localDateOf } from '../../calendar/calendar';
import { FreeText } from '../common/envelope';
import { PersonName, referrerOf } from '../common/people';
import { datesWithinALifetime } from '../common/receipt';
import type { ReferralRule } from '../common/rules';
import { frozen } from '../../validation/frozen';
import { ReferralCensus, UPN_CHECK_LETTER_WRONG, upnCheckLetterHolds } from './census';
import { z } from '../../validation/zod';

const referral = z.object({
  receivedAt: instant,
  referrer: referrerOf(
    z.enum([
      'police',
      'school',
      'health',
      'earlyYears',
      'family',
      'publicMember',
      'otherProfessional',
      'anonymous',
    ]),
  ),
  child: z.object({
    name: PersonName,
    dateOfBirth: localDate.optional(),
    expectedDeliveryDate: localDate.optional(),
  }),
  /** Children's services reference; links the child's ReConnect case, if any. */
  childRef: z.string().trim().min(1).max(60),
  concerns: FreeText,
  significantHarmSuspected: z.boolean(),
  /** For the Children in Need census, as far as known at referral (absent on older cases). */
  census: ReferralCensus.optional(),
});

/** Families are normally told, unless that would place the child at greater risk: then say why. */
export const FrontDoorReferral = z.discriminatedUnion('familyInformed', [
  referral.extend({ familyInformed: z.literal(true), familyNotInformedBecause: FreeText.optional() }),
  referral.extend({
    familyInformed: z.literal(false),
    familyNotInformedBecause: z
      .string({ error: 'when the family is not told about the referral, record why' })
      .trim()
      .min(1, 'when the family is not told about the referral, record why')
      .max(2000),
  }),
]);
export type FrontDoorReferral = z.infer<typeof FrontDoorReferral>;

/** Rules about the referral itself: a referral that breaks one opens no case and says why. */
export const frontDoorReferralRules = frozen({
  childBirthDateNotInFuture: {
    holds: (r) => !r.child.dateOfBirth || daysBetween(r.child.dateOfBirth, localDateOf(r.receivedAt)) >= 0,
    refusal: () => "the child's date of birth is after the referral was received",
  },
  upnChecked: {
    holds: (r) => upnCheckLetterHolds(r.census?.upn),
    refusal: () => UPN_CHECK_LETTER_WRONG,
  },
  datesWithinALifetime: datesWithinALifetime<FrontDoorReferral>((r) => ({
    "child's date of birth": r.child.dateOfBirth,
    'expected delivery date': r.child.expectedDeliveryDate,
  })),
} satisfies Record<string, ReferralRule<FrontDoorReferral>>);
