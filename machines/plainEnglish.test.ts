import type { AnyStateNode } from 'xstate';
import { pathways, PATHWAYS } from '.';
import { CLOSURE_NAMES, EVENT_NAMES, PATHWAY_NAMES, STATE_NAMES, stateName } from './plainEnglish';
import { ClosureReason as ParentInfantClosureReason } from './parentInfant/events';
import { FrontDoorClosureReason } from './frontDoor/events';
import { CustodyClosureReason } from './custody/events';

function states(node: AnyStateNode): string[] {
  return Object.values(node.states).flatMap((c) => [c.key, ...states(c)]);
}

describe('plain-English names', () => {
  it.each(PATHWAYS)('names every state and event of %s', (id) => {
    const p = pathways[id];
    expect(PATHWAY_NAMES[id]).toBeTruthy();
    const missing = [
      ...states(p.machine.root).filter((s) => !STATE_NAMES[s]),
      ...Object.keys(p.roles).filter((e) => !EVENT_NAMES[e]),
    ];
    expect(missing).toEqual([]);
  });

  it('names every closure reason', () => {
    const reasons: string[] = [
      ...ParentInfantClosureReason.options,
      ...FrontDoorClosureReason.options,
      ...CustodyClosureReason.options,
    ];
    expect(reasons.filter((r) => !CLOSURE_NAMES[r])).toEqual([]);
  });

  it('reads an unknown code as words rather than blank', () => {
    expect(stateName('someNewState')).toBe('some New State');
  });
});
