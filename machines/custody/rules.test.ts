import type { AnyMachineSnapshot } from 'xstate';
import { due, send, start } from '../../test/support/machines';
import { sample } from '../../test/support/sampleEvents';
import { custodyReferral, enhancedReferral, releasedReferral } from '../../test/support/custodyReferrals';
import { enhancedReconnect, reconnect } from '.';
import { enhancedEligibility } from './eligibility';
import type { CustodyContext } from './machine';

// The rules read from seeds 003 and 004, each tested by its name.

const ctx = (s: AnyMachineSnapshot) => s.context as CustodyContext;
const inPreRelease = (referral = custodyReferral({}, '2027-04-12')) =>
  send(
    reconnect,
    start(reconnect, referral),
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
    const s = inPreRelease();
    expect(due(reconnect, s).referrerNextSteps).toBe('2027-02-09T00:00:00.000Z'); // 5 working days after 1 February
    const contacted = send(reconnect, s, 'REFERRER_CONTACTED', {
      occurredAt: '2027-02-03T10:00:00Z',
      nextSteps: 'joint visit',
    });
    expect(due(reconnect, contacted).referrerNextSteps).toBeUndefined();
    const again = sample('reconnect', 'REFERRER_CONTACTED', { occurredAt: '2027-02-04T10:00:00Z' });
    expect(reconnect.explain(contacted, again)).toMatch(/was contacted on 2027-02-03/);
  });
});

describe('RECONNECT: release on temporary licence', () => {
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
    expect(enhancedReconnect.explain(waiting, early)).toMatch(/temporary licence within 12 weeks/);
    const visit = sample(
      'enhancedReconnect',
      'RECORD_CONTACT',
      { ...rotl, duringRotl: false },
      '2027-10-04T12:00:00Z',
    );
    expect(enhancedReconnect.explain(waiting, visit)).toMatch(/temporary licence/);
  });
});
