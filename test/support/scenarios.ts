import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { addDays } from '../../calendar/calendar';
import type { CaseView } from '../../contract/case';
import type { PathwayId } from '../../machines';
import { DAY, serverClock, skipTo } from './clock';
import { custodyReferral, enhancedReferral } from './custodyReferrals';
import { caseworker, parentInfantReferral, prisonSystem, supervisor } from './referrals';
import { frontDoorReferralSample } from './sampleEvents';
import type { Harness } from './temporal';

// The scenarios behind the recorded histories in test/histories: one case each, from referral to
// closure, with timers, updates and signals. `npm run record-histories` records them; the suite
// runs them on today's code (test/scenarios.workflow.test.ts), so they never drift from it.

export type Scenario = (h: Harness) => Promise<string>;

const now = async (h: Harness) => new Date(await h.env.currentTimeMs()).toISOString();
const act = (h: Harness, caseId: string, actor: object, type: string, fields: object = {}) =>
  h.cases.act(caseId, { type, actor, ...fields });
const due = (v: CaseView, name: string) => v.deadlines.find((d) => d.name === name)!.at;
const result = (h: Harness, caseId: string) => h.env.client.workflow.getHandle(caseId).result();
/** A report sent straight to Temporal, its payload exactly as given: what an intruder can send. */
const sendRaw = (h: Harness, caseId: string, payload: Payload) =>
  h.env.client.workflowService.signalWorkflowExecution({
    namespace: h.env.namespace ?? 'default',
    workflowExecution: { workflowId: caseId },
    signalName: 'report',
    input: { payloads: [payload] },
    identity: 'outside',
    requestId: randomBytes(16).toString('hex'),
  });

type ScenarioName =
  | PathwayId
  | 'reconnect-refused-report'
  | 'parentInfant-kept-timer'
  | 'reconnect-release-corrected'
  | 'parentInfant-reported'
  | 'reconnect-open-prison'
  | 'reconnect-issued-reports'
  | 'frontDoor-census'
  | 'parentInfant-record'
  | 'parentInfant-transfer-withdrawn';

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  /** Screening missed (overdue), then screened, seen and closed: each change projected for reports. */
  async 'parentInfant-reported'(h) {
    const { caseId, deadlines } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now(h) }),
      caseworker,
    );
    await skipTo(h.env, deadlines.find((d) => d.name === 'screeningDue')!.at, DAY);
    await act(h, caseId, caseworker, 'ACCEPT_FOR_ASSESSMENT');
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { suitable: true });
    await act(h, caseId, caseworker, 'RECORD_CONTACT', {
      kind: 'individualTherapy',
      attended: true,
      occurredAt: await now(h),
    });
    await h.cases.report(caseId, {
      type: 'SOCIAL_CARE_STATUS_CHANGED',
      actor: prisonSystem,
      status: 'childInNeed',
    });
    await act(h, caseId, caseworker, 'CLOSE', { closureReason: 'completed' });
    await result(h, caseId);
    return caseId;
  },
  /** The case record: a note amended and signed off, a correction, a transfer declined, then accepted. */
  async 'parentInfant-record'(h) {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now(h) }),
      caseworker,
    );
    const waiting = await act(h, caseId, caseworker, 'REFER_TO_TEAM_MEETING');
    await skipTo(h.env, due(waiting, 'teamMeeting'));
    await act(h, caseId, supervisor, 'TEAM_MEETING_DECISION', { decision: 'accept' });
    await act(h, caseId, caseworker, 'NOTE_RECORDED', {
      eventId: 'note-1',
      noteType: 'homeVisit',
      happenedAt: await now(h),
      present: ['Parent', 'Baby'],
      text: 'Seen at home.',
      significant: true,
    });
    await act(h, caseId, caseworker, 'NOTE_AMENDED', {
      noteId: 'note-1',
      text: 'Seen at home with the baby.',
      reason: 'added who was seen',
    });
    await act(h, caseId, supervisor, 'NOTE_SIGNED_OFF', { noteId: 'note-1' });
    await act(h, caseId, caseworker, 'DETAILS_CORRECTED', {
      person: 'parent',
      field: 'address',
      value: '1 New Street, Birmingham B1 1AA',
      reason: 'moved house',
    });
    const transfer = { toTeam: 'south', reason: 'the family moved' };
    await act(h, caseId, supervisor, 'TRANSFER_REQUESTED', transfer);
    await act(h, caseId, supervisor, 'TRANSFER_DECLINED', { reason: 'not yet: after the next visit' });
    await act(h, caseId, supervisor, 'TRANSFER_REQUESTED', transfer);
    await act(h, caseId, supervisor, 'TRANSFER_ACCEPTED');
    await h.cases.report(caseId, {
      type: 'SOCIAL_CARE_STATUS_CHANGED',
      actor: prisonSystem,
      status: 'childInNeed',
    });
    await act(h, caseId, supervisor, 'CLOSE', { closureReason: 'movedOutOfArea' });
    await result(h, caseId);
    return caseId;
  },
  /** A transfer asked of the wrong team, withdrawn by the case's own, then closed. */
  async 'parentInfant-transfer-withdrawn'(h) {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now(h) }),
      caseworker,
    );
    const waiting = await act(h, caseId, caseworker, 'REFER_TO_TEAM_MEETING');
    await act(h, caseId, supervisor, 'TRANSFER_REQUESTED', { toTeam: 'nowhere', reason: 'typed wrong' });
    await act(h, caseId, supervisor, 'TRANSFER_WITHDRAWN', { reason: 'asked of the wrong team' });
    await skipTo(h.env, due(waiting, 'teamMeeting'));
    await act(h, caseId, supervisor, 'TEAM_MEETING_DECISION', { decision: 'accept' });
    await h.cases.report(caseId, {
      type: 'SOCIAL_CARE_STATUS_CHANGED',
      actor: prisonSystem,
      status: 'childInNeed',
    });
    await act(h, caseId, supervisor, 'CLOSE', { closureReason: 'movedOutOfArea' });
    await result(h, caseId);
    return caseId;
  },
  async parentInfant(h) {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now(h) }),
      caseworker,
    );
    const waiting = await act(h, caseId, caseworker, 'REFER_TO_TEAM_MEETING');
    await skipTo(h.env, due(waiting, 'teamMeeting'));
    await act(h, caseId, supervisor, 'TEAM_MEETING_DECISION', { decision: 'accept' });
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { suitable: true });
    await h.env.sleep(30 * DAY);
    await act(h, caseId, caseworker, 'RECORD_CONTACT', {
      kind: 'groupSession',
      attended: true,
      occurredAt: await now(h),
    });
    await h.cases.report(caseId, {
      type: 'SOCIAL_CARE_STATUS_CHANGED',
      actor: prisonSystem,
      status: 'preProceedingsPlo',
    });
    await h.cases.report(caseId, { type: 'CARE_PROCEEDINGS_STARTED', actor: prisonSystem });
    await result(h, caseId);
    return caseId;
  },
  async frontDoor(h) {
    const at = await now(h);
    const { caseId } = await h.cases.refer(
      'frontDoor',
      frontDoorReferralSample({ receivedAt: at }),
      caseworker,
    );
    await h.env.sleep(2 * DAY);
    await act(h, caseId, caseworker, 'REFERRAL_DECISION', { decision: 'section47' });
    await act(h, caseId, caseworker, 'STRATEGY_DISCUSSION_HELD', {
      heldAt: await now(h),
      section47Enquiry: true,
    });
    await act(h, caseId, caseworker, 'INITIAL_CONFERENCE_HELD', {
      heldAt: await now(h),
      outcome: 'childProtectionPlan',
    });
    await h.env.sleep(20 * DAY);
    await act(h, caseId, caseworker, 'RECORD_OVERDUE_REASON', {
      clock: 'firstCoreGroup',
      explanation: 'family unwell',
    });
    await act(h, caseId, caseworker, 'CORE_GROUP_HELD', { heldAt: await now(h) });
    await act(h, caseId, supervisor, 'CLOSE', { closureReason: 'movedOutOfArea' });
    await result(h, caseId);
    return caseId;
  },
  /**
   * The census's fields on a front door case: on the referral, the assessment, the conference and
   * pre-proceedings, and the child's details once born; proceedings reported by the court system.
   */
  async 'frontDoor-census'(h) {
    const { caseId } = await h.cases.refer(
      'frontDoor',
      frontDoorReferralSample({
        receivedAt: await now(h),
        census: { referralSource: '3B', sex: 'U', upnUnknown: 'UN1' },
      }),
      caseworker,
    );
    await act(h, caseId, caseworker, 'REFERRAL_DECISION', { decision: 'section47' });
    await act(h, caseId, caseworker, 'STRATEGY_DISCUSSION_HELD', {
      heldAt: await now(h),
      section47Enquiry: true,
    });
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', {
      outcome: 'childInNeedPlan',
      primaryNeed: 'N1',
      factors: ['3B', '16A'],
    });
    await act(h, caseId, caseworker, 'INITIAL_CONFERENCE_HELD', {
      heldAt: await now(h),
      outcome: 'childProtectionPlan',
      categoryOfAbuse: 'EMO',
    });
    await h.env.sleep(20 * DAY);
    await act(h, caseId, caseworker, 'CORE_GROUP_HELD', { heldAt: await now(h) });
    await act(h, caseId, supervisor, 'ENTER_PRE_PROCEEDINGS', { familyGroupDecisionMaking: 'HELD' });
    await act(h, caseId, caseworker, 'CHILD_DETAILS_RECORDED', {
      dateOfBirth: (await now(h)).slice(0, 10),
      sex: 'F',
      ethnicity: 'WBRI',
      disabilities: ['NONE'],
    });
    await h.cases.report(caseId, {
      type: 'CARE_PROCEEDINGS_ISSUED',
      actor: prisonSystem,
      issuedAt: await now(h),
    });
    await h.cases.report(caseId, { type: 'PROCEEDINGS_CONCLUDED', actor: prisonSystem });
    await result(h, caseId);
    return caseId;
  },
  async reconnect(h) {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(20);
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, release),
      caseworker,
    );
    const waiting = await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', {
      appropriate: true,
      consent: true,
    });
    await skipTo(h.env, due(waiting, 'preReleaseWindowOpens'));
    await h.cases.report(caseId, {
      type: 'RELEASE_DATE_CHANGED',
      actor: prisonSystem,
      releaseDate: addDays(release, 14),
    });
    await act(h, caseId, caseworker, 'RECORD_CONTACT', { mode: 'faceToFace', occurredAt: await now(h) });
    await result(h, caseId);
    return caseId;
  },
  async 'reconnect-refused-report'(h) {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(4);
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, release),
      caseworker,
    );
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true });
    await skipTo(h.env, `${release}T12:00:00Z`);
    await h.cases.report(caseId, {
      type: 'RELEASE_DATE_CHANGED',
      actor: prisonSystem,
      releaseDate: addDays(release, 9),
    });
    await act(h, caseId, caseworker, 'NEEDS_MET');
    await result(h, caseId);
    return caseId;
  },
  async enhancedReconnect(h) {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(8);
    const referral = enhancedReferral({ receivedAt: clock.now, atRiskOfExtremism: true }, release);
    const { caseId } = await h.cases.refer('enhancedReconnect', referral, caseworker);
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true });
    await skipTo(h.env, `${release}T12:00:00Z`);
    await act(h, caseId, caseworker, 'REQUEST_EXTENSION', {
      until: addDays(release, 500),
      justification: 'harm if discharged',
    });
    await act(h, caseId, supervisor, 'APPROVE_EXTENSION');
    await result(h, caseId);
    return caseId;
  },
  /** Contacts that leave the earliest deadline unchanged keep its timer (patch keep-deadline-timer). */
  async 'parentInfant-kept-timer'(h) {
    const { caseId } = await h.cases.refer(
      'parentInfant',
      parentInfantReferral({ receivedAt: await now(h) }),
      caseworker,
    );
    await act(h, caseId, caseworker, 'ACCEPT_FOR_ASSESSMENT');
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { suitable: true });
    for (let i = 0; i < 3; i++) {
      await act(h, caseId, caseworker, 'RECORD_CONTACT', {
        kind: 'groupSession',
        attended: true,
        occurredAt: await now(h),
      });
    }
    await h.env.sleep(30 * DAY);
    await h.cases.report(caseId, { type: 'CARE_PROCEEDINGS_STARTED', actor: prisonSystem });
    await result(h, caseId);
    return caseId;
  },
  /** Rules edition 2: a release assumed on the day is corrected back, then reported. */
  async 'reconnect-release-corrected'(h) {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(4);
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now, receivingService: 'Leeds CMHT' }, release),
      caseworker,
    );
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true });
    await skipTo(h.env, `${release}T12:00:00Z`);
    const corrected = addDays(release, 7);
    await act(h, caseId, caseworker, 'RELEASE_DATE_CORRECTED', {
      releaseDate: corrected,
      reason: 'parole hearing adjourned',
    });
    await skipTo(h.env, `${corrected}T08:00:00Z`);
    await h.cases.report(caseId, { type: 'RELEASED', actor: prisonSystem, releasedOn: corrected });
    await act(h, caseId, caseworker, 'NEEDS_MET');
    await result(h, caseId);
    return caseId;
  },
  /**
   * Rules edition 3: referred from an open prison with no release date, the referrer contacted
   * while the referral is assessed, a contact on temporary licence while the case waits; parole
   * then sets the date, and the window's contacts are the ones counted before release.
   */
  async 'reconnect-open-prison'(h) {
    const clock = await serverClock(h.env);
    const referral = custodyReferral({
      receivedAt: clock.now,
      custody: { status: 'inCustody', setting: 'prison', establishment: 'HMP Open Example' },
    });
    const { caseId } = await h.cases.refer('reconnect', referral, caseworker);
    await act(h, caseId, caseworker, 'REFERRER_CONTACTED', {
      occurredAt: await now(h),
      nextSteps: 'assessment visit',
    });
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true });
    await h.env.sleep(7 * DAY);
    await act(h, caseId, caseworker, 'RECORD_CONTACT', {
      mode: 'faceToFace',
      occurredAt: await now(h),
      duringRotl: true,
    });
    const release = (await serverClock(h.env)).weeksFromToday(16);
    await h.cases.report(caseId, { type: 'RELEASE_DATE_CHANGED', actor: prisonSystem, releaseDate: release });
    const waiting = await h.cases.view(caseId);
    await skipTo(h.env, due(waiting, 'preReleaseWindowOpens'));
    await act(h, caseId, caseworker, 'RECORD_CONTACT', { mode: 'faceToFace', occurredAt: await now(h) });
    await skipTo(h.env, `${release}T12:00:00Z`);
    await act(h, caseId, caseworker, 'NEEDS_MET');
    await result(h, caseId);
    return caseId;
  },
  /**
   * Reports must be issued by the service's client (patch issued-reports): a sealed release date
   * is taken; a plain one sent straight to Temporal, and one under a key nobody holds, are
   * recorded as refused; release passes by its date and the named worker closes the case.
   */
  async 'reconnect-issued-reports'(h) {
    const clock = await serverClock(h.env);
    const release = clock.weeksFromToday(6);
    const { caseId } = await h.cases.refer(
      'reconnect',
      custodyReferral({ receivedAt: clock.now }, release),
      caseworker,
    );
    await act(h, caseId, caseworker, 'ASSESSMENT_COMPLETED', { appropriate: true, consent: true });
    const moved = addDays(release, -7);
    await h.cases.report(caseId, { type: 'RELEASE_DATE_CHANGED', actor: prisonSystem, releaseDate: moved });
    await sendRaw(
      h,
      caseId,
      defaultPayloadConverter.toPayload({
        type: 'REMOVED_FROM_UK',
        eventId: 'outside-1',
        actor: { id: 'home-office', role: 'system' },
      }),
    );
    await sendRaw(h, caseId, {
      metadata: {
        encoding: new TextEncoder().encode('binary/encrypted'),
        'encryption-key-id': new TextEncoder().encode('k-nobody-holds'),
      },
      data: randomBytes(48),
    });
    await skipTo(h.env, `${moved}T12:00:00Z`);
    await act(h, caseId, caseworker, 'NEEDS_MET');
    await result(h, caseId);
    return caseId;
  },
};
