import { searchAttributesOf, SA } from './searchAttributes';

describe('search attributes of a case', () => {
  it('carry codes, staff ids and process dates, and clear what no longer applies', () => {
    const pairs = searchAttributesOf(
      'reconnect',
      {
        state: 'preRelease',
        open: true,
        team: 'bsol-reconnect',
        namedWorker: 'cw-ben',
        releaseDate: '2027-04-12',
      },
      '2027-03-15T00:00:00.000Z',
      undefined,
    );
    const byName = Object.fromEntries(pairs.map((p) => [p.key.name, p.value]));
    expect(byName).toEqual({
      [SA.pathway.name]: 'reconnect',
      [SA.state.name]: 'preRelease',
      [SA.open.name]: true,
      [SA.team.name]: 'bsol-reconnect',
      [SA.namedWorker.name]: 'cw-ben',
      [SA.releaseDate.name]: new Date('2027-04-12'),
      [SA.nextDeadline.name]: new Date('2027-03-15T00:00:00.000Z'),
      [SA.priorityGroup.name]: null,
      [SA.childLink.name]: null,
    });
  });

  it('carry the team a transfer waits on only for a case ever offered for transfer', () => {
    const summary = { state: 'screening', open: true, team: 'bucks-reconnect' };
    const names = (s: object) =>
      searchAttributesOf('parentInfant', { ...summary, ...s }, undefined, undefined).map((p) => p.key.name);
    expect(names({})).not.toContain(SA.transferTo.name);
    const offered = searchAttributesOf(
      'parentInfant',
      { ...summary, transferTo: 'bsol-reconnect' },
      undefined,
      undefined,
    );
    expect(offered.find((p) => p.key.name === SA.transferTo.name)?.value).toBe('bsol-reconnect');
    const answered = searchAttributesOf(
      'parentInfant',
      { ...summary, transferTo: null },
      undefined,
      undefined,
    );
    expect(answered.find((p) => p.key.name === SA.transferTo.name)?.value).toBeNull();
  });
});
