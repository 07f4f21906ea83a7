import type { SnapshotFrom } from 'xstate';
import type { Deadline } from '../common/case';
import { kitRoles } from '../common/kit';
import { definePathway, ROLES } from '../common/pathway';
import { dueOf } from '../common/referenceData';
import { teamMeetingDeadlines } from '../common/teamMeeting';
import { ParentInfantEvent } from './events';
import {
  ENGAGEMENT_POLICY,
  noContactReminderAt,
  parentInfantMachine,
  parentInfantRules,
  SCREENING_WORKING_DAYS,
} from './machine';
import { ParentInfantReferral, parentInfantReferralRules, NOT_AN_EMERGENCY_SERVICE } from './referral';

const { casework: CASEWORK, supervisor: SUPERVISOR, reported: ANYONE_REPORTING } = ROLES;

function deadlines(snapshot: SnapshotFrom<typeof parentInfantMachine>): Deadline[] {
  const ctx = snapshot.context;
  const out: Deadline[] = [];
  if (snapshot.matches({ open: 'screening' })) {
    out.push({
      kind: 'reminder',
      name: 'screeningDue',
      label: `Referral not yet screened (${SCREENING_WORKING_DAYS} working day after it was seen)`,
      at: dueOf(ctx, 'screeningDue', ctx.seenAt, SCREENING_WORKING_DAYS),
      notify: 'supervisor',
    });
  }
  if (snapshot.matches({ open: 'awaitingTeamMeeting' })) out.push(...teamMeetingDeadlines(ctx.meetingAt));
  const noContact = snapshot.matches({ open: 'engagement' }) ? noContactReminderAt(ctx) : undefined;
  if (noContact) {
    out.push({
      kind: 'reminder',
      name: 'noAttendedContact',
      label: `No attended contact for ${ENGAGEMENT_POLICY.noAttendedContactDays} days`,
      at: noContact,
      notify: 'namedWorker',
    });
  }
  return out;
}

export const parentInfant = definePathway({
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
    ...kitRoles(CASEWORK),
  },
  rules: parentInfantRules,
  referralRules: parentInfantReferralRules,
  notice: NOT_AN_EMERGENCY_SERVICE,
  deadlines,
});
