import type { AnyMachineSnapshot } from 'xstate';
import { due as dueOf, send as sendEvent, start as startCase } from '../../test/support/machines';
import { frontDoorReferralSample, sample } from '../../test/support/sampleEvents';
import { frontDoor } from '.';
import { FREE_TEXT_FIELDS } from '../common/envelope';
import { stateName } from '../common/snapshot';
import { childDetailsFields } from './census';

// The rules read from seed 002 and Working Together 2023, each tested by its name.

const start = (overrides: object = {}, rules?: number) =>
  startCase(frontDoor, frontDoorReferralSample(overrides), rules);
const send = (s: AnyMachineSnapshot, type: string, fields: object = {}, at?: string) =>
  sendEvent(frontDoor, s, type, fields, at);
const due = (s: AnyMachineSnapshot) => dueOf(frontDoor, s);

const toEnquiry = (s: AnyMachineSnapshot) =>
  send(
    send(s, 'REFERRAL_DECISION', { decision: 'section47', signposting: [] }, '2026-11-23T15:00:00Z'),
    'STRATEGY_DISCUSSION_HELD',
    { heldAt: '2026-11-24T10:00:00Z', section47Enquiry: true },
    '2026-11-24T11:00:00Z',
  );

describe("children's social care front door: rules from the sources", () => {
  it("childBirthDateNotInFuture: a child's date of birth after the referral is refused", () => {
    const refusals = (child: object) =>
      frontDoor.referralRefusals(
        frontDoor.referral.parse(
          frontDoorReferralSample({
            receivedAt: '2026-11-23T10:00:00Z',
            child: { name: 'Kai Testchild', ...child },
          }),
        ),
      );
    expect(refusals({ dateOfBirth: '2019-03-02' })).toEqual([]);
    expect(refusals({ dateOfBirth: '2026-11-23' })).toEqual([]);
    for (const dateOfBirth of ['2026-11-24', '2036-11-23']) {
      expect(refusals({ dateOfBirth })).toEqual([
        "the child's date of birth is after the referral was received",
      ]);
    }
  });

  it('urgentStrategyWhenHarmSuspected: suspected significant harm goes to a strategy discussion the same working day', () => {
    const urgent = start({ significantHarmSuspected: true, receivedAt: '2026-11-23T10:00:00Z' });
    expect(stateName(urgent)).toBe('strategyDiscussion');
    // Monday 23 November: by the end of that day, not the next.
    expect(due(urgent).strategyDiscussionOverdue).toBe('2026-11-24T00:00:00.000Z');
    expect(frontDoor.deadlines(urgent).find((d) => d.name === 'strategyDiscussionOverdue')?.label).toMatch(
      /same working day/,
    );
    // Received on a Saturday: by the end of the next working day.
    const weekend = start({ significantHarmSuspected: true, receivedAt: '2026-11-21T10:00:00Z' });
    expect(due(weekend).strategyDiscussionOverdue).toBe('2026-11-24T00:00:00.000Z');
    // Without suspected harm, the 1-working-day decision as before; so too under the first rules edition.
    expect(stateName(start({ significantHarmSuspected: false }))).toBe('awaitingDecision');
    expect(stateName(start({ significantHarmSuspected: true }, 1))).toBe('awaitingDecision');
  });

  it('enquiryStepsRecorded: the child seen (and alone), parents, professionals, police and medical, with who and when', () => {
    let s = toEnquiry(start());
    for (const step of ['childSeen', 'childSeenAlone', 'parentsContacted', 'jointEnquiryWithPolice']) {
      s = send(
        s,
        'ENQUIRY_STEP_RECORDED',
        { step, occurredAt: '2026-11-25T10:00:00Z', with: 'at home' },
        '2026-11-25T12:00:00Z',
      );
    }
    const steps = (s.context as { enquirySteps: { step: string; with?: string; by: string }[] }).enquirySteps;
    expect(steps.map((x) => x.step)).toEqual([
      'childSeen',
      'childSeenAlone',
      'parentsContacted',
      'jointEnquiryWithPolice',
    ]);
    expect(steps[0]).toMatchObject({ with: 'at home', by: 'caseworker-1' });
    const future = sample(
      'frontDoor',
      'ENQUIRY_STEP_RECORDED',
      { step: 'paediatricMedicalExamination', occurredAt: '2026-12-01T10:00:00Z' },
      '2026-11-25T12:00:00Z',
    );
    expect(frontDoor.explain(s, future)).toBe('an enquiry step is recorded once it has happened');
  });

  it('careProceedingsFromEnquiryOrChildInNeedPlan: proceedings issued on the emergency routes close linked cases too', () => {
    const enquiry = toEnquiry(start());
    const fromEnquiry = send(enquiry, 'CARE_PROCEEDINGS_ISSUED', { issuedAt: '2026-11-26T10:00:00Z' });
    expect(stateName(fromEnquiry)).toBe('careProceedings');
    expect(fromEnquiry.effects).toContain('closeLinkedCases');
    const plan = send(
      send(start(), 'REFERRAL_DECISION', { decision: 'section17', signposting: [] }),
      'ASSESSMENT_COMPLETED',
      { outcome: 'childInNeedPlan' },
    );
    expect(stateName(plan)).toBe('childInNeedPlan');
    const fromPlan = send(plan, 'CARE_PROCEEDINGS_ISSUED', { issuedAt: '2027-02-01T10:00:00Z' });
    expect(stateName(fromPlan)).toBe('careProceedings');
    expect(fromPlan.effects).toContain('closeLinkedCases');
  });

  it('careProceedingsLimitBeginsOnIssueDay: 26 weeks beginning with the day of issue end with day 182, issue + 181', () => {
    const enquiry = toEnquiry(start());
    const issued = send(enquiry, 'CARE_PROCEEDINGS_ISSUED', { issuedAt: '2027-01-04T10:00:00Z' });
    expect(due(issued).careProceedingsOverdue).toBe('2027-07-04T23:00:00.000Z'); // end of Sunday 4 July, BST
    const first = send(toEnquiry(start({}, 1)), 'CARE_PROCEEDINGS_ISSUED', {
      issuedAt: '2027-01-04T10:00:00Z',
    });
    expect(due(first).careProceedingsOverdue).toBe('2027-07-05T23:00:00.000Z'); // first edition, kept
  });

  it('dueSoonInWorkingDays: a working-day clock warns 2 working days before its last day, never at a weekend', () => {
    // Received Monday 2 November: the 15-working-day conference clock runs from the strategy
    // discussion on Tuesday 3 November and ends with Tuesday 24 November.
    let s = start({ receivedAt: '2026-11-02T10:00:00Z' });
    s = send(s, 'REFERRAL_DECISION', { decision: 'section47', signposting: [] }, '2026-11-02T15:00:00Z');
    s = send(s, 'STRATEGY_DISCUSSION_HELD', { heldAt: '2026-11-03T10:00:00Z', section47Enquiry: true });
    expect(due(s).initialConferenceOverdue).toBe('2026-11-25T00:00:00.000Z');
    expect(due(s).initialConferenceDueSoon).toBe('2026-11-20T00:00:00.000Z'); // Friday 20: Mon 23 and Tue 24 left
    // The 45-working-day assessment ends with Thursday 7 January 2027: warned on Tuesday 5th.
    expect(due(s).assessmentDueSoon).toBe('2027-01-05T00:00:00.000Z');
    // The first edition counted 2 calendar days back from the day after the end.
    let first = start({ receivedAt: '2026-11-02T10:00:00Z' }, 1);
    first = send(
      first,
      'REFERRAL_DECISION',
      { decision: 'section47', signposting: [] },
      '2026-11-02T15:00:00Z',
    );
    first = send(first, 'STRATEGY_DISCUSSION_HELD', {
      heldAt: '2026-11-03T10:00:00Z',
      section47Enquiry: true,
    });
    expect(due(first).initialConferenceDueSoon).toBe('2026-11-23T00:00:00.000Z');
  });

  it("frontDoorNoticeHasPhoneLines: the referral notice gives the front door's office-hours and out-of-hours lines", () => {
    expect(frontDoor.notice).toContain('01296 383962');
    expect(frontDoor.notice).toContain('08009 997677');
    expect(frontDoor.notice).toContain('999');
  });

  it("statusReachesLinkedCases: the child's plan, pre-proceedings and closure are told to linked parent–infant cases", () => {
    const reports = (x: ReturnType<typeof send>) =>
      x.actions.filter((a) => a.type === 'reportToLinkedCases').map((a) => a.params);
    const assessing = send(start(), 'REFERRAL_DECISION', { decision: 'section17', signposting: [] });
    const plan = send(assessing, 'ASSESSMENT_COMPLETED', { outcome: 'childInNeedPlan' });
    expect(reports(plan)).toEqual([{ childRef: 'BCS-000123', status: 'childInNeed' }]);
    expect(reports(send(plan, 'PLAN_ENDED'))).toEqual([
      { childRef: 'BCS-000123', status: 'closedToSocialCare' },
    ]);
    let cp = toEnquiry(start());
    cp = send(cp, 'INITIAL_CONFERENCE_HELD', {
      heldAt: '2026-12-10T10:00:00Z',
      outcome: 'childProtectionPlan',
    });
    expect(reports(cp)).toEqual([{ childRef: 'BCS-000123', status: 'childProtectionPlan' }]);
    const plo = send(cp, 'ENTER_PRE_PROCEEDINGS');
    expect(reports(plo)).toEqual([{ childRef: 'BCS-000123', status: 'preProceedingsPlo' }]);
    // Proceedings close the linked cases instead; their conclusion reports nothing more.
    const issued = send(plo, 'CARE_PROCEEDINGS_ISSUED', { issuedAt: '2027-01-04T10:00:00Z' });
    expect(reports(send(issued, 'PROCEEDINGS_CONCLUDED', {}))).toEqual([null]);
    // Under the first rules edition the effect resolves to null, which the case drops.
    const first = send(
      send(start({}, 1), 'REFERRAL_DECISION', { decision: 'section17', signposting: [] }),
      'ASSESSMENT_COMPLETED',
      { outcome: 'childInNeedPlan' },
    );
    expect(reports(first)).toEqual([null]);
  });

  it("childDetailsGiven, upnCheckLetter and upnOrReasonWhyNot: the child's census details are recorded as they become known, the latest kept", () => {
    let s = start();
    expect(frontDoor.explain(s, sample('frontDoor', 'CHILD_DETAILS_RECORDED', {}))).toBe(
      "record at least one of the child's details",
    );
    expect(
      frontDoor.explain(
        s,
        sample('frontDoor', 'CHILD_DETAILS_RECORDED', { upn: 'N845200000000', upnUnknown: 'UN1' }),
      ),
    ).toBe('record either a UPN or why it is not known, not both');
    // Born after the referral: the date of birth and sex, no UPN yet; later a UPN replaces the reason.
    s = send(s, 'CHILD_DETAILS_RECORDED', { dateOfBirth: '2026-11-30', sex: 'F', upnUnknown: 'UN1' });
    s = send(s, 'CHILD_DETAILS_RECORDED', { ethnicity: 'WBRI', upn: 'N845200000000' });
    expect(s.context.childDetails).toEqual({
      dateOfBirth: '2026-11-30',
      sex: 'F',
      ethnicity: 'WBRI',
      upn: 'N845200000000',
    });
  });

  it("census fields: codes from the census's lists only, each factor once and 'no factors' alone", () => {
    const parse = (type: string, fields: object) =>
      frontDoor.events.safeParse(sample('frontDoor', type, fields));
    expect(parse('ASSESSMENT_COMPLETED', { outcome: 'childInNeedPlan', factors: ['21'] }).success).toBe(true);
    expect(parse('ASSESSMENT_COMPLETED', { outcome: 'childInNeedPlan', factors: ['21', '3B'] }).success).toBe(
      false,
    );
    expect(parse('ASSESSMENT_COMPLETED', { outcome: 'childInNeedPlan', primaryNeed: 'N10' }).success).toBe(
      false,
    );
    expect(
      parse('INITIAL_CONFERENCE_HELD', {
        heldAt: '2026-12-10T10:00:00Z',
        outcome: 'childProtectionPlan',
        categoryOfAbuse: 'NEG',
      }).success,
    ).toBe(true);
    expect(
      parse('INITIAL_CONFERENCE_HELD', {
        heldAt: '2026-12-10T10:00:00Z',
        outcome: 'childProtectionPlan',
        categoryOfAbuse: 'Neglect',
      }).success,
    ).toBe(false);
    expect(parse('CLOSE', { closureReason: 'other', censusReason: 'RC4' }).success).toBe(true);
    expect(parse('CLOSE', { closureReason: 'other', censusReason: 'RC10' }).success).toBe(false);
    // A UPN's form is the schema's; its check letter is a rule, refused with its reason.
    expect(parse('CHILD_DETAILS_RECORDED', { upn: 'A84520000000' }).success).toBe(false);
    expect(parse('CHILD_DETAILS_RECORDED', { upn: 'A845200000000' }).success).toBe(true);
    expect(
      frontDoor.explain(start(), sample('frontDoor', 'CHILD_DETAILS_RECORDED', { upn: 'A845200000000' })),
    ).toBe("the UPN's check letter does not match its digits");
    const wrongUpn = frontDoor.referral.parse(frontDoorReferralSample({ census: { upn: 'A845200000000' } }));
    expect(frontDoor.refusalsOnOpening(wrongUpn, wrongUpn.receivedAt)).toEqual([
      "the UPN's check letter does not match its digits",
    ]);
    const rightUpn = frontDoor.referral.parse(frontDoorReferralSample({ census: { upn: 'N845200000000' } }));
    expect(frontDoor.refusalsOnOpening(rightUpn, rightUpn.receivedAt)).toEqual([]);
    expect(parse('CHILD_DETAILS_RECORDED', { disabilities: ['NONE', 'MOB'] }).success).toBe(false);
    // Older cases' referrals carry none of them, and still open.
    expect(frontDoor.referral.safeParse(frontDoorReferralSample()).success).toBe(true);
    expect(
      frontDoor.referral.safeParse(
        frontDoorReferralSample({ census: { referralSource: '6', upn: 'n845200000000' } }),
      ).data?.census,
    ).toEqual({ referralSource: '6', upn: 'N845200000000' });
  });

  it("childDetailsNeedToKnow: the child's details recorded after the referral are kept from the timeline, like free text", () => {
    expect(FREE_TEXT_FIELDS).toEqual(expect.arrayContaining(Object.keys(childDetailsFields)));
  });
});
