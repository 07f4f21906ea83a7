import { transition, type AnyMachineSnapshot, type AnyStateNode } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { MODELS } from '../test/support/sampleEvents';
import { CaseRecord, Refusal } from '../workflows/caseRecord';
import { PATHWAYS, pathways, type PathwayId } from '.';
import { stateName, statePath } from './common/snapshot';

/** Every atomic state of a machine, as a dotted path without the machine id. */
function atomicStates(node: AnyStateNode, prefix = ''): string[] {
  const children = Object.values(node.states);
  if (children.length === 0) return [prefix];
  return children.flatMap((child) => atomicStates(child, prefix ? `${prefix}.${child.key}` : child.key));
}

/** One snapshot per reachable state value, over every starting referral. */
function reachable(pathway: PathwayId): Map<string, AnyMachineSnapshot> {
  const { machine } = pathways[pathway];
  const { inputs, events } = MODELS[pathway];
  const found = new Map<string, AnyMachineSnapshot>();
  for (const input of inputs) {
    const paths = getShortestPaths(machine, {
      input,
      events,
      serializeState: (s) => JSON.stringify((s as AnyMachineSnapshot).value),
    });
    for (const p of paths) {
      const snapshot = p.state as AnyMachineSnapshot;
      if (!found.has(statePath(snapshot))) found.set(statePath(snapshot), snapshot);
    }
  }
  return found;
}

describe.each(PATHWAYS.map((p) => [p]))('%s machine (model-based)', (pathway) => {
  const states = reachable(pathway);
  const { machine } = pathways[pathway];

  it('reaches every state, the final one included', () => {
    const all = atomicStates(machine.root).filter((s) => s !== 'received');
    expect([...states.keys()].filter((s) => s !== 'received').sort()).toEqual(all.sort());
    expect([...states.values()].some((s) => s.status === 'done')).toBe(true);
  });

  it('handles every event in every state, or refuses it naming the state and the allowed actions', () => {
    for (const snapshot of states.values()) {
      for (const event of MODELS[pathway].events) {
        const record = CaseRecord.fromSnapshot(pathway, `${pathway}-x`, snapshot);
        const state = stateName(snapshot);
        try {
          const checked = record.check(event);
          const [next] = transition(machine, snapshot, checked as never);
          expect(next).toBeDefined();
        } catch (err) {
          expect(err).toBeInstanceOf(Refusal);
          const refusal = err as Refusal;
          if (refusal.code === 'closed') {
            expect(snapshot.status).toBe('done');
            expect(refusal.message).toMatch(/closed/);
          } else {
            expect(refusal.message).toContain(`In state "${state}"`);
            expect(refusal.message).toMatch(/Allowed actions: /);
            expect(refusal.details.allowedActions).toEqual(record.allowedActions());
          }
        }
      }
    }
  });

  it('offers no action in a closed case and some action in every open one', () => {
    for (const snapshot of states.values()) {
      const record = CaseRecord.fromSnapshot(pathway, `${pathway}-x`, snapshot);
      if (snapshot.status === 'done') expect(record.allowedActions()).toEqual([]);
      else expect(record.allowedActions().length).toBeGreaterThan(0);
    }
  });
});

describe('automatic closure when care proceedings begin', () => {
  it('closes a parent–infant case from every open state, with signposting', () => {
    const open = [...reachable('parentInfant').values()].filter((s) => s.status !== 'done');
    expect(open.map(stateName).sort()).toEqual([
      'assessment',
      'awaitingTeamMeeting',
      'engagement',
      'screening',
    ]);
    for (const snapshot of open) {
      const event = MODELS.parentInfant.events.find((e) => e.type === 'CARE_PROCEEDINGS_STARTED')!;
      const [next, actions] = transition(pathways.parentInfant.machine, snapshot, event as never);
      expect(next.status).toBe('done');
      expect(next.context.closure).toMatchObject({ reason: 'careProceedingsStarted' });
      expect(actions.map((a) => a.type)).toEqual(expect.arrayContaining(['signpost', 'archive']));
    }
  });
});
