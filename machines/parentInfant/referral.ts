import { daysBetween, instant, localDate, localDateOf } from '../../calendar/calendar';
import type { ReferralRule } from '../common/rules';
import { NhsNumber, nhsNumberChecked, PersonName, referrerOf } from '../common/people';
import { datesWithinALifetime } from '../common/receipt';
import { frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';

/**
 * Professionals who may refer (seed 000: "any professionals including …"), or the parent
 * themselves. The named roles are kept for reporting; any other professional describes their role.
 */
export const ReferrerRole = z.enum([
  'mentalHealthProfessional',
  'socialWorker',
  'midwife',
  'healthVisitor',
  'familyNursePartnership',
  'womensAid',
  'drugAndAlcoholService',
  'childAndFamilyWorker',
  'supportWorker',
  'gp',
  'otherProfessional',
  'self',
]);

/** The published list of concerns; at least one must apply. */
export const Concern = z.enum([
  'domesticAbuse',
  'mentalIllness',
  'substanceMisuse',
  'neglectOrAbuse',
  'previousChildrenRemoved',
  'parentChildhoodTrauma',
  'emotionalNeedsOrBonding',
]);
export type Concern = z.infer<typeof Concern>;

/** The child's status with children's social care, recorded over time for outcome reporting. */
export const SocialCareStatus = z.enum([
  'childProtectionPlan',
  'preProceedingsPlo',
  'childInNeed',
  'careProceedings',
  'closedToSocialCare',
]);
export type SocialCareStatus = z.infer<typeof SocialCareStatus>;

export const Referrer = referrerOf(ReferrerRole);

export const ParentInfantReferral = z.object({
  receivedAt: instant,
  referrer: Referrer,
  parent: z.object({
    name: PersonName,
    dateOfBirth: localDate.optional(),
    nhsNumber: NhsNumber.optional(),
  }),
  child: z.discriminatedUnion('born', [
    z.object({ born: z.literal(false), expectedDeliveryDate: localDate }),
    z.object({ born: z.literal(true), dateOfBirth: localDate }),
  ]),
  /** Children's services reference: links this case to the child's social care case. */
  childRef: z.string().trim().min(1).max(60),
  socialCareStatus: SocialCareStatus,
  openToBuckinghamshireChildrensServices: z.boolean(),
  concerns: z.array(Concern).max(Concern.options.length),
  notes: z.string().trim().max(4000).optional(),
});
export type ParentInfantReferral = z.infer<typeof ParentInfantReferral>;

/** Shown at intake: the service never takes responsibility for immediate danger. */
export const NOT_AN_EMERGENCY_SERVICE =
  'ReConnect is not an emergency service. If an adult or child is in immediate danger, call 999 (or 111). ' +
  "You can also contact Buckinghamshire Children's Services or the emergency duty service.";

/** [decision] How long after an expected delivery date a referral may still give it (late births). */
export const EXPECTED_DELIVERY_GRACE_DAYS = 28;

/** Rules about the referral itself: a referral that breaks one opens no case and says why. */
export const parentInfantReferralRules = frozen({
  otherProfessionalDescribed: {
    holds: (r) => r.referrer.role !== 'otherProfessional' || !!r.referrer.roleDescription,
    refusal: () => 'a referrer who is another professional describes their role (referrer.roleDescription)',
  },
  expectedDeliveryNotLongPast: {
    holds: (r) =>
      r.child.born ||
      daysBetween(r.child.expectedDeliveryDate, localDateOf(r.receivedAt)) <= EXPECTED_DELIVERY_GRACE_DAYS,
    refusal: (r) =>
      `the expected delivery date ${r.child.born ? '' : r.child.expectedDeliveryDate} is more than ${EXPECTED_DELIVERY_GRACE_DAYS} days before the referral: if the baby has been born, give the date of birth`,
  },
  childBirthDateNotInFuture: {
    holds: (r) => !r.child.born || daysBetween(r.child.dateOfBirth, localDateOf(r.receivedAt)) >= 0,
    refusal: () => "the child's date of birth is after the referral was received",
  },
  parentBirthDateNotInFuture: {
    holds: (r) => !r.parent.dateOfBirth || daysBetween(r.parent.dateOfBirth, localDateOf(r.receivedAt)) >= 0,
    refusal: () => "the parent's date of birth is after the referral was received",
  },
  nhsNumberChecked: nhsNumberChecked<ParentInfantReferral>((r) => r.parent.nhsNumber),
  datesWithinALifetime: datesWithinALifetime<ParentInfantReferral>((r) => ({
    "parent's date of birth": r.parent.dateOfBirth,
    [r.child.born ? "child's date of birth" : 'expected delivery date']: r.child.born
      ? r.child.dateOfBirth
      : r.child.expectedDeliveryDate,
  })),
} satisfies Record<string, ReferralRule<ParentInfantReferral>>);
