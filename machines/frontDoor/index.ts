import {
  addDays,
  addMonthsToInstant,
  endOfLocalDay,
  localDateOf,
  startOfLocalDay,
} from '../../calendar/calendar';
import type { SnapshotFrom } from 'xstate';
import type { Deadline } from '../common/case';
import { kitRoles } from '../common/kit';
import { definePathway, ROLES } from '../common/pathway';
import { dueOf } from '../common/referenceData';
import { FrontDoorEvent } from './events';
import { FRONT_DOOR_MIGRATIONS, frontDoorMachine, frontDoorRules } from './machine';
import { FrontDoorReferral } from './referral';

/** A statutory clock: a reminder before (long clocks only) and an escalation when it passes. */
function clock(name: string, label: string, due: string, warnDays: number, long: boolean): Deadline[] {
  const overdue: Deadline = {
    kind: 'reminder',
    name: `${name}Overdue`,
    label: `Overdue: ${label}`,
    at: due,
    notify: 'supervisor',
  };
  if (!long) return [overdue];
  const soon = startOfLocalDay(addDays(localDateOf(due), -warnDays));
  return [
    {
      kind: 'reminder',
      name: `${name}DueSoon`,
      label: `Due soon: ${label}`,
      at: soon,
      notify: 'namedWorker',
    },
    overdue,
  ];
}

type FrontDoorSnapshot = SnapshotFrom<typeof frontDoorMachine>;
/** The open states, as the machine names them (checked by the compiler). */
type OpenState = NonNullable<Extract<Parameters<FrontDoorSnapshot['matches']>[0], object>['open']>;

function deadlines(snapshot: FrontDoorSnapshot): Deadline[] {
  const ctx = snapshot.context;
  const p = ctx.policy;
  const workingDays = (name: string, from: string, n: number) => dueOf(ctx, name, from, n);
  const inState = (...states: OpenState[]) => states.some((s) => snapshot.matches({ open: s }));
  const out: Deadline[] = [];

  if (inState('awaitingDecision')) {
    out.push(
      ...clock(
        'referralDecision',
        `decision on the referral (${p.referralDecisionWorkingDays} working day)`,
        workingDays('referralDecision', ctx.receivedAt, p.referralDecisionWorkingDays),
        p.warnDaysBefore,
        false,
      ),
    );
  }
  if (
    inState('childInNeedAssessment', 'strategyDiscussion', 'section47Enquiry') &&
    !ctx.assessmentCompletedAt
  ) {
    out.push(
      ...clock(
        'assessment',
        `assessment complete (${p.assessmentWorkingDays} working days from referral)`,
        workingDays('assessment', ctx.receivedAt, p.assessmentWorkingDays),
        p.warnDaysBefore,
        true,
      ),
    );
  }
  if (inState('strategyDiscussion') && ctx.strategyFrom) {
    out.push(
      ...clock(
        'strategyDiscussion',
        `strategy discussion (local default: ${p.strategyDiscussionWorkingDays} working day)`,
        workingDays('strategyDiscussion', ctx.strategyFrom, p.strategyDiscussionWorkingDays),
        p.warnDaysBefore,
        false,
      ),
    );
  }
  if (inState('section47Enquiry') && ctx.strategyHeldAt) {
    out.push(
      ...clock(
        'initialConference',
        `initial child protection conference (${p.initialConferenceWorkingDays} working days from the strategy discussion)`,
        workingDays('initialConference', ctx.strategyHeldAt, p.initialConferenceWorkingDays),
        p.warnDaysBefore,
        true,
      ),
    );
  }
  if (inState('childProtectionPlan', 'preProceedings') && ctx.initialConferenceAt) {
    if (!ctx.coreGroupHeldAt) {
      out.push(
        ...clock(
          'firstCoreGroup',
          `first core group (${p.firstCoreGroupWorkingDays} working days from the conference)`,
          workingDays('firstCoreGroup', ctx.initialConferenceAt, p.firstCoreGroupWorkingDays),
          p.warnDaysBefore,
          true,
        ),
      );
    }
    const review = ctx.lastReviewAt
      ? addMonthsToInstant(ctx.lastReviewAt, p.laterReviewMonths)
      : addMonthsToInstant(ctx.initialConferenceAt, p.firstReviewMonths);
    out.push(
      ...clock('reviewConference', 'review child protection conference', review, p.warnDaysBefore, true),
    );
  }
  if (inState('careProceedings') && ctx.proceedingsIssuedAt) {
    const weeks = p.careProceedingsWeeks + ctx.proceedingsExtensionWeeks;
    const due = endOfLocalDay(addDays(localDateOf(ctx.proceedingsIssuedAt), weeks * 7));
    out.push(
      ...clock(
        'careProceedings',
        `care proceedings complete (${weeks} weeks from issue)`,
        due,
        p.careProceedingsWarnDays,
        true,
      ),
    );
  }
  return out;
}

const { casework: CASEWORK, supervisor: SUPERVISOR } = ROLES;

export const frontDoor = definePathway({
  id: 'frontDoor',
  title: "Children's social care front door",
  machine: frontDoorMachine,
  referral: FrontDoorReferral,
  events: FrontDoorEvent,
  roles: {
    REFERRAL_DECISION: CASEWORK,
    ASSESSMENT_COMPLETED: CASEWORK,
    STRATEGY_DISCUSSION_HELD: CASEWORK,
    INITIAL_CONFERENCE_HELD: CASEWORK,
    CORE_GROUP_HELD: CASEWORK,
    REVIEW_CONFERENCE_HELD: CASEWORK,
    ENTER_PRE_PROCEEDINGS: SUPERVISOR,
    PRE_PROCEEDINGS_ENDED: SUPERVISOR,
    CARE_PROCEEDINGS_ISSUED: ['supervisor', 'system'],
    PROCEEDINGS_EXTENDED: SUPERVISOR,
    PROCEEDINGS_CONCLUDED: ['supervisor', 'system'],
    PLAN_ENDED: CASEWORK,
    FAMILY_INFORMED: CASEWORK,
    RECORD_OVERDUE_REASON: CASEWORK,
    ...kitRoles(SUPERVISOR),
  },
  rules: frontDoorRules,
  deadlines,
  migrations: FRONT_DOOR_MIGRATIONS,
});
