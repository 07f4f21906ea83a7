import type { CaseSnapshot, Deadline, Pathway } from '../common/case';
import { dueOf } from '../common/referenceData';
import { baseSummary, ROLES, standardInput } from '../common/pathway';
import { refusalFrom } from '../common/rules';
import { teamMeetingDeadlines } from '../common/teamMeeting';
import { ParentInfantEvent } from './events';
import {
  noContactReminderAt,
  parentInfantMachine,
  parentInfantRules,
  type ParentInfantContext,
} from './machine';
import { ParentInfantReferral } from './referral';

const { casework: CASEWORK, supervisor: SUPERVISOR, reported: ANYONE_REPORTING } = ROLES;

function deadlines(snapshot: CaseSnapshot): Deadline[] {
  const ctx = snapshot.context as unknown as ParentInfantContext;
  const out: Deadline[] = [];
  if (snapshot.matches('open.screening')) {
    out.push({
      kind: 'reminder',
      name: 'screeningDue',
      label: 'Referral not yet screened (1 working day after it was seen)',
      at: dueOf(ctx, 'screeningDue', ctx.seenAt, 1),
      notify: 'supervisor',
    });
  }
  if (snapshot.matches('open.awaitingTeamMeeting')) out.push(...teamMeetingDeadlines(ctx.meetingAt));
  const noContact = snapshot.matches('open.engagement') ? noContactReminderAt(ctx) : undefined;
  if (noContact) {
    out.push({
      kind: 'reminder',
      name: 'noAttendedContact',
      label: 'No attended contact for 28 days',
      at: noContact,
      notify: 'namedWorker',
    });
  }
  return out;
}

export const parentInfant: Pathway<ParentInfantReferral> = {
  id: 'parentInfant',
  title: 'Parent–infant ReConnect',
  machine: parentInfantMachine,
  referral: ParentInfantReferral,
  events: ParentInfantEvent,
  roles: {
    ACCEPT_FOR_ASSESSMENT: CASEWORK,
    REFER_TO_TEAM_MEETING: CASEWORK,
    DECLINE_AT_SCREENING: CASEWORK,
    TEAM_MEETING_DECISION: SUPERVISOR,
    MEETING_DECISION_OVERDUE: ROLES.timer,
    ASSESSMENT_COMPLETED: CASEWORK,
    RECORD_CONTACT: CASEWORK,
    SOCIAL_CARE_STATUS_CHANGED: ANYONE_REPORTING,
    CARE_PROCEEDINGS_STARTED: ANYONE_REPORTING,
    ASSIGN_WORKER: SUPERVISOR,
    CLOSE: CASEWORK,
    REFERENCE_DATA_UPDATED: ROLES.referenceData,
  },
  input: standardInput,
  deadlines,
  explain: (snapshot, event) =>
    refusalFrom(parentInfantRules, snapshot.context as unknown as ParentInfantContext, event as never),
  summary: baseSummary,
  migrations: [],
};
