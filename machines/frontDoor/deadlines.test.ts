import { transition, type AnyMachineSnapshot } from 'xstate';
import { due as dueOf, send as sendEvent, start as startCase } from '../../test/support/machines';
import { frontDoorReferralSample, newHolidays, sample } from '../../test/support/sampleEvents';
import { frontDoor } from '.';
import { frontDoorRules } from './machine';

const start = (referral: unknown) => startCase(frontDoor, referral);
const send = (s: AnyMachineSnapshot, type: string, fields: object = {}, at?: string) =>
  sendEvent(frontDoor, s, type, fields, at);
const due = (s: AnyMachineSnapshot) => dueOf(frontDoor, s);

describe("children's social care statutory clocks", () => {
  it('a decision is due within 1 working day of the referral (Friday → end of Monday)', () => {
    const s = start(frontDoorReferralSample({ receivedAt: '2026-11-20T15:00:00Z' }));
    expect(due(s)).toEqual({ referralDecisionOverdue: '2026-11-24T00:00:00.000Z' });
  });

  it('runs the 45-working-day assessment, strategy discussion and 15-working-day conference clocks', () => {
    let s = start(frontDoorReferralSample({ receivedAt: '2026-11-02T10:00:00Z' }));
    s = send(s, 'REFERRAL_DECISION', { decision: 'section47', signposting: [] }, '2026-11-02T15:00:00Z');
    expect(due(s)).toMatchObject({
      assessmentOverdue: '2027-01-08T00:00:00.000Z',
      strategyDiscussionOverdue: '2026-11-04T00:00:00.000Z',
    });
    s = send(s, 'STRATEGY_DISCUSSION_HELD', { heldAt: '2026-11-03T10:00:00Z', section47Enquiry: true });
    expect(due(s)).toMatchObject({ initialConferenceOverdue: '2026-11-25T00:00:00.000Z' });
    s = send(s, 'INITIAL_CONFERENCE_HELD', {
      heldAt: '2026-11-20T10:00:00Z',
      outcome: 'childProtectionPlan',
    });
    expect(due(s)).toMatchObject({
      firstCoreGroupOverdue: '2026-12-05T00:00:00.000Z',
      reviewConferenceOverdue: '2027-02-20T10:00:00.000Z',
    });
    s = send(s, 'REVIEW_CONFERENCE_HELD', { heldAt: '2027-02-15T10:00:00Z', outcome: 'continuePlan' });
    expect(due(s).reviewConferenceOverdue).toBe('2027-08-15T09:00:00.000Z');
  });

  it('care proceedings close linked ReConnect cases, with a 26-week clock extendable by up to 8 weeks', () => {
    let s = start(frontDoorReferralSample());
    s = send(s, 'REFERRAL_DECISION', { decision: 'section47', signposting: [] });
    s = send(s, 'STRATEGY_DISCUSSION_HELD', { heldAt: '2026-11-24T10:00:00Z', section47Enquiry: true });
    s = send(s, 'INITIAL_CONFERENCE_HELD', {
      heldAt: '2026-12-10T10:00:00Z',
      outcome: 'childProtectionPlan',
    });
    s = send(s, 'ENTER_PRE_PROCEEDINGS');
    const issued = send(s, 'CARE_PROCEEDINGS_ISSUED', { issuedAt: '2027-01-04T10:00:00Z' });
    expect(issued.effects).toContain('closeLinkedCases');
    expect(due(issued).careProceedingsOverdue).toBe('2027-07-04T23:00:00.000Z'); // end of 4 July (issue + 181), BST
    const extended = send(issued, 'PROCEEDINGS_EXTENDED', { weeks: 8, justification: 'expert report' });
    expect(due(extended).careProceedingsOverdue).toBe('2027-08-29T23:00:00.000Z');
    // The contract caps one extension at 8 weeks; a stricter local policy is its rule's to refuse.
    expect(
      frontDoor.events.safeParse(sample('frontDoor', 'PROCEEDINGS_EXTENDED', { weeks: 9 })).success,
    ).toBe(false);
    const strict = { ...extended.context, policy: { ...extended.context.policy, maxExtensionWeeks: 4 } };
    const sixWeeks = sample('frontDoor', 'PROCEEDINGS_EXTENDED', {
      weeks: 6,
      justification: 'expert report',
    });
    expect(frontDoorRules.extensionWithinMaximum.holds(strict, sixWeeks as never)).toBe(false);
    expect(frontDoorRules.extensionWithinMaximum.refusal(strict, sixWeeks as never)).toMatch(
      /at most 4 weeks/,
    );
  });

  it('records why the family was not told', () => {
    expect(() => frontDoor.referral.parse(frontDoorReferralSample({ familyInformed: false }))).toThrow(
      /record why/,
    );
    const s = start(
      frontDoorReferralSample({ familyInformed: false, familyNotInformedBecause: 'would increase risk' }),
    );
    expect(s.context.familyInformed).toBe(false);
  });
});

describe('new bank holidays in a running case', () => {
  it('leave deadlines already computed as they were, and apply to those computed after', () => {
    let s = start(frontDoorReferralSample({ receivedAt: '2027-06-07T09:00:00Z' }));
    expect(due(s).referralDecisionOverdue).toBe('2027-06-08T23:00:00.000Z'); // end of Tuesday 8 June
    s = transition(frontDoor.machine, s, newHolidays('frontDoor') as never)[0];
    expect(s.context.calendar.version).toBe('proclaimed-2027');
    expect(due(s).referralDecisionOverdue).toBe('2027-06-08T23:00:00.000Z');
    s = send(s, 'REFERRAL_DECISION', { decision: 'section47', signposting: [] }, '2027-06-07T14:00:00Z');
    expect(due(s).strategyDiscussionOverdue).toBe('2027-06-09T23:00:00.000Z'); // 8 June is now a holiday
    expect(frontDoor.explain(s, newHolidays('frontDoor') as never)).toMatch(/already in force/);
  });
});

describe('cases opened before working-day deadlines were stored', () => {
  it('derive them from their own holidays, as before', () => {
    const s = start(frontDoorReferralSample({ receivedAt: '2026-11-20T15:00:00Z' }));
    const stored = due(s);
    const old = {
      ...s,
      context: { ...s.context, workingDayDue: undefined },
    } as unknown as AnyMachineSnapshot;
    expect(due(old)).toEqual(stored);
  });
});
