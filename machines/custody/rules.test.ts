import type { AnyMachineSnapshot } from 'xstate';
import { due, send, start } from '../../test/support/machines';
import { sample } from '../../test/support/sampleEvents';
import {
  ALL_CRITERIA,
  custodyReferral,
  enhancedReferral,
  releasedReferral,
} from '../../test/support/custodyReferrals';
import { enhancedReconnect, reconnect } from '.';
import { enhancedEligibility } from './eligibility';
import { contactsBeforeRelease, type CustodyContext } from './machine';

// The rules read from seeds 003 and 004, each tested by its name.

const ctx = (s: AnyMachineSnapshot) => s.context as CustodyContext;
const inPreRelease = (referral = custodyReferral({}, '2027-04-12'), rules?: number) =>
  send(
    reconnect,
    start(reconnect, referral, rules),
    'ASSESSMENT_COMPLETED',
    { appropriate: true, consent: true },
    '2027-02-01T10:00:00Z',
  );

describe('RECONNECT and Enhanced RECONNECT: rules from the sources', () => {
  describe('releaseDateCorrection', () => {
    const assumed = () => send(reconnect, inPreRelease(), 'RELEASE_DATE_REACHED', {}, '2027-04-11T23:00:00Z');
    const correction = (fields: object, at = '2027-04-13T09:00:00Z') =>
      sample('reconnect', 'RELEASE_DATE_CORRECTED', fields, at);

    it('a release assumed on the expected date is corrected back to pre-release, and every clock follows', () => {
      const s = assumed();
      expect(s.value).toEqual({ open: 'postRelease' });
      expect(due(reconnect, s).postReleaseLimit).toBeDefined();
      const back = send(
        reconnect,
        s,
        'RELEASE_DATE_CORRECTED',
        { releaseDate: '2027-04-26', reason: 'parole hearing adjourned' },
        '2027-04-13T09:00:00Z',
      );
      expect(back.value).toEqual({ open: 'preRelease' });
      expect(ctx(back)).toMatchObject({
        releaseDate: '2027-04-26',
        releasedOn: undefined,
        releaseAssumed: false,
      });
      expect(due(reconnect, back)).toMatchObject({ release: '2027-04-25T23:00:00.000Z' });
      expect(due(reconnect, back).postReleaseLimit).toBeUndefined();
      expect(back.effects).toContain('notify');
      // A date beyond the pre-release window waits for it to open again.
      const far = send(
        reconnect,
        s,
        'RELEASE_DATE_CORRECTED',
        { releaseDate: '2027-09-01', reason: 'sentence recalculated' },
        '2027-04-13T09:00:00Z',
      );
      expect(far.value).toEqual({ open: 'awaitingPreReleaseWindow' });
    });

    it('is refused without a reason, for a date not after today, and after a reported release (a recall instead)', () => {
      const s = assumed();
      expect(reconnect.explain(s, correction({ releaseDate: '2027-04-26' }))).toMatch(/says why/);
      expect(reconnect.explain(s, correction({ releaseDate: '2027-04-13', reason: 'x' }))).toMatch(
        /after today/,
      );
      const reported = send(
        reconnect,
        inPreRelease(),
        'RELEASED',
        { releasedOn: '2027-04-12' },
        '2027-04-12T15:00:00Z',
      );
      expect(reconnect.explain(reported, correction({ releaseDate: '2027-04-26', reason: 'x' }))).toMatch(
        /recall/,
      );
    });
  });

  it('releaseNotInFuture: a release reported with a date still to come is refused', () => {
    const s = inPreRelease();
    const early = sample('reconnect', 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-10T10:00:00Z');
    expect(reconnect.explain(s, early)).toMatch(/has not happened yet/);
    expect(
      send(reconnect, s, 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-10T10:00:00Z').value,
    ).toEqual({ open: 'preRelease' });
    // The first rules edition took it.
    const first = send(
      reconnect,
      start(reconnect, custodyReferral({}, '2027-04-12'), 1),
      'ASSESSMENT_COMPLETED',
      { appropriate: true, consent: true },
      '2027-02-01T10:00:00Z',
    );
    expect(
      send(reconnect, first, 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-10T10:00:00Z').value,
    ).toEqual({ open: 'postRelease' });
  });

  it('postReleaseReferrerNamed: after release only probation, police, liaison and diversion or Home Office enforcement refer', () => {
    const released = releasedReferral('2026-11-20', '2026-11-23T10:00:00Z');
    expect(reconnect.referralRefusals(released)).toEqual([]);
    const family = { ...released, referrer: { ...released.referrer, role: 'friendOrFamily' as const } };
    expect(reconnect.referralRefusals(family)).toEqual([
      expect.stringMatching(
        /after release, referrals come from probation, police, liaisonAndDiversion, homeOfficeEnforcement; a friendOrFamily referral is for someone still in custody/,
      ),
    ]);
    // In custody, anyone may refer: the person, family and friends included.
    const inCustody = custodyReferral({ referrer: { ...released.referrer, role: 'self' } });
    expect(reconnect.referralRefusals(inCustody)).toEqual([]);
    // The National Security Division refers released people to Enhanced RECONNECT only.
    const nsd = {
      ...released,
      referrer: { ...released.referrer, role: 'nationalSecurityDivision' as const },
    };
    expect(reconnect.referralRefusals(nsd)).toHaveLength(1);
    expect(enhancedReconnect.referralRefusals({ ...enhancedReferral(), ...nsd })).toEqual([]);
  });

  it('nhsNumberChecked: an NHS number is taken as written, kept without spaces, and refused with a wrong check digit', () => {
    const person = custodyReferral().person;
    const written = {
      ...custodyReferral({}, '2027-04-12'),
      person: { ...person, nhsNumber: '943 476 5870' },
    };
    expect(reconnect.referral.parse(written).person.nhsNumber).toBe('9434765870');
    expect(reconnect.referralRefusals(reconnect.referral.parse(written))).toEqual([]);
    const wrong = { ...written, person: { ...person, nhsNumber: '9434765871' } };
    expect(reconnect.referralRefusals(reconnect.referral.parse(wrong))).toEqual([
      "the NHS number's check digit is wrong",
    ]);
    const enhanced = {
      ...enhancedReferral({}, '2027-05-20'),
      person: { ...person, nhsNumber: '9434765871' },
    };
    expect(enhancedReconnect.referralRefusals(enhancedReconnect.referral.parse(enhanced))).toEqual([
      "the NHS number's check digit is wrong",
    ]);
  });

  it("personBirthDateNotInFuture: a person's date of birth after the referral is refused, on both custody pathways", () => {
    const at = { receivedAt: '2026-11-23T10:00:00Z' };
    const born = (dateOfBirth: string) => ({ ...custodyReferral().person, dateOfBirth });
    expect(reconnect.referralRefusals(custodyReferral({ ...at, person: born('2008-11-23') }))).toEqual([]);
    expect(reconnect.referralRefusals(custodyReferral({ ...at, person: born('2026-11-23') }))).toEqual([]);
    for (const p of [reconnect, enhancedReconnect]) {
      const referral = p === reconnect ? custodyReferral : enhancedReferral;
      for (const dateOfBirth of ['2026-11-24', '2046-02-01']) {
        expect(p.referralRefusals(p.referral.parse(referral({ ...at, person: born(dateOfBirth) })))).toEqual([
          "the person's date of birth is after the referral was received",
        ]);
      }
    }
  });

  it('prisonNumberChecked: a prison number is one letter, four digits and two letters, and anything else is refused', () => {
    const withPrisonNumber = (prisonNumber: string) => ({ ...custodyReferral().person, prisonNumber });
    for (const good of ['A1234BC', 'a1234bc', ' A1234BC ']) {
      const parsed = reconnect.referral.parse(custodyReferral({ person: withPrisonNumber(good) }));
      expect(reconnect.referralRefusals(parsed)).toEqual([]);
    }
    // None given is none to check.
    const { prisonNumber: _none, ...person } = custodyReferral().person;
    expect(reconnect.referralRefusals(custodyReferral({ person }))).toEqual([]);
    for (const p of [reconnect, enhancedReconnect]) {
      const referral = p === reconnect ? custodyReferral : enhancedReferral;
      for (const bad of [
        'Sam Leaver',
        'A1234B',
        '1234ABC',
        'AB1234C',
        'A12345BC',
        'A 1234 BC',
        'constructor',
      ]) {
        expect(p.referralRefusals(p.referral.parse(referral({ person: withPrisonNumber(bad) })))).toEqual([
          'the prison number is not one: a prison number is one letter, four digits and two letters, for example A1234BC',
        ]);
      }
    }
  });

  it('releasedOnNotInFuture: a person recorded as released on a day still to come is refused when the case would open', () => {
    const receivedAt = '2026-11-23T10:00:00Z';
    const released = (releasedOn: string) => releasedReferral(releasedOn, receivedAt);
    expect(reconnect.refusalsOnOpening(released('2026-11-20'), receivedAt)).toEqual([]);
    // Released today, whatever the hour; a day after the referral, entered from that day on.
    expect(reconnect.refusalsOnOpening(released('2026-11-23'), receivedAt)).toEqual([]);
    expect(reconnect.refusalsOnOpening(released('2026-11-24'), '2026-11-24T00:30:00Z')).toEqual([]);
    for (const [p, referral] of [
      [reconnect, released('2026-11-24')],
      [enhancedReconnect, enhancedReferral(released('2026-11-24'))],
    ] as const) {
      expect(p.refusalsOnOpening(p.referral.parse(referral), receivedAt)).toEqual([
        'the person is recorded as released on a day still to come: until then they are in custody (give the release date)',
      ]);
    }
  });

  describe('priority groups', () => {
    const group1 = {
      nsd: {
        criticalPublicProtection: true,
        terrorismActOrTerroristConnected: false,
        nationalSecurityThreat: false,
      },
    };

    it('priorityGroupsKeepCoreCriteria: groups 1 and 2 skip the complexity count, not age, area or consent', () => {
      const ok = enhancedEligibility(
        enhancedReferral({ ...group1, complexCriteria: [], complexUnmetHealthNeedsLinkedToOffending: false }),
        2,
      );
      expect(ok).toMatchObject({ outcome: 'eligible', priorityGroup: '1' });
      const noConsent = enhancedEligibility(enhancedReferral({ ...group1, consent: false }), 2);
      expect(noConsent).toMatchObject({
        outcome: 'ineligible',
        unmet: ['has not consented to the referral'],
      });
      const elsewhere = enhancedEligibility(
        enhancedReferral({ atRiskOfExtremism: true, livingInOrResettlingToBirminghamAndSolihull: false }),
        2,
      );
      expect(elsewhere).toMatchObject({ outcome: 'ineligible', priorityGroup: '2' });
      // The first rules edition accepted them whatever the core criteria.
      expect(enhancedEligibility(enhancedReferral({ ...group1, consent: false }), 1).outcome).toBe(
        'eligible',
      );
    });

    it('a group 1 or 2 person already released is a community referral for the team meeting', () => {
      const released = {
        ...enhancedReferral({ atRiskOfExtremism: true }),
        custody: releasedReferral('2026-01-10', '2026-11-23T10:00:00Z').custody,
      };
      const s = start(enhancedReconnect, released);
      expect(s.value).toEqual({ open: 'awaitingTeamMeeting' });
      expect(ctx(s).eligibility.unmet).toContain('already in the community: considered case by case');
    });

    it('priorityGroupRequired: a referral in no priority group is declined with the reason', () => {
      const s = start(enhancedReconnect, enhancedReferral({ complexCriteria: ['ippSentence'] }));
      expect(s.status).toBe('done');
      expect(ctx(s).closure?.note).toMatch(
        /in no priority group: 1 of 8 complex criteria \(group 3 needs 6\)/,
      );
      expect(ctx(s).closure?.reason).toBe('notAppropriate');
    });
  });

  it('handoverWhenServiceKnownAtReferral: the receiving service named at referral gets the handover when pre-release begins, once', () => {
    const s = inPreRelease(
      custodyReferral({ receivingService: 'Leeds community mental health' }, '2027-04-12'),
    );
    const handovers = s.actions.filter((a) => a.type === 'handover');
    expect(handovers).toEqual([
      { type: 'handover', params: { receivingService: 'Leeds community mental health' } },
    ]);
    const contact = send(reconnect, s, 'RECORD_CONTACT', {
      mode: 'faceToFace',
      occurredAt: '2027-02-02T10:00:00Z',
      duringRotl: false,
    });
    expect(contact.effects).not.toContain('handover');
    // Recalled and back in pre-release: the same service is not told twice.
    const out = send(reconnect, contact, 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-12T12:00:00Z');
    expect(send(reconnect, out, 'RECALLED', {}, '2027-05-01T10:00:00Z').effects).not.toContain('handover');
    // Set later, as before: one handover to the new service.
    const moved = send(reconnect, contact, 'SET_RECEIVING_SERVICE', { service: 'Bradford CMHT' });
    expect(moved.actions.filter((a) => a.type === 'handover')).toEqual([
      { type: 'handover', params: { receivingService: 'Bradford CMHT' } },
    ]);
  });

  it('noContactAfterRelease and peerSupportRecorded: the worker is reminded after 14 days with no contact; peer support is part of the plan', () => {
    let s = send(reconnect, inPreRelease(), 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-12T12:00:00Z');
    expect(due(reconnect, s).noContactAfterRelease).toBe('2027-04-26T23:00:00.000Z'); // end of 26 April
    s = send(
      reconnect,
      s,
      'RECORD_CONTACT',
      { mode: 'faceToFace', occurredAt: '2027-04-20T10:00:00Z', duringRotl: false },
      '2027-04-20T12:00:00Z',
    );
    expect(due(reconnect, s).noContactAfterRelease).toBe('2027-05-04T23:00:00.000Z'); // 14 days after that contact
    s = send(
      reconnect,
      s,
      'PEER_SUPPORT_OFFERED',
      { occurredAt: '2027-04-20T10:00:00Z', accepted: true },
      '2027-04-20T12:00:00Z',
    );
    expect(ctx(s).peerSupport).toEqual({
      offeredAt: '2027-04-20T10:00:00Z',
      accepted: true,
      by: 'caseworker-1',
    });
  });

  it('extensionApprovedByAnother: the supervisor who requested an extension cannot approve it', () => {
    let s = send(reconnect, inPreRelease(), 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-12T12:00:00Z');
    const supervisor = { id: 'sup-jo', role: 'supervisor' };
    s = send(
      reconnect,
      s,
      'REQUEST_EXTENSION',
      { until: '2027-12-31', justification: 'harm if discharged', actor: supervisor },
      '2027-09-01T10:00:00Z',
    );
    const self = sample('reconnect', 'APPROVE_EXTENSION', { actor: supervisor }, '2027-09-02T10:00:00Z');
    expect(reconnect.explain(s, self)).toBe(
      'an extension is approved by a supervisor other than the one who requested it',
    );
    const other = send(
      reconnect,
      s,
      'APPROVE_EXTENSION',
      { actor: { id: 'sup-ali', role: 'supervisor' } },
      '2027-09-02T10:00:00Z',
    );
    expect(ctx(other).extendedUntil).toBe('2027-12-31');
  });

  it('referrerNextSteps: after acceptance the referrer is contacted to agree next steps, on its own clock', () => {
    // Rules edition 2: the clock starts when the assessment accepts the referral.
    const received = start(reconnect, custodyReferral({}, '2027-04-12'), 2);
    expect(due(reconnect, received).referrerNextSteps).toBeUndefined();
    const s = inPreRelease(custodyReferral({}, '2027-04-12'), 2);
    expect(due(reconnect, s).referrerNextSteps).toBe('2027-02-09T00:00:00.000Z'); // 5 working days after 1 February
    const contacted = send(reconnect, s, 'REFERRER_CONTACTED', {
      occurredAt: '2027-02-03T10:00:00Z',
      nextSteps: 'joint visit',
    });
    expect(due(reconnect, contacted).referrerNextSteps).toBeUndefined();
    const again = sample('reconnect', 'REFERRER_CONTACTED', { occurredAt: '2027-02-04T10:00:00Z' });
    expect(reconnect.explain(contacted, again)).toMatch(/was contacted on 2027-02-03/);
  });

  it('the referrer is contacted to agree next steps once the referral is accepted on receipt', () => {
    // Received Monday 23 November 2026 and accepted for assessment at once: due by the end of
    // the fifth working day after, Monday 30 November, whatever the assessment then decides.
    const s = start(reconnect, custodyReferral({}, '2027-04-12'));
    expect(s.value).toEqual({ open: 'assessment' });
    expect(ctx(s).acceptedAt).toBe('2026-11-23T10:00:00Z');
    expect(due(reconnect, s).referrerNextSteps).toBe('2026-12-01T00:00:00.000Z');
    // The assessment's acceptance later does not start the clock again.
    const accepted = inPreRelease();
    expect(due(reconnect, accepted).referrerNextSteps).toBe('2026-12-01T00:00:00.000Z');
    expect(ctx(accepted).acceptedAt).toBe('2026-11-23T10:00:00Z');
    // Enhanced RECONNECT: groups 1 and 2 are accepted on receipt; a referral for the team meeting
    // is not accepted yet, so its clock waits for the assessment, as before.
    const group2 = start(enhancedReconnect, enhancedReferral({ atRiskOfExtremism: true }, '2027-05-20'));
    expect(group2.value).toEqual({ open: 'assessment' });
    expect(due(enhancedReconnect, group2).referrerNextSteps).toBe('2026-12-01T00:00:00.000Z');
    const forMeeting = start(
      enhancedReconnect,
      enhancedReferral(
        { complexCriteria: ALL_CRITERIA.slice(0, 6), openToProbationOrNsd: false },
        '2027-05-20',
      ),
    );
    expect(forMeeting.value).toEqual({ open: 'awaitingTeamMeeting' });
    expect(due(enhancedReconnect, forMeeting).referrerNextSteps).toBeUndefined();
    // A referral refused on receipt is closed: nothing to agree.
    const declined = start(reconnect, releasedReferral('2026-09-01', '2026-11-23T10:00:00Z'));
    expect(declined.status).toBe('done');
    expect(ctx(declined).acceptedAt).toBeUndefined();
  });

  it('a referral whose assessment then closes the case has still had its referrer contacted', () => {
    const s = start(reconnect, custodyReferral({}, '2027-04-12'));
    const contacted = send(
      reconnect,
      s,
      'REFERRER_CONTACTED',
      { occurredAt: '2026-11-25T10:00:00Z', nextSteps: 'assessment visit on Friday' },
      '2026-11-25T11:00:00Z',
    );
    expect(due(reconnect, contacted).referrerNextSteps).toBeUndefined();
    const closed = send(
      reconnect,
      contacted,
      'ASSESSMENT_COMPLETED',
      { appropriate: true, consent: false },
      '2026-11-27T10:00:00Z',
    );
    expect(closed.status).toBe('done');
    expect(ctx(closed)).toMatchObject({
      closure: { reason: 'declinedConsent' },
      referrerContactedAt: '2026-11-25T10:00:00Z',
    });
    // Not contacted by then, the reminder was due before the assessment closed the case.
    expect(due(reconnect, s).referrerNextSteps).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('RECONNECT: release on temporary licence', () => {
  const rotl = (occurredAt: string) => ({ mode: 'faceToFace', occurredAt, duringRotl: true });
  const visit = (occurredAt: string) => ({ mode: 'faceToFace', occurredAt, duringRotl: false });
  /** Referred from an open prison with the release date not yet known (parole pending), assessed. */
  const waitingWithoutDate = (rules?: number) => {
    const referral = custodyReferral({
      custody: { status: 'inCustody', setting: 'prison', establishment: 'HMP Open Example' },
    });
    const s = start(reconnect, referral, rules);
    expect(ctx(s).releaseDate).toBeNull();
    return send(
      reconnect,
      s,
      'ASSESSMENT_COMPLETED',
      { appropriate: true, consent: true },
      '2026-11-24T10:00:00Z',
    );
  };

  it('a ROTL contact before any release date is known is recorded while waiting for the window', () => {
    const waiting = waitingWithoutDate();
    expect(waiting.value).toEqual({ open: 'awaitingPreReleaseWindow' });
    const recorded = send(
      reconnect,
      waiting,
      'RECORD_CONTACT',
      rotl('2026-12-10T10:00:00Z'),
      '2026-12-10T12:00:00Z',
    );
    expect(recorded.value).toEqual({ open: 'awaitingPreReleaseWindow' });
    expect(ctx(recorded).contacts).toEqual([
      expect.objectContaining({ occurredAt: '2026-12-10T10:00:00Z', duringRotl: true, phase: 'preRelease' }),
    ]);
    // Only a contact on licence: a visit in prison waits for pre-release support.
    const inPrison = sample(
      'reconnect',
      'RECORD_CONTACT',
      visit('2026-12-10T10:00:00Z'),
      '2026-12-10T12:00:00Z',
    );
    expect(reconnect.explain(waiting, inPrison)).toMatch(
      /only a contact during release on temporary licence/,
    );
    // Rules edition 2 (as the first) refused it until a release date was known.
    const earlier = waitingWithoutDate(2);
    const refused = sample(
      'reconnect',
      'RECORD_CONTACT',
      rotl('2026-12-10T10:00:00Z'),
      '2026-12-10T12:00:00Z',
    );
    expect(reconnect.explain(earlier, refused)).toMatch(
      /temporary licence within 12 weeks of the release date/,
    );
    expect(send(reconnect, earlier, 'RECORD_CONTACT', rotl('2026-12-10T10:00:00Z')).context.contacts).toEqual(
      [],
    );
    expect(reconnect.explain(waitingWithoutDate(1), refused)).toMatch(/within 12 weeks of the release date/);
  });

  it('only contacts within 12 weeks of the release date count towards two contacts before release', () => {
    // The contact on licence while no date was known; then parole sets release for Monday 14 June
    // 2027, so the window opens on 22 March and the December contact is long before it.
    let s = send(reconnect, waitingWithoutDate(), 'RECORD_CONTACT', rotl('2026-12-10T10:00:00Z'));
    s = send(reconnect, s, 'RELEASE_DATE_CHANGED', { releaseDate: '2027-06-14' }, '2027-02-01T10:00:00Z');
    s = send(reconnect, s, 'PRE_RELEASE_WINDOW_OPENED', {}, '2027-03-22T00:00:00Z');
    expect(s.value).toEqual({ open: 'preRelease' });
    s = send(reconnect, s, 'RECORD_CONTACT', visit('2027-03-25T10:00:00Z'), '2027-03-25T12:00:00Z');
    expect(ctx(s).contacts).toHaveLength(2);
    expect(contactsBeforeRelease(ctx(s))).toBe(1);
    expect(due(reconnect, s).fewContactsBeforeRelease).toBe('2027-05-30T23:00:00.000Z'); // 31 May, 14 days before
    s = send(reconnect, s, 'RECORD_CONTACT', visit('2027-04-08T10:00:00Z'), '2027-04-08T12:00:00Z');
    expect(due(reconnect, s).fewContactsBeforeRelease).toBeUndefined();
  });

  it('contacts before a later release date or before a recall do not count towards two contacts before release', () => {
    // Two contacts in the window for 12 April, then the date moves to 14 June: neither is within
    // 12 weeks of it, so the reminder is back (rules edition 2 counted them whatever their date).
    const twoContacts = (rules?: number) => {
      let s = inPreRelease(custodyReferral({}, '2027-04-12'), rules);
      s = send(reconnect, s, 'RECORD_CONTACT', visit('2027-02-02T10:00:00Z'), '2027-02-02T12:00:00Z');
      s = send(reconnect, s, 'RECORD_CONTACT', visit('2027-02-09T10:00:00Z'), '2027-02-09T12:00:00Z');
      expect(due(reconnect, s).fewContactsBeforeRelease).toBeUndefined();
      return s;
    };
    const later = (s: AnyMachineSnapshot) =>
      send(reconnect, s, 'RELEASE_DATE_CHANGED', { releaseDate: '2027-06-14' }, '2027-03-01T10:00:00Z');
    expect(due(reconnect, later(twoContacts())).fewContactsBeforeRelease).toBe('2027-05-30T23:00:00.000Z');
    expect(due(reconnect, later(twoContacts(2))).fewContactsBeforeRelease).toBeUndefined();
    // Released, recalled three weeks later, due out again on 10 May: the contacts before the
    // first release are within 12 weeks of the new date but were for the earlier time in custody.
    const recalled = (rules?: number) => {
      let s = send(
        reconnect,
        twoContacts(rules),
        'RELEASED',
        { releasedOn: '2027-04-12' },
        '2027-04-12T12:00:00Z',
      );
      s = send(reconnect, s, 'RECALLED', {}, '2027-05-03T10:00:00Z');
      return send(
        reconnect,
        s,
        'RELEASE_DATE_CHANGED',
        { releaseDate: '2027-05-10' },
        '2027-05-03T11:00:00Z',
      );
    };
    expect(ctx(recalled()).contacts).toHaveLength(2);
    expect(due(reconnect, recalled()).fewContactsBeforeRelease).toBe('2027-04-25T23:00:00.000Z');
    expect(due(reconnect, recalled(2)).fewContactsBeforeRelease).toBe('2027-04-25T23:00:00.000Z');
    const again = send(
      reconnect,
      recalled(),
      'RECORD_CONTACT',
      visit('2027-05-04T10:00:00Z'),
      '2027-05-04T12:00:00Z',
    );
    expect(contactsBeforeRelease(ctx(again))).toBe(1);
  });

  it('rotlWithinTwelveWeeks: a ROTL contact within 12 weeks of release counts while the case waits for its window', () => {
    const waiting = send(
      enhancedReconnect,
      start(enhancedReconnect, enhancedReferral({}, '2027-12-20')),
      'ASSESSMENT_COMPLETED',
      { appropriate: true, consent: true },
      '2027-01-04T10:00:00Z',
    );
    expect(waiting.value).toEqual({ open: 'awaitingPreReleaseWindow' });
    // 11 weeks before release: counted, though the case waits for its window.
    const rotl = { mode: 'faceToFace', occurredAt: '2027-10-04T10:00:00Z', duringRotl: true };
    const counted = send(enhancedReconnect, waiting, 'RECORD_CONTACT', rotl, '2027-10-04T12:00:00Z');
    expect(ctx(counted).contacts).toHaveLength(1);
    expect(ctx(counted).preReleaseContactCount).toBe(1);
    // Earlier than 12 weeks, or not on licence: refused, with the rule.
    const early = sample(
      'enhancedReconnect',
      'RECORD_CONTACT',
      { ...rotl, occurredAt: '2027-09-01T10:00:00Z' },
      '2027-09-01T12:00:00Z',
    );
    expect(enhancedReconnect.explain(waiting, early)).toMatch(
      /temporary licence .*known only one within 12 weeks of it/,
    );
    const visit = sample(
      'enhancedReconnect',
      'RECORD_CONTACT',
      { ...rotl, duringRotl: false },
      '2027-10-04T12:00:00Z',
    );
    expect(enhancedReconnect.explain(waiting, visit)).toMatch(/temporary licence/);
  });
});
