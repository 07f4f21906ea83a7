import { frontDoorReferralSample } from '../../test/support/sampleEvents';
import { cinReturn, closureReasonOf, laChildId, type CaseForReturn } from './fromCases';
import { ACTORS, frontDoorCase } from './year';
import { cinCensusXml } from './xml';

/**
 * The census from the front door's cases: each field the pathway already knows is derived, and
 * tested here by its name. Pure: fixed dates, no clock.
 */

const YEAR = { collectionYear: '2025-26', lea: '825', madeAt: '2026-04-10T09:00:00' };
let n = 0;

/** A referral received at `receivedAt`, for a child of `childRef`, with census fields as given. */
function referral(receivedAt: string, fields: object = {}, childRef = 'BCS-000123') {
  return frontDoorReferralSample({
    receivedAt,
    childRef,
    child: { name: 'Made-up child', dateOfBirth: '2015-05-01' },
    ...fields,
  });
}
const open = (receivedAt: string, fields: object = {}, childRef?: string) =>
  frontDoorCase(`frontDoor-test-${++n}`, referral(receivedAt, fields, childRef));
const census = { sex: 'F', ethnicity: 'WBRI', disabilities: ['NONE'], upn: 'N845200000000' };

const only = (cases: CaseForReturn[]) => {
  const r = cinReturn(cases, YEAR);
  expect(r.census.Children).toHaveLength(1);
  return { ...r, child: r.census.Children[0]!, episode: r.census.Children[0]!.CINdetails[0]! };
};

/** Section 17 assessed from 2 June 2025 and completed on 30 June, with `outcome`. */
const assessed = (outcome: string, fields: object = {}) =>
  open('2025-06-01T10:00:00Z', { census })
    .send('REFERRAL_DECISION', '2025-06-02', { decision: 'section17', signposting: [] })
    .send('ASSESSMENT_COMPLETED', '2025-06-30', { outcome, primaryNeed: 'N4', factors: ['3B'], ...fields });

/** Section 47: decided 2 June, strategy discussion 3 June, assessed 10 June, conference 20 June. */
const protection = (conference: object = { outcome: 'childProtectionPlan', categoryOfAbuse: 'NEG' }) =>
  open('2025-06-01T10:00:00Z', { census })
    .send('REFERRAL_DECISION', '2025-06-02', { decision: 'section47', signposting: [] })
    .send('STRATEGY_DISCUSSION_HELD', '2025-06-03', {
      heldAt: '2025-06-03T09:00:00Z',
      section47Enquiry: true,
    })
    .send('ASSESSMENT_COMPLETED', '2025-06-10', {
      outcome: 'childInNeedPlan',
      primaryNeed: 'N1',
      factors: ['16A'],
    })
    .send('INITIAL_CONFERENCE_HELD', '2025-06-20', { heldAt: '2025-06-20T10:00:00Z', ...conference });

describe('the census from the front door: derived fields', () => {
  it('CINreferralDate: the local day the referral was received', () => {
    // 23:30 in UTC on 1 June is 00:30 on 2 June in London (summer time).
    const { episode } = only([open('2025-06-01T23:30:00Z').done()]);
    expect(episode.CINreferralDate).toBe('2025-06-02');
  });

  it("ReferralSource: the referrer's role in the census's terms, unless the referral gives the census's source", () => {
    expect(only([open('2025-06-02T10:00:00Z').done()]).episode.ReferralSource).toBe('3F'); // health
    const police = referral('2025-06-02T10:00:00Z');
    police.referrer = { ...police.referrer, role: 'police' };
    expect(only([frontDoorCase('frontDoor-test-police', police).done()]).episode.ReferralSource).toBe('6');
    const gp = open('2025-06-02T10:00:00Z', { census: { referralSource: '3A' } }).done();
    expect(only([gp]).episode.ReferralSource).toBe('3A');
  });

  it('ReferralNFA: a referral decided with no further action, advice or signposting, returned with no closure', () => {
    for (const decision of ['noFurtherAction', 'adviceAndConsultation', 'universalOrSpecialistServices']) {
      const c = open('2025-06-02T10:00:00Z', { census: { ...census, upn: undefined } })
        .send('REFERRAL_DECISION', '2025-06-03', { decision, signposting: [] })
        .done();
      const { episode, child } = only([c]);
      expect(episode).toMatchObject({ ReferralNFA: true });
      expect(episode.CINclosureDate).toBeUndefined();
      expect(episode.PrimaryNeedCode).toBeUndefined();
      // UPNunknown: every referral of the child ended with no further action (UN7).
      expect(child.ChildIdentifiers.UPNunknown).toBe('UN7');
    }
  });

  it('AssessmentActualStartDate and AssessmentAuthorisationDate: the decision to assess, and the day it was completed', () => {
    const { episode } = only([assessed('childInNeedPlan').done()]);
    expect(episode.Assessments).toEqual([
      {
        AssessmentActualStartDate: '2025-06-02',
        AssessmentAuthorisationDate: '2025-06-30',
        AssessmentFactors: ['3B'],
      },
    ]);
    expect(episode.PrimaryNeedCode).toBe('N4');
    // A section 47 assessment starts with the strategy discussion.
    expect(only([protection().done()]).episode.Assessments[0]!.AssessmentActualStartDate).toBe('2025-06-03');
  });

  it('ReasonForClosure RC8: closed after an assessment with no further action', () => {
    const { episode } = only([assessed('noFurtherAction').done()]);
    expect(episode).toMatchObject({ CINclosureDate: '2025-06-30', ReasonForClosure: 'RC8' });
  });

  it('ReasonForClosure RC7, RC5 and as recorded: a plan ended, moved away, or the reason the CLOSE gave', () => {
    const ended = assessed('childInNeedPlan').send('PLAN_ENDED', '2025-09-01').done();
    expect(only([ended]).episode).toMatchObject({ CINclosureDate: '2025-09-01', ReasonForClosure: 'RC7' });
    const moved = assessed('childInNeedPlan')
      .send('CLOSE', '2025-09-01', { closureReason: 'movedOutOfArea' }, ACTORS.supervisor)
      .done();
    expect(only([moved]).episode.ReasonForClosure).toBe('RC5');
    const sgo = assessed('childInNeedPlan')
      .send(
        'CLOSE',
        '2025-09-01',
        { closureReason: 'other', note: 'SGO made', censusReason: 'RC4' },
        ACTORS.supervisor,
      )
      .done();
    expect(only([sgo]).episode.ReasonForClosure).toBe('RC4');
    // Once there was an enquiry or a plan, services ceased: never RC8 (rule 2990).
    expect(closureReasonOf('noFurtherAction', true, true, true)).toBe('RC7');
  });

  it("S47ActualStartDate and InitialCPCtarget: the strategy discussion's day, and 15 working days after it", () => {
    const { episode } = only([protection().done()]);
    expect(episode.Section47).toEqual([
      { S47ActualStartDate: '2025-06-03', InitialCPCtarget: '2025-06-24', DateOfInitialCPC: '2025-06-20' },
    ]);
  });

  it('ICPCnotRequired: an enquiry closed without a conference needed none', () => {
    const c = open('2025-06-01T10:00:00Z', { census })
      .send('REFERRAL_DECISION', '2025-06-02', { decision: 'section47', signposting: [] })
      .send('STRATEGY_DISCUSSION_HELD', '2025-06-03', {
        heldAt: '2025-06-03T09:00:00Z',
        section47Enquiry: true,
      })
      .send('ASSESSMENT_COMPLETED', '2025-06-10', {
        outcome: 'noFurtherAction',
        primaryNeed: 'N1',
        factors: ['21'],
      })
      .send('CLOSE', '2025-06-12', { closureReason: 'noFurtherAction' }, ACTORS.supervisor)
      .done();
    const { episode } = only([c]);
    expect(episode.Section47).toEqual([
      { S47ActualStartDate: '2025-06-03', InitialCPCtarget: '2025-06-24', ICPCnotRequired: true },
    ]);
    expect(episode.ReasonForClosure).toBe('RC7');
  });

  it('CPPstartDate, categories, reviews and CPPendDate: from the conference, its reviews and the step-down', () => {
    const c = protection()
      .send('REVIEW_CONFERENCE_HELD', '2025-09-19', {
        heldAt: '2025-09-19T10:00:00Z',
        outcome: 'continuePlan',
        categoryOfAbuse: 'MUL',
      })
      .send('REVIEW_CONFERENCE_HELD', '2025-12-19', {
        heldAt: '2025-12-19T10:00:00Z',
        outcome: 'stepDownToChildInNeed',
      })
      .send('PLAN_ENDED', '2026-02-02')
      .done();
    const { episode } = only([c]);
    expect(episode.ChildProtectionPlans).toEqual([
      {
        CPPstartDate: '2025-06-20',
        CPPendDate: '2025-12-19',
        InitialCategoryOfAbuse: 'NEG',
        LatestCategoryOfAbuse: 'MUL',
        NumberOfPreviousCPP: 0,
        Reviews: ['2025-09-19', '2025-12-19'],
      },
    ]);
    // CINPlanStartDate and CINPlanEndDate: the child in need plan's state, stepped down to and ended.
    expect(episode.CINPlanDates).toEqual([{ CINPlanStartDate: '2025-12-19', CINPlanEndDate: '2026-02-02' }]);
  });

  it('NumberOfPreviousCPP: the plans of the same child on earlier cases', () => {
    const first = protection()
      .send('REVIEW_CONFERENCE_HELD', '2025-09-19', { heldAt: '2025-09-19T10:00:00Z', outcome: 'endPlan' })
      .done();
    const again = open('2025-11-03T10:00:00Z', { census })
      .send('REFERRAL_DECISION', '2025-11-04', { decision: 'section47', signposting: [] })
      .send('STRATEGY_DISCUSSION_HELD', '2025-11-04', {
        heldAt: '2025-11-04T11:00:00Z',
        section47Enquiry: true,
      })
      .send('ASSESSMENT_COMPLETED', '2025-11-10', {
        outcome: 'childInNeedPlan',
        primaryNeed: 'N1',
        factors: ['17A'],
      })
      .send('INITIAL_CONFERENCE_HELD', '2025-11-20', {
        heldAt: '2025-11-20T10:00:00Z',
        outcome: 'childProtectionPlan',
        categoryOfAbuse: 'EMO',
      })
      .done();
    const { child } = only([again, first]);
    expect(child.CINdetails.map((e) => e.ChildProtectionPlans[0]!.NumberOfPreviousCPP)).toEqual([0, 1]);
    expect(child.CINdetails.map((e) => e.CINreferralDate)).toEqual(['2025-06-01', '2025-11-03']);
  });

  it('Sex U and ExpectedPersonBirthDate for an unborn child; the birth recorded later is its date of birth', () => {
    const unborn = () =>
      frontDoorCase(
        `frontDoor-test-${++n}`,
        frontDoorReferralSample({
          receivedAt: '2025-06-02T10:00:00Z',
          child: { name: 'Unborn', expectedDeliveryDate: '2025-08-01' },
        }),
      ).send('REFERRAL_DECISION', '2025-06-03', { decision: 'section17', signposting: [] });
    const before = only([unborn().done()]).child.ChildIdentifiers;
    expect(before).toMatchObject({ ExpectedPersonBirthDate: '2025-08-01', Sex: 'U', UPNunknown: 'UN1' });
    expect(before.PersonBirthDate).toBeUndefined();
    const born = unborn()
      .send('CHILD_DETAILS_RECORDED', '2025-07-30', { dateOfBirth: '2025-07-28', sex: 'M' })
      .done();
    const after = only([born]).child.ChildIdentifiers;
    expect(after).toMatchObject({ PersonBirthDate: '2025-07-28', Sex: 'M', UPNunknown: 'UN1' });
    expect(after.ExpectedPersonBirthDate).toBeUndefined();
  });

  it('PrimaryNeedCode N0 (not stated) until the assessment records it', () => {
    const c = open('2026-03-20T10:00:00Z', { census })
      .send('REFERRAL_DECISION', '2026-03-23', { decision: 'section17', signposting: [] })
      .done();
    expect(only([c]).episode).toMatchObject({ PrimaryNeedCode: 'N0', ReferralNFA: false });
  });
});

describe('the census from the front door: the year and the children', () => {
  it('every episode open during the year: one begun before it, not one closed before it or begun after it', () => {
    const before = assessed('noFurtherAction').done(); // closed 30 June 2025: in 2025-26
    const spanning = open('2025-02-03T10:00:00Z', { census })
      .send('REFERRAL_DECISION', '2025-02-04', { decision: 'section17', signposting: [] })
      .send('ASSESSMENT_COMPLETED', '2025-03-03', {
        outcome: 'childInNeedPlan',
        primaryNeed: 'N2',
        factors: ['6A'],
      })
      .send('PLAN_ENDED', '2025-05-01')
      .done();
    const closedEarlier = open('2024-10-01T10:00:00Z', { census }, 'BCS-000999')
      .send('REFERRAL_DECISION', '2024-10-02', { decision: 'section17', signposting: [] })
      .send('ASSESSMENT_COMPLETED', '2024-11-01', {
        outcome: 'noFurtherAction',
        primaryNeed: 'N4',
        factors: ['21'],
      })
      .done();
    const after = open('2026-04-01T10:00:00Z', { census }, 'BCS-000777').done();
    const r = cinReturn([before, spanning, closedEarlier, after], YEAR);
    expect(r.census.Children.map((c) => c.ChildIdentifiers.LAchildID)).toEqual(['BCS000123']);
    const [spanned, inYear] = r.census.Children[0]!.CINdetails;
    // Begun before the year: its assessment was in last year's return; the plan's end is this year's.
    expect(spanned).toMatchObject({
      CINreferralDate: '2025-02-03',
      CINclosureDate: '2025-05-01',
      Assessments: [],
    });
    expect(spanned!.CINPlanDates).toEqual([{ CINPlanStartDate: '2025-03-03', CINPlanEndDate: '2025-05-01' }]);
    expect(inYear!.CINreferralDate).toBe('2025-06-01');
  });

  it('what happened after 31 March is not in the year: the plan is open at the census date', () => {
    const c = assessed('childInNeedPlan').send('PLAN_ENDED', '2026-05-01').done();
    const { episode } = only([c]);
    expect(episode.CINclosureDate).toBeUndefined();
    expect(episode.CINPlanDates).toEqual([{ CINPlanStartDate: '2025-06-30' }]);
  });

  it('older cases without the census fields export what they have, and the gaps are listed', () => {
    const older = frontDoorCase(
      'frontDoor-older',
      frontDoorReferralSample({
        receivedAt: '2025-06-02T10:00:00Z',
        childRef: 'BCS-000555',
        child: { name: 'Older case', dateOfBirth: '2012-01-10' },
      }),
    )
      .send('REFERRAL_DECISION', '2025-06-03', { decision: 'section47', signposting: [] })
      .send('STRATEGY_DISCUSSION_HELD', '2025-06-03', {
        heldAt: '2025-06-03T12:00:00Z',
        section47Enquiry: true,
      })
      .send('ASSESSMENT_COMPLETED', '2025-06-10', { outcome: 'childInNeedPlan' })
      .send('INITIAL_CONFERENCE_HELD', '2025-06-20', {
        heldAt: '2025-06-20T10:00:00Z',
        outcome: 'childProtectionPlan',
      })
      .done();
    const r = cinReturn([older], YEAR);
    const child = r.census.Children[0]!;
    expect(child.ChildIdentifiers).toMatchObject({
      LAchildID: 'BCS000555',
      Sex: 'U',
      PersonBirthDate: '2012-01-10',
    });
    expect(child.ChildCharacteristics).toEqual({ Ethnicity: 'NOBT', Disabilities: [] });
    expect(r.gaps.map((g) => g.field).sort()).toEqual(
      [
        'AssessmentFactors',
        'Disabilities',
        'Ethnicity',
        'InitialCategoryOfAbuse',
        'PrimaryNeedCode',
        'Sex',
        'UPN',
      ].sort(),
    );
    expect(r.gaps.every((g) => g.child === 'BCS000555')).toBe(true);
    // What it has is still written.
    expect(cinCensusXml(r.census)).toContain('<S47ActualStartDate>2025-06-03</S47ActualStartDate>');
  });

  it('a case ended in Temporal outside the service is returned as open, and listed', () => {
    const c = assessed('childInNeedPlan').done();
    const last = c.timeline.at(-1)!;
    const ended = {
      ...c,
      timeline: [
        ...c.timeline,
        {
          ...last,
          seq: last.seq + 1,
          eventId: 'x:ended',
          type: 'ENDED_OUTSIDE_THE_SERVICE',
          at: '2025-08-01T10:00:00Z',
        },
      ],
    };
    const r = only([ended]);
    expect(r.episode.CINclosureDate).toBeUndefined();
    expect(r.gaps.map((g) => g.field)).toEqual(['CINclosureDate']);
  });

  it("LAchildID: the child's social care reference, letters and digits only", () => {
    expect(laChildId('BCS-000123')).toBe('BCS000123');
  });
});
