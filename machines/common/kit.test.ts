import { pathways, PATHWAYS } from '..';
import { initialTransition } from 'xstate';
import { due, send } from '../../test/support/machines';
import { MODELS } from '../../test/support/sampleEvents';
import { caseContextOf } from './case';
import { FOLLOW_UP_POLICY } from './kit';

describe.each(PATHWAYS.map((p) => [p]))('follow-up reminders (%s)', (id) => {
  const pathway = pathways[id];
  const at = '2027-02-01T10:00:00Z';
  const open = () => initialTransition(pathway.machine, MODELS[id].inputs[0])[0];
  const followUp = (s: ReturnType<typeof open>, dueAt: string, when = at) =>
    send(pathway, s, 'SET_FOLLOW_UP', { dueAt }, when);

  it('become a reminder to the named worker at the time set, beside the pathway’s own deadlines', () => {
    const s = followUp(open(), '2027-02-03T14:30:00Z');
    const reminder = pathway.deadlines(s).find((d) => d.name.startsWith('followUp:'));
    expect(reminder).toMatchObject({ kind: 'reminder', at: '2027-02-03T14:30:00Z', notify: 'namedWorker' });
    expect(reminder?.label).toMatch(/^Follow-up set by /);
  });

  it('are refused in the past, too far ahead, or beyond the number that may wait', () => {
    const s = open();
    expect(pathway.explain(s, followUpEvent(s, '2027-01-31T10:00:00Z'))).toMatch(/after now/);
    expect(pathway.explain(s, followUpEvent(s, '2028-03-01T10:00:00Z'))).toMatch(/within 366 days/);
    let many = s;
    for (let i = 0; i < FOLLOW_UP_POLICY.maxPending; i++)
      many = followUp(many, `2027-03-0${(i % 9) + 1}T09:00:00Z`);
    expect(Object.keys(due(pathway, many)).filter((n) => n.startsWith('followUp:'))).toHaveLength(10);
    expect(pathway.explain(many, followUpEvent(many, '2027-04-01T09:00:00Z'))).toMatch(/at most 10/);
  });

  it('drop off the case a month after their date, so the list stays short', () => {
    const s = followUp(open(), '2027-02-02T09:00:00Z');
    const later = followUp(s, '2027-06-01T09:00:00Z', '2027-05-01T10:00:00Z');
    const kept = caseContextOf(later).followUps ?? [];
    expect(kept.map((f) => f.dueAt)).toEqual(['2027-06-01T09:00:00Z']);
  });

  function followUpEvent(_s: unknown, dueAt: string) {
    return { type: 'SET_FOLLOW_UP', eventId: 'f1', at, actor: { id: 'cw-1', role: 'caseworker' }, dueAt };
  }
});
