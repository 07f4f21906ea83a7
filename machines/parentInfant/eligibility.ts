import { ageOn, localDateOf } from '../../calendar/calendar';
import { decide, type Decision } from '../common/decision';
import type { ParentInfantReferral } from './referral';

/** Children up to two years old; judged on the date the referral was received. */
export const MAX_CHILD_AGE_YEARS = 2;

export function parentInfantEligibility(r: ParentInfantReferral): Decision {
  const received = localDateOf(r.receivedAt);
  return decide([
    r.child.born
      ? [
          ageOn(r.child.dateOfBirth, received) < MAX_CHILD_AGE_YEARS,
          `the child was under ${MAX_CHILD_AGE_YEARS} when the referral was received`,
          `the child was ${MAX_CHILD_AGE_YEARS} or older when the referral was received`,
        ]
      : [true, 'the baby is unborn', ''],
    [
      r.socialCareStatus === 'childProtectionPlan' || r.socialCareStatus === 'preProceedingsPlo',
      'the child is subject to a child protection plan or pre-court proceedings (PLO)',
      'the child is not subject to a child protection plan or pre-court proceedings (PLO)',
    ],
    [
      r.openToBuckinghamshireChildrensServices,
      "the child's case is open to Buckinghamshire Children's Services",
      "the child's case is not open to Buckinghamshire Children's Services",
    ],
    [
      r.concerns.length > 0,
      `concerns: ${r.concerns.join(', ')}`,
      'no concern from the published list was given',
    ],
  ]);
}
