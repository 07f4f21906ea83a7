import type { EventObject } from 'xstate';
import { addDays, localDateOf } from '../../calendar/calendar';
import { shippedHolidays } from '../../calendar/holidays';
import { pathways, type PathwayId } from '../../machines';
import {
  ALL_CRITERIA,
  custodyReferral,
  enhancedReferral,
  releasedReferral,
  ineligibleEnhancedReferral,
} from './custodyReferrals';
import { parentInfantReferral } from './referrals';

let n = 0;
/** An event with a full envelope, sent by the first role allowed to send it. */
export function sample(
  pathway: PathwayId,
  type: string,
  fields: object = {},
  at = '2027-02-01T10:00:00Z',
): EventObject & Record<string, unknown> {
  const role = pathways[pathway].roles[type]?.[0] ?? 'caseworker';
  return { type, eventId: `e${++n}`, at, actor: { id: `${role}-1`, role }, ...fields };
}

/** A newer holiday set with a proclaimed extra holiday. */
export function newHolidays(pathway: PathwayId, at?: string) {
  const calendar = { version: 'proclaimed-2027', holidays: [...shippedHolidays.holidays, '2027-06-08'] };
  return sample(pathway, 'REFERENCE_DATA_UPDATED', { calendar }, at);
}

// The fixed default receipt is for pure machine tests only: a test on a real-clock server (dev
// server, cluster, service) passes `receivedAt` from `realClock()` (test/support/clock.ts).
const frontDoorReferral = (receivedAt = '2026-11-23T10:00:00Z') => ({
  receivedAt,
  referrer: { role: 'health', name: 'Dr Who', contact: { route: 'email', value: 'gp@example.nhs.uk' } },
  // Due 14 weeks after the referral (1 March 2027 by default).
  child: { name: 'Baby Testchild', expectedDeliveryDate: addDays(localDateOf(receivedAt), 98) },
  childRef: 'BCS-000123',
  concerns: 'Domestic abuse in the household',
  significantHarmSuspected: false,
  familyInformed: true,
});

export function frontDoorReferralSample(overrides: object = {}) {
  return { ...frontDoorReferral((overrides as { receivedAt?: string }).receivedAt), ...overrides };
}

const input = (pathway: PathwayId, referral: unknown) => ({
  caseId: `${pathway}-test`,
  referral: pathways[pathway].referral.parse(referral),
  calendar: shippedHolidays,
  team: 'team-a',
});

/** For each pathway: the referrals to start from, and events of every type in their variants. */
export const MODELS: Record<PathwayId, { inputs: unknown[]; events: EventObject[] }> = {
  parentInfant: {
    inputs: [
      input('parentInfant', parentInfantReferral()),
      input('parentInfant', parentInfantReferral({ concerns: [] })),
    ],
    events: [
      sample('parentInfant', 'ACCEPT_FOR_ASSESSMENT'),
      sample('parentInfant', 'REFER_TO_TEAM_MEETING', {}, '2026-11-23T12:00:00Z'),
      sample('parentInfant', 'DECLINE_AT_SCREENING', { signposting: ['GP'] }),
      sample(
        'parentInfant',
        'TEAM_MEETING_DECISION',
        { decision: 'accept', signposting: [] },
        '2030-01-07T10:30:00Z',
      ),
      sample(
        'parentInfant',
        'TEAM_MEETING_DECISION',
        { decision: 'decline', signposting: [] },
        '2030-01-07T10:30:00Z',
      ),
      sample(
        'parentInfant',
        'TEAM_MEETING_DECISION',
        { decision: 'defer', signposting: [] },
        '2030-01-07T10:30:00Z',
      ),
      sample(
        'parentInfant',
        'TEAM_MEETING_DECISION',
        { decision: 'accept', signposting: [] },
        '2026-11-23T12:30:00Z',
      ),
      sample('parentInfant', 'MEETING_DECISION_OVERDUE'),
      sample('parentInfant', 'ASSESSMENT_COMPLETED', { suitable: true }),
      sample('parentInfant', 'ASSESSMENT_COMPLETED', { suitable: false }),
      sample('parentInfant', 'RECORD_CONTACT', {
        kind: 'groupSession',
        attended: true,
        occurredAt: '2027-02-01T10:00:00Z',
      }),
      sample('parentInfant', 'RECORD_CONTACT', {
        kind: 'groupSession',
        attended: false,
        occurredAt: '2027-02-01T10:00:00Z',
      }),
      sample('parentInfant', 'SOCIAL_CARE_STATUS_CHANGED', { status: 'preProceedingsPlo' }),
      sample('parentInfant', 'CARE_PROCEEDINGS_STARTED'),
      sample('parentInfant', 'ASSIGN_WORKER', { worker: 'cw-1' }),
      sample('parentInfant', 'SET_FOLLOW_UP', { dueAt: '2027-02-08T09:00:00Z' }),
      sample('parentInfant', 'CLOSE', { closureReason: 'completed', signposting: [] }),
      sample('parentInfant', 'CLOSE', { closureReason: 'declinedAtTeamMeeting', signposting: [] }),
      newHolidays('parentInfant'),
      sample('parentInfant', 'REFERENCE_DATA_UPDATED', { calendar: shippedHolidays }),
    ],
  },
  frontDoor: {
    inputs: [
      input('frontDoor', frontDoorReferral()),
      input('frontDoor', { ...frontDoorReferral(), significantHarmSuspected: true }),
    ],
    events: [
      ...[
        'noFurtherAction',
        'adviceAndConsultation',
        'universalOrSpecialistServices',
        'section17',
        'section47',
      ].map((decision) => sample('frontDoor', 'REFERRAL_DECISION', { decision, signposting: [] })),
      ...['childInNeedPlan', 'noFurtherAction', 'escalateToSection47'].map((outcome) =>
        sample('frontDoor', 'ASSESSMENT_COMPLETED', { outcome }),
      ),
      sample('frontDoor', 'STRATEGY_DISCUSSION_HELD', {
        heldAt: '2026-11-24T10:00:00Z',
        section47Enquiry: true,
      }),
      sample('frontDoor', 'STRATEGY_DISCUSSION_HELD', {
        heldAt: '2026-11-24T10:00:00Z',
        section47Enquiry: false,
      }),
      ...['childProtectionPlan', 'childInNeedPlan', 'noFurtherAction'].map((outcome) =>
        sample('frontDoor', 'INITIAL_CONFERENCE_HELD', { heldAt: '2026-12-10T10:00:00Z', outcome }),
      ),
      sample('frontDoor', 'CORE_GROUP_HELD', { heldAt: '2026-12-20T10:00:00Z' }),
      ...['continuePlan', 'endPlan', 'stepDownToChildInNeed'].map((outcome) =>
        sample('frontDoor', 'REVIEW_CONFERENCE_HELD', { heldAt: '2027-03-10T10:00:00Z', outcome }),
      ),
      sample('frontDoor', 'ENTER_PRE_PROCEEDINGS'),
      sample('frontDoor', 'PRE_PROCEEDINGS_ENDED'),
      sample('frontDoor', 'CARE_PROCEEDINGS_ISSUED', { issuedAt: '2027-02-01T10:00:00Z' }),
      sample('frontDoor', 'ENQUIRY_STEP_RECORDED', {
        step: 'childSeenAlone',
        occurredAt: '2027-01-30T10:00:00Z',
        with: 'at school',
      }),
      sample('frontDoor', 'PROCEEDINGS_EXTENDED', { weeks: 8, justification: 'expert report' }),
      sample('frontDoor', 'PROCEEDINGS_EXTENDED', { weeks: 9, justification: 'too long' }),
      sample('frontDoor', 'PROCEEDINGS_CONCLUDED', {}),
      sample('frontDoor', 'PLAN_ENDED'),
      sample('frontDoor', 'FAMILY_INFORMED'),
      sample('frontDoor', 'CHILD_DETAILS_RECORDED', {
        sex: 'F',
        dateOfBirth: '2026-11-30',
        upnUnknown: 'UN1',
      }),
      sample('frontDoor', 'CHILD_DETAILS_RECORDED', {}),
      sample('frontDoor', 'ASSESSMENT_COMPLETED', {
        outcome: 'childInNeedPlan',
        primaryNeed: 'N4',
        factors: ['3B', '4B'],
      }),
      sample('frontDoor', 'RECORD_OVERDUE_REASON', {
        clock: 'assessment',
        explanation: 'family unavailable',
      }),
      sample('frontDoor', 'ASSIGN_WORKER', { worker: 'sw-1' }),
      sample('frontDoor', 'SET_FOLLOW_UP', { dueAt: '2027-02-08T09:00:00Z' }),
      sample('frontDoor', 'CLOSE', { closureReason: 'movedOutOfArea', signposting: [] }),
      newHolidays('frontDoor'),
    ],
  },
  reconnect: { inputs: [], events: [] },
  enhancedReconnect: { inputs: [], events: [] },
};

function custodyEvents(pathway: 'reconnect' | 'enhancedReconnect'): EventObject[] {
  const s = (type: string, fields: object = {}, at?: string) => sample(pathway, type, fields, at);
  return [
    s('TEAM_MEETING_DECISION', { decision: 'accept', signposting: [] }, '2030-01-07T10:30:00Z'),
    s('TEAM_MEETING_DECISION', { decision: 'decline', signposting: [] }, '2030-01-07T10:30:00Z'),
    s('TEAM_MEETING_DECISION', { decision: 'defer', signposting: [] }, '2030-01-07T10:30:00Z'),
    s('MEETING_DECISION_OVERDUE'),
    s('ASSESSMENT_COMPLETED', { appropriate: true, consent: false }),
    s('ASSESSMENT_COMPLETED', { appropriate: false, consent: true }),
    s('ASSESSMENT_COMPLETED', { appropriate: true, consent: true }, '2026-11-25T10:00:00Z'),
    s('ASSESSMENT_COMPLETED', { appropriate: true, consent: true }, '2027-03-01T10:00:00Z'),
    s('PRE_RELEASE_WINDOW_OPENED', {}, '2027-03-01T00:00:00Z'),
    s('RELEASE_DATE_CHANGED', { releaseDate: '2027-06-01' }),
    s('RELEASE_DATE_CHANGED', { releaseDate: null }),
    s('RELEASED', { releasedOn: '2027-04-12' }),
    s('RELEASE_DATE_REACHED'),
    s('RECALLED'),
    s('REMOVED_FROM_UK'),
    s('RECORD_CONTACT', { mode: 'faceToFace', occurredAt: '2027-02-01T10:00:00Z', duringRotl: false }),
    s('RECORD_CONTACT', { mode: 'telephone', occurredAt: '2027-02-01T10:00:00Z', duringRotl: false }),
    s('SET_RECEIVING_SERVICE', { service: 'Leeds RECONNECT' }),
    s('HANDOVER_COMPLETED'),
    s('REQUEST_EXTENSION', { until: '2029-01-01', justification: 'discharge would harm health' }),
    s('APPROVE_EXTENSION'),
    s('REJECT_EXTENSION'),
    s('POST_RELEASE_LIMIT_REACHED'),
    s('NEEDS_MET', { signposting: [] }),
    s('ASSIGN_WORKER', { worker: 'nw-1' }),
    s('SET_FOLLOW_UP', { dueAt: '2027-02-08T09:00:00Z' }),
    s('CLOSE', { closureReason: 'needsMet', signposting: [] }),
    newHolidays(pathway),
  ];
}

MODELS.reconnect = {
  inputs: [
    input('reconnect', custodyReferral()),
    input('reconnect', releasedReferral('2026-11-01', '2026-11-23T10:00:00Z')),
    input('reconnect', releasedReferral('2026-10-01', '2026-11-23T10:00:00Z')),
    input('reconnect', custodyReferral({ identifiedHealthNeed: false })),
  ],
  events: custodyEvents('reconnect'),
};
MODELS.enhancedReconnect = {
  inputs: [
    input('enhancedReconnect', enhancedReferral({}, '2027-09-01')),
    input('enhancedReconnect', enhancedReferral({ complexCriteria: ALL_CRITERIA.slice(0, 5) }, '2027-04-12')),
    input('enhancedReconnect', {
      ...enhancedReferral({ atRiskOfExtremism: true }),
      custody: {
        status: 'released',
        setting: 'prison',
        establishment: 'HMP Example',
        releasedOn: '2026-11-01',
      },
    }),
    input('enhancedReconnect', ineligibleEnhancedReferral()),
  ],
  events: custodyEvents('enhancedReconnect'),
};
