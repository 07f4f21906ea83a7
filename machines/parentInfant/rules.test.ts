import { parentInfant } from '.';
import type { ParentInfantContext } from './machine';
import { parentInfantReferral } from '../../test/support/referrals';
import { due, send, start } from '../../test/support/machines';
import { sample } from '../../test/support/sampleEvents';

// The rules read from the service's own pages (seeds 000, 001), each tested by its name.

const refusals = (overrides: Parameters<typeof parentInfantReferral>[0]) =>
  parentInfant.referralRefusals(parentInfant.referral.parse(parentInfantReferral(overrides)));

const referrer = parentInfantReferral().referrer;
/** The params of the effects of `type` a case carries out (one whose params are null is dropped). */
const paramsOf = (s: ReturnType<typeof send>, type: string) =>
  s.actions
    .filter((a) => a.type === type && a.params !== null)
    .map((a) => a.params as Record<string, unknown>);

describe('parent–infant rules from the sources', () => {
  it('otherProfessionalDescribed: any professional may refer, describing a role not on the list', () => {
    expect(refusals({ referrer: { ...referrer, role: 'otherProfessional' } })).toEqual([
      'a referrer who is another professional describes their role (referrer.roleDescription)',
    ]);
    expect(
      refusals({ referrer: { ...referrer, role: 'otherProfessional', roleDescription: 'Housing officer' } }),
    ).toEqual([]);
    // The named roles stay, for reporting.
    expect(refusals({ referrer: { ...referrer, role: 'midwife' } })).toEqual([]);
  });

  it('nhsNumberChecked: an NHS number is taken as written, kept without spaces, and refused with a wrong check digit', () => {
    const parent = parentInfantReferral().parent;
    const parsed = parentInfant.referral.parse(
      parentInfantReferral({ parent: { ...parent, nhsNumber: '943 476 5919' } }),
    );
    expect(parsed.parent.nhsNumber).toBe('9434765919');
    expect(parentInfant.referralRefusals(parsed)).toEqual([]);
    expect(refusals({ parent: { ...parent, nhsNumber: '943 476 5918' } })).toEqual([
      "the NHS number's check digit is wrong",
    ]);
    expect(refusals({ parent: { ...parent, nhsNumber: '0000000000' } })).toEqual([
      'the NHS number is one digit repeated, which is never a real NHS number',
    ]);
    // Without one, nothing to check.
    expect(refusals({ parent: { name: parent.name, dateOfBirth: parent.dateOfBirth } })).toEqual([]);
    expect(
      parentInfant.referral.safeParse(
        parentInfantReferral({ parent: { ...parent, nhsNumber: '943-476-5919' } }),
      ).success,
    ).toBe(false);
  });

  it('expectedDeliveryNotLongPast: an expected delivery date more than 28 days gone is refused', () => {
    const at = { receivedAt: '2026-11-23T10:00:00Z' };
    expect(refusals({ ...at, child: { born: false, expectedDeliveryDate: '2026-10-26' } })).toEqual([]);
    expect(refusals({ ...at, child: { born: false, expectedDeliveryDate: '2026-10-25' } })).toEqual([
      expect.stringMatching(/2026-10-25 is more than 28 days before the referral: .*date of birth/),
    ]);
  });

  it('childBirthDateNotInFuture and parentBirthDateNotInFuture: a birth after the referral is refused', () => {
    const at = { receivedAt: '2026-11-23T10:00:00Z' };
    expect(refusals({ ...at, child: { born: true, dateOfBirth: '2026-11-23' } })).toEqual([]);
    expect(refusals({ ...at, child: { born: true, dateOfBirth: '2026-11-24' } })).toEqual([
      "the child's date of birth is after the referral was received",
    ]);
    const parent = { ...parentInfantReferral().parent, dateOfBirth: '2027-01-01' };
    expect(refusals({ ...at, parent })).toEqual([
      "the parent's date of birth is after the referral was received",
    ]);
  });

  describe('careProceedingsHoweverReported', () => {
    const states = {
      screening: () => start(parentInfant, parentInfantReferral()),
      awaitingTeamMeeting: () =>
        send(parentInfant, start(parentInfant, parentInfantReferral()), 'REFER_TO_TEAM_MEETING'),
      assessment: () =>
        send(parentInfant, start(parentInfant, parentInfantReferral()), 'ACCEPT_FOR_ASSESSMENT'),
      engagement: () =>
        send(
          parentInfant,
          send(parentInfant, start(parentInfant, parentInfantReferral()), 'ACCEPT_FOR_ASSESSMENT'),
          'ASSESSMENT_COMPLETED',
          { suitable: true },
        ),
    };

    it.each(Object.keys(states))(
      'a social care status of care proceedings closes the case from %s, as the care proceedings report does',
      (name) => {
        const from = states[name as keyof typeof states]();
        const byStatus = send(parentInfant, from, 'SOCIAL_CARE_STATUS_CHANGED', {
          status: 'careProceedings',
        });
        const byReport = send(parentInfant, from, 'CARE_PROCEEDINGS_STARTED');
        for (const closed of [byStatus, byReport]) {
          expect(closed.status).toBe('done');
          expect(closed.context.closure?.reason).toBe('careProceedingsStarted');
          const history = (closed.context as ParentInfantContext).socialCareHistory;
          expect(history.at(-1)?.status).toBe('careProceedings');
        }
        expect(byStatus.effects).toEqual(byReport.effects);
      },
    );

    it('referrerToldOfCareProceedings: the referrer is told, and the signposting is addressed for the parent', () => {
      const closed = send(parentInfant, states.assessment(), 'CARE_PROCEEDINGS_STARTED');
      expect(paramsOf(closed, 'notify').map((p) => p.to)).toEqual(['namedWorker', 'referrer']);
      expect(paramsOf(closed, 'signpost')).toEqual([expect.objectContaining({ for: 'the parent' })]);
    });

    it('cases under the first rules edition keep their behaviour: only the report closes', () => {
      const first = start(parentInfant, parentInfantReferral(), 1);
      const status = send(parentInfant, first, 'SOCIAL_CARE_STATUS_CHANGED', { status: 'careProceedings' });
      expect(status.status).toBe('active');
      const closed = send(parentInfant, first, 'CARE_PROCEEDINGS_STARTED');
      expect(paramsOf(closed, 'notify').map((p) => p.to)).toEqual(['namedWorker']);
    });
  });

  it('declineSignposts: a team-meeting decline sends its signposting for the parent, and must have some', () => {
    const waiting = send(parentInfant, start(parentInfant, parentInfantReferral()), 'REFER_TO_TEAM_MEETING');
    const meetingAt = due(parentInfant, waiting).teamMeeting!;
    const without = send(
      parentInfant,
      waiting,
      'TEAM_MEETING_DECISION',
      { decision: 'decline', signposting: [] },
      meetingAt,
    );
    expect(without.status).toBe('active');
    const refused = sample(
      'parentInfant',
      'TEAM_MEETING_DECISION',
      { decision: 'decline', signposting: [] },
      meetingAt,
    );
    expect(parentInfant.explain(waiting, refused)).toMatch(
      /names at least one service the person is signposted to/,
    );
    const declined = send(
      parentInfant,
      waiting,
      'TEAM_MEETING_DECISION',
      { decision: 'decline', signposting: ['NHS Talking Therapies'] },
      meetingAt,
    );
    expect(declined.context.closure?.reason).toBe('declinedAtTeamMeeting');
    expect(paramsOf(declined, 'signpost')).toEqual([
      { signposting: ['NHS Talking Therapies'], for: 'the parent' },
    ]);
    // The first rules edition records the decline and sends no signposting.
    const first = send(parentInfant, start(parentInfant, parentInfantReferral(), 1), 'REFER_TO_TEAM_MEETING');
    const old = send(
      parentInfant,
      first,
      'TEAM_MEETING_DECISION',
      { decision: 'decline', signposting: [] },
      meetingAt,
    );
    expect(old.context.closure?.reason).toBe('declinedAtTeamMeeting');
    expect(paramsOf(old, 'signpost')).toEqual([]);
  });
});
