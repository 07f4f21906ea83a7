import { caseworker, parentInfantReferral, supervisor } from '../test/support/referrals';
import { useHarness } from '../test/support/temporal';

// A real case on the dev server: its facts reach the record store as each action is taken, so
// the assessment awaits sign-off at once, and the closure once the case's workflow has ended.
const h = useHarness('dev');

describe('management oversight of a real case', () => {
  it('an assessment outcome awaits sign-off as soon as it is recorded, and a closure after the case has ended', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: new Date().toISOString() }),
      caseworker,
    );
    const team = (await h.cases.view(caseId)).team;
    const awaiting = async () =>
      (await h.records.oversight.awaiting([team])).filter((a) => a.caseId === caseId).map((a) => a.subject);
    expect(await awaiting()).toEqual([]);
    await h.cases.act(caseId, { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker });
    await h.cases.act(caseId, { type: 'ASSESSMENT_COMPLETED', actor: caseworker, suitable: true });
    expect(await h.records.oversight.subjectsOf(caseId)).toMatchObject({ assessment: 'suitable', team });
    expect(await awaiting()).toEqual(['assessment']);
    await h.records.oversight.signOff(caseId, 'assessment', supervisor.id, 'Suitable: agreed');
    expect(await awaiting()).toEqual([]);

    await h.cases.act(caseId, { type: 'CLOSE', actor: supervisor, closureReason: 'disengaged' });
    expect(await awaiting()).toEqual(['closure']);
    await h.records.oversight.signOff(caseId, 'closure', supervisor.id);
    expect(await awaiting()).toEqual([]);
  });
});
