import {
  addDays,
  addMonthsToInstant,
  endOfLocalDay,
  localDateOf,
  startOfLocalDay,
  subtractWorkingDays,
  type HolidayCalendar,
} from '../../calendar/calendar';
import { underRules } from '../common/rules';
import type { SnapshotFrom } from 'xstate';
import type { Deadline } from '../common/case';
import { kitRoles } from '../common/kit';
import { definePathway, ROLES } from '../common/pathway';
import { dueOf } from '../common/referenceData';
import { FrontDoorEvent } from './events';
import { FRONT_DOOR_MIGRATIONS, frontDoorMachine, frontDoorRules } from './machine';
import { FrontDoorReferral, frontDoorReferralRules } from './referral';

/**
 * A statutory clock: a reminder before (long clocks only) and an escalation when it passes.
 * `warnIn` says how the reminder's lead is counted: in working days before the clock's last day
 * (working-day clocks, rules edition 2), or in calendar days before the clock ends.
 */
function clock(
  name: string,
  label: string,
  due: string,
  warnDays: number,
  long: boolean,
  warnIn: HolidayCalendar | 'calendarDays' = 'calendarDays',
): Deadline[] {
  const overdue: Deadline = {
    kind: 'reminder',
    name: `${name}Overdue`,
    label: `Overdue: ${label}`,
    at: due,
    notify: 'supervisor',
  };
  if (!long) return [overdue];
  const soon =
    warnIn === 'calendarDays'
      ? startOfLocalDay(addDays(localDateOf(due), -warnDays))
      : startOfLocalDay(subtractWorkingDays(addDays(localDateOf(due), -1), warnDays, warnIn));
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
  const edition2 = underRules(ctx, 2);
  // Rules edition 2: "due soon" on a working-day clock counts working days.
  const warnIn = edition2 ? ctx.calendar : 'calendarDays';
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
        warnIn,
      ),
    );
  }
  if (inState('strategyDiscussion') && ctx.strategyFrom) {
    out.push(
      ...clock(
        'strategyDiscussion',
        ctx.urgent
          ? 'strategy discussion (significant harm suspected: the same working day)'
          : `strategy discussion (local default: ${p.strategyDiscussionWorkingDays} working day)`,
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
        warnIn,
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
          warnIn,
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
    // Children Act 1989 s32(1)(a)(ii): 26 weeks "beginning with the day on which the application
    // was issued", so the last day is issue + 181 (rules edition 2; the first edition counted 182).
    const lastDayOffset = weeks * 7 - (edition2 ? 1 : 0);
    const due = endOfLocalDay(addDays(localDateOf(ctx.proceedingsIssuedAt), lastDayOffset));
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
  referralRules: frontDoorReferralRules,
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
    CHILD_DETAILS_RECORDED: CASEWORK,
    RECORD_OVERDUE_REASON: CASEWORK,
    ENQUIRY_STEP_RECORDED: CASEWORK,
    ...kitRoles(SUPERVISOR),
  },
  rules: frontDoorRules,
  notice:
    "If a child is in immediate danger, call 999. Buckinghamshire children's social care: 01296 383962 " +
    '(office hours); out of hours: 08009 997677.',
  deadlines,
  migrations: FRONT_DOOR_MIGRATIONS,
});
