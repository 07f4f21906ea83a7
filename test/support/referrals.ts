import { addDays, localDateOf } from '../../calendar/calendar';
import type { ParentInfantReferral } from '../../machines/parentInfant/referral';

export const caseworker = { id: 'cw-amira', role: 'caseworker' } as const;
export const supervisor = { id: 'sup-jo', role: 'supervisor' } as const;
export const prisonSystem = { id: 'system:prison', role: 'system' } as const;

// The fixed default receipt is for pure machine tests only: a test on a real-clock server (dev
// server, cluster, service) passes `receivedAt` from `realClock()` (test/support/clock.ts).
/** A health visitor's referral of an unborn baby on a child protection plan. */
export function parentInfantReferral(overrides: Partial<ParentInfantReferral> = {}): ParentInfantReferral {
  const receivedAt = overrides.receivedAt ?? '2026-11-23T10:15:00Z';
  return {
    receivedAt,
    referrer: {
      role: 'healthVisitor',
      name: 'Harriet Visitor',
      organisation: 'Bucks Healthcare',
      contact: { route: 'email', value: 'harriet.visitor@example.nhs.uk' },
    },
    parent: { name: 'Jane Testparent', dateOfBirth: '1998-04-02', nhsNumber: '9434765919' },
    // Due 14 weeks after the referral (1 March 2027 by default), whenever the test's clock says that is.
    child: { born: false, expectedDeliveryDate: addDays(localDateOf(receivedAt), 98) },
    childRef: 'BCS-000123',
    socialCareStatus: 'childProtectionPlan',
    openToBuckinghamshireChildrensServices: true,
    concerns: ['domesticAbuse', 'mentalIllness'],
    ...overrides,
  };
}

/** A health visitor's duty-line call about a parent–infant concern. */
export function dutyLineCall(overrides: Record<string, unknown> = {}) {
  return {
    pathway: 'parentInfant',
    route: 'dutyLine',
    receivedAt: new Date().toISOString(),
    professional: {
      name: 'Grace Okafor',
      role: 'health visitor',
      contact: { route: 'phone', value: '01296 000000' },
    },
    concern: 'Asks whether a referral is right for a mother low in mood.',
    ...overrides,
  };
}
