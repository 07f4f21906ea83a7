import type { AnyMachineSnapshot } from 'xstate';
import { due, send, start } from '../../test/support/machines';
import { sample } from '../../test/support/sampleEvents';
import { custodyReferral, enhancedReferral } from '../../test/support/custodyReferrals';
import { enhancedReconnect, reconnect } from '.';
import { CUSTODY_OPEN_STATES } from './machine';

/** Assessed as appropriate, with consent, at `at`. */
const assessed = (pathway: typeof reconnect, s: AnyMachineSnapshot, at: string) =>
  send(pathway, s, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true }, at);

describe('RECONNECT deadlines are data', () => {
  it('a referral 20 weeks before release waits for the window, 12 weeks before release', () => {
    let s = start(reconnect, custodyReferral({ receivedAt: '2026-11-23T10:00:00Z' }, '2027-04-12'));
    s = assessed(reconnect, s, '2026-11-24T10:00:00Z');
    expect(s.value).toEqual({ open: 'awaitingPreReleaseWindow' });
    expect(due(reconnect, s)).toEqual({
      preReleaseWindowOpens: '2027-01-18T00:00:00.000Z',
      referrerNextSteps: '2026-12-01T00:00:00.000Z', // 5 working days after acceptance on receipt
    });
  });

  it('a changed release date moves the window, the release, the contact and handover reminders together', () => {
    let s = start(
      reconnect,
      custodyReferral({ receivedAt: '2026-11-23T10:00:00Z', receivingService: 'Leeds' }, '2027-04-12'),
    );
    s = assessed(reconnect, s, '2027-02-01T10:00:00Z');
    expect(s.value).toEqual({ open: 'preRelease' });
    expect(due(reconnect, s)).toEqual({
      release: '2027-04-11T23:00:00.000Z', // 00:00 BST on 12 April
      fewContactsBeforeRelease: '2027-03-28T23:00:00.000Z', // 29 March, the day after the clocks change
      namedWorkerNeeded: '2027-03-15T00:00:00.000Z',
      handoverDue: '2027-03-28T23:00:00.000Z',
      referrerNextSteps: '2026-12-01T00:00:00.000Z',
    });
    s = send(reconnect, s, 'RELEASE_DATE_CHANGED', { releaseDate: '2027-05-10' });
    expect(due(reconnect, s)).toMatchObject({
      release: '2027-05-09T23:00:00.000Z',
      fewContactsBeforeRelease: '2027-04-25T23:00:00.000Z',
      handoverDue: '2027-04-25T23:00:00.000Z',
    });
    s = send(reconnect, s, 'RELEASE_DATE_CHANGED', { releaseDate: null });
    expect(due(reconnect, s)).toEqual({ referrerNextSteps: '2026-12-01T00:00:00.000Z' });
  });

  it('two contacts before release silence the contact reminder; a non-face-to-face contact needs its reason', () => {
    let s = start(reconnect, custodyReferral({}, '2027-04-12'));
    s = assessed(reconnect, s, '2027-02-01T10:00:00Z');
    const phone = sample('reconnect', 'RECORD_CONTACT', {
      mode: 'telephone',
      occurredAt: '2027-02-02T10:00:00Z',
      duringRotl: false,
    });
    expect(s.can(phone as never)).toBe(false);
    expect(reconnect.explain(s, phone as never)).toMatch(/reason/);
    s = send(reconnect, s, 'RECORD_CONTACT', {
      mode: 'faceToFace',
      occurredAt: '2027-02-02T10:00:00Z',
      duringRotl: false,
    });
    s = send(reconnect, s, 'RECORD_CONTACT', {
      mode: 'video',
      occurredAt: '2027-02-09T10:00:00Z',
      duringRotl: true,
      notFaceToFaceBecause: 'lockdown',
    });
    expect(due(reconnect, s).fewContactsBeforeRelease).toBeUndefined();
  });

  it('discharges 6 calendar months after release (31 August → end of 28 February), or at an approved extension', () => {
    let s = start(reconnect, custodyReferral({}, '2027-08-31'));
    s = assessed(reconnect, s, '2027-07-01T10:00:00Z');
    s = send(reconnect, s, 'RELEASED', { releasedOn: '2027-08-31' }, '2027-08-31T12:00:00Z');
    expect(s.value).toEqual({ open: 'postRelease' });
    expect(due(reconnect, s).postReleaseLimit).toBe('2028-03-01T00:00:00.000Z');
    s = send(reconnect, s, 'REQUEST_EXTENSION', { until: '2028-05-31', justification: 'harm if discharged' });
    s = send(reconnect, s, 'APPROVE_EXTENSION');
    expect(due(reconnect, s).postReleaseLimit).toBe('2028-05-31T23:00:00.000Z');
    s = send(reconnect, s, 'POST_RELEASE_LIMIT_REACHED');
    expect(s.context.closure).toMatchObject({ reason: 'extensionEnded' });
  });

  it('recall returns the case to pre-release with the release date unknown', () => {
    let s = start(reconnect, custodyReferral({}, '2027-04-12'));
    s = assessed(reconnect, s, '2027-02-01T10:00:00Z');
    s = send(reconnect, s, 'RELEASED', { releasedOn: '2027-04-12' }, '2027-04-12T12:00:00Z');
    s = send(reconnect, s, 'RECALLED');
    expect(s.value).toEqual({ open: 'preRelease' });
    expect(s.context).toMatchObject({ releaseDate: null, releasedOn: undefined });
    expect(due(reconnect, s)).toEqual({ referrerNextSteps: '2026-12-01T00:00:00.000Z' });
  });
});

describe('Enhanced RECONNECT', () => {
  it('opens pre-release support 6 months before release and discharges 12 months after', () => {
    let s = start(enhancedReconnect, enhancedReferral({}, '2027-09-30'));
    expect(s.context.eligibility.priorityGroup).toBe('3');
    s = assessed(enhancedReconnect, s, '2026-12-01T10:00:00Z');
    expect(due(enhancedReconnect, s).preReleaseWindowOpens).toBe('2027-03-29T23:00:00.000Z'); // 00:00 BST, 30 March
    s = send(enhancedReconnect, s, 'RELEASED', { releasedOn: '2027-09-30' }, '2027-09-30T12:00:00Z');
    expect(due(enhancedReconnect, s).postReleaseLimit).toBe('2028-09-30T23:00:00.000Z');
  });
});

describe('the open states the deadlines name', () => {
  it('are exactly the machines’ own (the team meeting is Enhanced RECONNECT’s alone)', () => {
    const open = (m: typeof reconnect.machine) => Object.keys(m.root.states.open!.states).sort();
    expect(open(enhancedReconnect.machine)).toEqual([...CUSTODY_OPEN_STATES].sort());
    expect(open(reconnect.machine)).toEqual(
      CUSTODY_OPEN_STATES.filter((s) => s !== 'awaitingTeamMeeting').sort(),
    );
  });
});
