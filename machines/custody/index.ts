import { addDays, endOfLocalDay, localDateOf, startOfLocalDay } from '../../calendar/calendar';
import { underRules } from '../common/rules';
import type { SnapshotFrom } from 'xstate';
import type { Deadline } from '../common/case';
import { dueOf } from '../common/referenceData';
import { kitRoles } from '../common/kit';
import { baseSummary, definePathway, ROLES } from '../common/pathway';
import { statePath } from '../common/snapshot';
import { teamMeetingDeadlines } from '../common/teamMeeting';
import { EnhancedEvent, ReconnectEvent } from './events';
import {
  ASSESSMENT_WORKING_DAYS,
  contactsBeforeRelease,
  custodyRules,
  enhancedReconnectMachine,
  EXTENSION_DECISION_WORKING_DAYS,
  NO_CONTACT_AFTER_RELEASE_DAYS,
  REFERRER_CONTACT_WORKING_DAYS,
  postReleaseLimit,
  reconnectMachine,
  windowOpensOn,
  type CustodyOpenState,
} from './machine';
import { CustodyReferral, custodyOpeningRules, custodyReferralRules, EnhancedReferral } from './referral';

type CustodySnapshot = SnapshotFrom<typeof reconnectMachine>;
const inOpen = (snapshot: CustodySnapshot, state: CustodyOpenState) =>
  statePath(snapshot) === `open.${state}`;

function custodyDeadlines(snapshot: CustodySnapshot): Deadline[] {
  const ctx = snapshot.context;
  const p = ctx.policy;
  const out: Deadline[] = [];
  if (inOpen(snapshot, 'awaitingTeamMeeting')) out.push(...teamMeetingDeadlines(ctx.meetingAt));
  if (inOpen(snapshot, 'assessment')) {
    out.push({
      kind: 'reminder',
      name: 'assessmentDue',
      label: `Assessment of appropriateness and consent not yet recorded (${ASSESSMENT_WORKING_DAYS} working days)`,
      at: dueOf(ctx, 'assessmentDue', ctx.receivedAt, ASSESSMENT_WORKING_DAYS),
      notify: 'supervisor',
    });
  }
  const opens = windowOpensOn(ctx);
  if (inOpen(snapshot, 'awaitingPreReleaseWindow') && opens) {
    out.push({
      kind: 'transition',
      name: 'preReleaseWindowOpens',
      label: 'Pre-release support window opens',
      at: startOfLocalDay(opens),
      event: { type: 'PRE_RELEASE_WINDOW_OPENED' },
    });
  }
  if (inOpen(snapshot, 'preRelease') && ctx.releaseDate) {
    const before = (days: number) => startOfLocalDay(addDays(ctx.releaseDate!, -days));
    out.push({
      kind: 'transition',
      name: 'release',
      label: 'Release date',
      at: startOfLocalDay(ctx.releaseDate),
      event: { type: 'RELEASE_DATE_REACHED' },
    });
    if (contactsBeforeRelease(ctx) < p.minContactsBeforeRelease) {
      out.push({
        kind: 'reminder',
        name: 'fewContactsBeforeRelease',
        label: `Fewer than ${p.minContactsBeforeRelease} contacts recorded before release`,
        at: before(p.contactsReminderDays),
        notify: 'namedWorker',
      });
    }
    if (!ctx.namedWorker) {
      out.push({
        kind: 'reminder',
        name: 'namedWorkerNeeded',
        label: 'No named worker assigned before release',
        at: before(p.namedWorkerReminderDays),
        notify: 'supervisor',
      });
    }
    if (ctx.receivingService && !ctx.handoverCompletedAt) {
      out.push({
        kind: 'reminder',
        name: 'handoverDue',
        label: 'Handover to the receiving service not yet complete',
        at: before(p.handoverReminderDays),
        notify: 'namedWorker',
      });
    }
  }
  // Rules edition 2: agreeing next steps with the referrer (003), and contact after release.
  // From edition 3 the referrer's clock starts on receipt when the referral is accepted then.
  if (underRules(ctx, 2) && ctx.acceptedAt && !ctx.referrerContactedAt && snapshot.status === 'active') {
    out.push({
      kind: 'reminder',
      name: 'referrerNextSteps',
      label: `Contact the referrer to agree next steps (${REFERRER_CONTACT_WORKING_DAYS} working days from acceptance)`,
      at: dueOf(ctx, 'referrerNextSteps', ctx.acceptedAt, REFERRER_CONTACT_WORKING_DAYS),
      notify: 'namedWorker',
    });
  }
  if (underRules(ctx, 2) && inOpen(snapshot, 'postRelease') && ctx.releasedOn) {
    const lastContact = ctx.contacts.filter((c) => c.phase === 'postRelease').at(-1)?.occurredAt;
    const since =
      lastContact && localDateOf(lastContact) > ctx.releasedOn ? localDateOf(lastContact) : ctx.releasedOn;
    out.push({
      kind: 'reminder',
      name: 'noContactAfterRelease',
      label: `No contact recorded for ${NO_CONTACT_AFTER_RELEASE_DAYS} days since ${since === ctx.releasedOn ? 'release' : 'the last contact'}`,
      at: endOfLocalDay(addDays(since, NO_CONTACT_AFTER_RELEASE_DAYS)),
      notify: 'namedWorker',
    });
  }
  const limit = postReleaseLimit(ctx);
  if (inOpen(snapshot, 'postRelease') && limit) {
    out.push(
      {
        kind: 'reminder',
        name: 'postReleaseLimitApproaching',
        label: `Post-release support ends on ${limit}: discharge, or request an extension`,
        at: startOfLocalDay(addDays(limit, -p.limitWarningDays)),
        notify: 'namedWorker',
      },
      {
        kind: 'transition',
        name: 'postReleaseLimit',
        label: ctx.extendedUntil
          ? 'Extended support ends'
          : `${p.postReleaseMonths}-month post-release limit`,
        at: endOfLocalDay(limit),
        event: { type: 'POST_RELEASE_LIMIT_REACHED' },
      },
    );
    if (ctx.extensionRequest) {
      out.push({
        kind: 'reminder',
        name: 'extensionDecisionDue',
        label: `Extension request waiting for a supervisor (${EXTENSION_DECISION_WORKING_DAYS} working days)`,
        at: dueOf(
          ctx,
          'extensionDecisionDue',
          ctx.extensionRequest.requestedAt,
          EXTENSION_DECISION_WORKING_DAYS,
        ),
        notify: 'supervisor',
      });
    }
  }
  return out;
}

const { casework: CASEWORK, supervisor: SUPERVISOR, reported: REPORTED, timer: TIMER } = ROLES;

const custodyRoles = {
  TEAM_MEETING_DECISION: SUPERVISOR,
  MEETING_DECISION_OVERDUE: TIMER,
  ASSESSMENT_COMPLETED: CASEWORK,
  PRE_RELEASE_WINDOW_OPENED: TIMER,
  RELEASE_DATE_CHANGED: REPORTED,
  RELEASED: REPORTED,
  RELEASE_DATE_REACHED: TIMER,
  RECALLED: REPORTED,
  REMOVED_FROM_UK: REPORTED,
  RECORD_CONTACT: CASEWORK,
  SET_RECEIVING_SERVICE: CASEWORK,
  HANDOVER_COMPLETED: CASEWORK,
  REQUEST_EXTENSION: CASEWORK,
  APPROVE_EXTENSION: SUPERVISOR,
  REJECT_EXTENSION: SUPERVISOR,
  POST_RELEASE_LIMIT_REACHED: TIMER,
  NEEDS_MET: CASEWORK,
  RELEASE_DATE_CORRECTED: CASEWORK,
  REFERRER_CONTACTED: CASEWORK,
  PEER_SUPPORT_OFFERED: CASEWORK,
  ...kitRoles(CASEWORK),
} as const;

function summary(snapshot: CustodySnapshot) {
  const ctx = snapshot.context;
  const release = ctx.releasedOn ?? ctx.releaseDate ?? undefined;
  return {
    ...baseSummary(snapshot),
    ...(release ? { releaseDate: release } : {}),
    ...(ctx.eligibility.priorityGroup ? { priorityGroup: ctx.eligibility.priorityGroup } : {}),
  };
}

export const reconnect = definePathway({
  id: 'reconnect',
  title: 'RECONNECT care after custody',
  machine: reconnectMachine,
  referral: CustodyReferral,
  events: ReconnectEvent,
  roles: custodyRoles,
  rules: custodyRules,
  referralRules: custodyReferralRules('reconnect'),
  openingRules: custodyOpeningRules,
  deadlines: custodyDeadlines,
  summary,
});

export const enhancedReconnect = definePathway({
  id: 'enhancedReconnect',
  title: 'Enhanced RECONNECT',
  machine: enhancedReconnectMachine,
  referral: EnhancedReferral,
  events: EnhancedEvent,
  roles: custodyRoles,
  rules: custodyRules,
  referralRules: custodyReferralRules('enhancedReconnect'),
  openingRules: custodyOpeningRules,
  deadlines: custodyDeadlines,
  summary,
});
