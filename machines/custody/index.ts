import { addDays, endOfLocalDay, startOfLocalDay } from '../../calendar/calendar';
import type { CaseSnapshot, Deadline, Pathway } from '../common/case';
import { dueOf } from '../common/referenceData';
import { baseSummary, ROLES, standardInput } from '../common/pathway';
import { refusalFrom } from '../common/rules';
import { teamMeetingDeadlines } from '../common/teamMeeting';
import { EnhancedEvent, ReconnectEvent } from './events';
import {
  custodyRules,
  enhancedReconnectMachine,
  postReleaseLimit,
  reconnectMachine,
  windowOpensOn,
  type CustodyContext,
} from './machine';
import { CustodyReferral, EnhancedReferral } from './referral';

function custodyDeadlines(snapshot: CaseSnapshot): Deadline[] {
  const ctx = snapshot.context as unknown as CustodyContext;
  const p = ctx.policy;
  const out: Deadline[] = [];
  if (snapshot.matches('open.awaitingTeamMeeting')) out.push(...teamMeetingDeadlines(ctx.meetingAt));
  if (snapshot.matches('open.assessment')) {
    out.push({
      kind: 'reminder',
      name: 'assessmentDue',
      label: 'Assessment of appropriateness and consent not yet recorded (5 working days)',
      at: dueOf(ctx, 'assessmentDue', ctx.receivedAt, 5),
      notify: 'supervisor',
    });
  }
  const opens = windowOpensOn(ctx);
  if (snapshot.matches('open.awaitingPreReleaseWindow') && opens) {
    out.push({
      kind: 'transition',
      name: 'preReleaseWindowOpens',
      label: 'Pre-release support window opens',
      at: startOfLocalDay(opens),
      event: { type: 'PRE_RELEASE_WINDOW_OPENED' },
    });
  }
  if (snapshot.matches('open.preRelease') && ctx.releaseDate) {
    const before = (days: number) => startOfLocalDay(addDays(ctx.releaseDate!, -days));
    out.push({
      kind: 'transition',
      name: 'release',
      label: 'Release date',
      at: startOfLocalDay(ctx.releaseDate),
      event: { type: 'RELEASE_DATE_REACHED' },
    });
    if (ctx.preReleaseContactCount < p.minContactsBeforeRelease) {
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
  const limit = postReleaseLimit(ctx);
  if (snapshot.matches('open.postRelease') && limit) {
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
        label: 'Extension request waiting for a supervisor (2 working days)',
        at: dueOf(ctx, 'extensionDecisionDue', ctx.extensionRequest.requestedAt, 2),
        notify: 'supervisor',
      });
    }
  }
  return out;
}

const { casework: CASEWORK, supervisor: SUPERVISOR, reported: REPORTED, timer: TIMER } = ROLES;

const custodyRoles: Pathway['roles'] = {
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
  ASSIGN_WORKER: SUPERVISOR,
  CLOSE: CASEWORK,
  REFERENCE_DATA_UPDATED: ROLES.referenceData,
};

function summary(snapshot: CaseSnapshot) {
  const ctx = snapshot.context as unknown as CustodyContext;
  const release = ctx.releasedOn ?? ctx.releaseDate ?? undefined;
  return {
    ...baseSummary(snapshot),
    ...(release ? { releaseDate: release } : {}),
    ...(ctx.eligibility.priorityGroup ? { priorityGroup: ctx.eligibility.priorityGroup } : {}),
  };
}

const explain = (snapshot: CaseSnapshot, event: { type: string }) =>
  refusalFrom(custodyRules, snapshot.context as unknown as CustodyContext, event as never);

export const reconnect: Pathway<CustodyReferral> = {
  id: 'reconnect',
  title: 'RECONNECT care after custody',
  machine: reconnectMachine,
  referral: CustodyReferral,
  events: ReconnectEvent,
  roles: custodyRoles,
  input: standardInput,
  deadlines: custodyDeadlines,
  summary,
  explain,
  migrations: [],
};

export const enhancedReconnect: Pathway<EnhancedReferral> = {
  id: 'enhancedReconnect',
  title: 'Enhanced RECONNECT',
  machine: enhancedReconnectMachine,
  referral: EnhancedReferral,
  events: EnhancedEvent,
  roles: custodyRoles,
  input: standardInput,
  deadlines: custodyDeadlines,
  summary,
  explain,
  migrations: [],
};
