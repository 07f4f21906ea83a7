import { FIXTURE_KEYS } from '../test/support/fixtureKeys';
import { cinReturn } from './cin/fromCases';
import { cinCensusXml } from './cin/xml';
import { frontDoorCase } from './cin/year';
import { frontDoorCases } from './read';
import { openReturn, sealReturn } from './sealedFile';
import { frontDoorReferralSample } from '../test/support/sampleEvents';

describe('returns from the cases the service holds', () => {
  const held = ['frontDoor-a', 'frontDoor-b', 'frontDoor-c'].map((id, i) =>
    frontDoorCase(
      id,
      frontDoorReferralSample({ receivedAt: `2025-06-0${i + 2}T10:00:00Z`, childRef: `BCS-00${i}` }),
    ).done(),
  );
  const client = {
    caseload: jest.fn(async () =>
      held.map((c) => ({ caseId: c.caseId, pathway: 'frontDoor', state: 'open', open: true })),
    ),
    details: async (id: string) => {
      if (id === 'frontDoor-b') throw new Error('query timed out');
      return held.find((c) => c.caseId === id)!.context;
    },
    timeline: async (id: string) => [...held.find((c) => c.caseId === id)!.timeline],
  };

  it('reads every front door case through the client, open or closed, and names any it could not read', async () => {
    const { cases, unreadable } = await frontDoorCases(client);
    expect(client.caseload).toHaveBeenCalledWith({ pathway: 'frontDoor' }, 100_000);
    expect(cases.map((c) => c.caseId)).toEqual(['frontDoor-a', 'frontDoor-c']);
    expect(unreadable).toEqual(['frontDoor-b']);
    const r = cinReturn(cases, { collectionYear: '2025-26', lea: '825', madeAt: '2026-04-10T09:00:00' });
    expect(r.census.Children.map((c) => c.ChildIdentifiers.LAchildID)).toEqual(['BCS000', 'BCS002']);
  });

  it('a return is sealed at rest: it opens with the key ring, only under its own name, and not once changed', () => {
    const xml = Buffer.from(
      cinCensusXml(
        cinReturn(held, { collectionYear: '2025-26', lea: '825', madeAt: '2026-04-10T09:00:00' }).census,
      ),
    );
    const sealed = sealReturn(FIXTURE_KEYS, xml, 'cin-2025-26.xml');
    expect(sealed.includes(Buffer.from('<Child>'))).toBe(false);
    expect(openReturn(FIXTURE_KEYS, sealed, 'cin-2025-26.xml').equals(xml)).toBe(true);
    expect(() => openReturn(FIXTURE_KEYS, sealed, 'cin-2024-25.xml')).toThrow(/sealed as "cin-2025-26.xml"/);
    const renamed = Buffer.from(
      sealed.toString('latin1').replace('cin-2025-26.xml', 'cin-2024-25.xml'),
      'latin1',
    );
    expect(() => openReturn(FIXTURE_KEYS, renamed, 'cin-2024-25.xml')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => openReturn(FIXTURE_KEYS, flipped, 'cin-2025-26.xml')).toThrow();
  });
});
