import type { PathwayId } from '../machines/common/case';
import type { PersonDetails } from '../store/people';

type Named = { name?: string; dateOfBirth?: string; nhsNumber?: string };

/**
 * The people a referral is about, as the person index keeps them: the parent and the baby
 * (parent–infant), the child (front door), the person leaving custody.
 */
export function peopleOfReferral(pathway: PathwayId, referral: unknown): PersonDetails[] {
  const r = referral as {
    parent?: Named;
    child?: Named & { born?: boolean };
    person?: Named;
    childRef?: string;
  };
  const person = (role: string, p: Named | undefined, extra: Partial<PersonDetails> = {}): PersonDetails => ({
    role,
    ...(p?.name ? { name: p.name } : {}),
    ...(p?.dateOfBirth ? { dateOfBirth: p.dateOfBirth } : {}),
    ...(p?.nhsNumber ? { nhsNumber: p.nhsNumber } : {}),
    ...extra,
  });
  const ref = r.childRef ? { socialCareRef: r.childRef } : {};
  switch (pathway) {
    case 'parentInfant':
      return [person('parent', r.parent), person('baby', r.child, ref)];
    case 'frontDoor':
      return [person('child', r.child, ref)];
    case 'reconnect':
    case 'enhancedReconnect':
      return [person('person', r.person)];
  }
}
