import { instant, localDate } from '../../calendar/calendar';
import { FreeText } from '../common/envelope';
import { z } from '../common/zod';

export const FrontDoorReferral = z
  .object({
    receivedAt: instant,
    referrer: z.object({
      role: z.enum([
        'police',
        'school',
        'health',
        'earlyYears',
        'family',
        'publicMember',
        'otherProfessional',
        'anonymous',
      ]),
      name: z.string().trim().min(1).max(200),
      organisation: z.string().trim().max(200).optional(),
      contact: z.object({ route: z.enum(['phone', 'email']), value: z.string().trim().min(3).max(200) }),
    }),
    child: z.object({
      name: z.string().trim().min(1).max(200),
      dateOfBirth: localDate.optional(),
      expectedDeliveryDate: localDate.optional(),
    }),
    /** Children's services reference; links the child's ReConnect case, if any. */
    childRef: z.string().trim().min(1).max(60),
    concerns: FreeText,
    significantHarmSuspected: z.boolean(),
    /** Families are normally told, unless that would place the child at greater risk. */
    familyInformed: z.boolean(),
    familyNotInformedBecause: FreeText.optional(),
  })
  .refine((r) => r.familyInformed || !!r.familyNotInformedBecause, {
    message: 'when the family is not told about the referral, record why',
    path: ['familyNotInformedBecause'],
  });
export type FrontDoorReferral = z.infer<typeof FrontDoorReferral>;
