import type { Staff } from '../../access/rules';

/** The service navigation: each person sees the parts of the workspace their roles use. */
export function nav(caller: Staff, current: string) {
  const oversees = caller.roles.includes('supervisor') || caller.roles.includes('admin');
  const works = caller.roles.some((r) => r === 'caseworker' || r === 'supervisor');
  return {
    caller,
    navigation: [
      { href: '/app', text: 'My work' },
      ...(oversees ? [{ href: '/app/caseload', text: 'Team caseload' }] : []),
      { href: '/app/meeting', text: 'Team meeting' },
      ...(works
        ? [
            { href: '/app/refer', text: 'Make a referral' },
            { href: '/app/consultations', text: 'Duty line' },
            { href: '/app/people', text: 'Find a person' },
          ]
        : []),
      ...(oversees
        ? [
            { href: '/app/reports', text: 'Service reports' },
            { href: '/app/returns', text: 'Statutory returns' },
          ]
        : []),
    ].map((i) => ({ ...i, active: i.href === current })),
  };
}
export type Nav = typeof nav;
