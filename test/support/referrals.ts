import type { ParentInfantReferral } from '../../machines/parentInfant/referral';

export const caseworker = { id: 'cw-amira', role: 'caseworker' } as const;
export const supervisor = { id: 'sup-jo', role: 'supervisor' } as const;
export const prisonSystem = { id: 'system:prison', role: 'system' } as const;

/** A health visitor's referral of an unborn baby on a child protection plan. */
export function parentInfantReferral(overrides: Partial<ParentInfantReferral> = {}): ParentInfantReferral {
  return {
    receivedAt: '2026-11-23T10:15:00Z',
    referrer: {
      role: 'healthVisitor',
      name: 'Harriet Visitor',
      organisation: 'Bucks Healthcare',
      contact: { route: 'email', value: 'harriet.visitor@example.nhs.uk' },
    },
    parent: { name: 'Jane Testparent', dateOfBirth: '1998-04-02', nhsNumber: '9434765919' },
    child: { born: false, expectedDeliveryDate: '2027-03-01' },
    childRef: 'BCS-000123',
    socialCareStatus: 'childProtectionPlan',
    openToBuckinghamshireChildrensServices: true,
    concerns: ['domesticAbuse', 'mentalIllness'],
    ...overrides,
  };
}
