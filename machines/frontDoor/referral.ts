import { instant, localDate } from '../../calendar/calendar';
import { FreeText } from '../common/envelope';
import { PersonName, referrerOf } from '../common/people';
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
