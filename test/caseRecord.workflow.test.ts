import { CaseRefusedError } from '../client/cases';
import { chronologyOf } from '../client/chronology';
import { reopenCase, REOPEN_WITHIN_DAYS } from '../client/reopen';
import { DAY } from './support/clock';
import { caseworker, parentInfantReferral, supervisor } from './support/referrals';
import { useHarness } from './support/temporal';

const h = useHarness('timeSkipping', { searchAttributes: false });
const now = async () => new Date(await h.env.currentTimeMs()).toISOString();
const act = (caseId: string, actor: object, type: string, fields: object = {}) =>
  h.cases.act(caseId, { type, actor, ...fields });

/** The case record on a running case, and reopening a closed one, on the time-skipping server. */
describe('the case record on a running case', () => {
  const closedCase = async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now() }),
      caseworker,
    );
    await act(caseId, caseworker, 'DETAILS_CORRECTED', {
      person: 'parent',
      field: 'name',
      value: 'Sam Corrected',
      reason: 'misspelt at referral',
    });
    await act(caseId, supervisor, 'CLOSE', { closureReason: 'withdrewConsent' });
    return h.cases.view(caseId);
  };

  it('keeps notes and corrections in the chronology, whatever state the case is in', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now() }),
      caseworker,
    );
    await act(caseId, caseworker, 'NOTE_RECORDED', {
      eventId: 'visit-1',
      noteType: 'homeVisit',
      happenedAt: await now(),
      text: 'Seen at home.',
      significant: true,
    });
    await act(caseId, caseworker, 'DETAILS_CORRECTED', {
      person: 'parent',
      field: 'address',
      value: '2 Park Road, Solihull B91 1AA',
      reason: 'moved',
    });
    const view = await act(caseId, caseworker, 'ACCEPT_FOR_ASSESSMENT');
    expect(view.state).toBe('assessment');
    const chronology = chronologyOf(await h.cases.timeline(caseId), await h.cases.details(caseId), {
      order: 'oldest',
    });
    expect(chronology.map((c) => c.type)).toEqual([
      'REFERRAL_RECEIVED',
      'homeVisit',
      'DETAILS_CORRECTED',
      'ACCEPT_FOR_ASSESSMENT',
    ]);
  });

  it(`reopens a closed case within ${REOPEN_WITHIN_DAYS} days as a linked re-referral, with the people as corrected and the reason as its first note`, async () => {
    const closed = await closedCase();
    await h.env.sleep(3 * DAY);
    const reopened = await reopenCase(h.cases, closed, supervisor, 'the parent asked for support again');
    expect(reopened).toEqual(
      expect.objectContaining({
        open: true,
        team: closed.team,
        previousCaseId: closed.caseId,
        pathway: 'parentInfant',
      }),
    );
    // Once: a second reopening names the case it was reopened as, and opens nothing.
    await expect(reopenCase(h.cases, closed, supervisor, 'again')).rejects.toThrow(
      new RegExp(`it was reopened already, as ${reopened.reference ?? reopened.caseId}`),
    );
    const details = await h.cases.details(reopened.caseId);
    expect((details.referral as { parent: { name: string } }).parent.name).toBe('Sam Corrected');
    expect(details.notes).toEqual([
      expect.objectContaining({
        noteType: 'managementOversight',
        significant: true,
        versions: [
          expect.objectContaining({ text: expect.stringMatching(/the parent asked for support again$/) }),
        ],
      }),
    ]);
  });

  it(`refuses to reopen after ${REOPEN_WITHIN_DAYS} days, saying to make a re-referral, and opens nothing`, async () => {
    const closed = await closedCase();
    await h.env.sleep((REOPEN_WITHIN_DAYS + 1) * DAY);
    const refused = await reopenCase(h.cases, closed, supervisor, 'too late').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CaseRefusedError);
    expect((refused as Error).message).toMatch(/closed more than 28 days ago: make a re-referral instead/);
  });

  it('refuses to reopen an open case', async () => {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now() }),
      caseworker,
    );
    const open = await h.cases.view(caseId);
    await expect(reopenCase(h.cases, open, supervisor, 'why')).rejects.toThrow(/the case is still open/);
  });
});
