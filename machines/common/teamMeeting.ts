import { dateTime } from '../../calendar/words';
import { and, type EventObject } from 'xstate';
import { endOfLocalDay, isBefore, localDateOf } from '../../calendar/calendar';
import type { Deadline } from './case';
import { underRules, type Rule } from './rules';
import { signpostingOf } from './closure';

/**
 * The weekly team meeting, shared by every pathway that routes referrals to the team: its
 * deadlines, the rule for recording its decision, and the state that waits for it. A machine
 * using the state provides the guards `decisionAfterMeetingStarts`, `declineSignposts` and `decisionIs`,
 * the actions `close`, `notify`, `signpost` and `carryOverMeeting`, and an `assessment` sibling state.
 */

/** The agenda reminder at the meeting, and the carry-over at the end of the meeting day. */
export function teamMeetingDeadlines(meetingAt: string | undefined): Deadline[] {
  if (!meetingAt) return [];
  return [
    {
      kind: 'reminder',
      name: 'teamMeeting',
      label: 'On the team-meeting agenda',
      at: meetingAt,
      notify: 'team',
    },
    {
      kind: 'transition',
      name: 'meetingDecisionOverdue',
      label: 'Team-meeting decision due by the end of the meeting day',
      at: endOfLocalDay(localDateOf(meetingAt)),
      event: { type: 'MEETING_DECISION_OVERDUE' },
    },
  ];
}

/**
 * The meeting's rules: a decision is recorded at or after the meeting starts, never before it;
 * and (rules edition 2) a decline names where the person is signposted, since the signposting
 * is sent to them.
 */
export function meetingRules<E extends EventObject & { at: string }>(): {
  decisionAfterMeetingStarts: Rule<{ meetingAt?: string | undefined }, E>;
  declineSignposts: Rule<{ rules?: number }, E>;
} {
  return {
    declineSignposts: {
      on: 'TEAM_MEETING_DECISION',
      holds: (ctx, e) =>
        e.type !== 'TEAM_MEETING_DECISION' ||
        !underRules(ctx, 2) ||
        !('decision' in e && e.decision === 'decline') ||
        signpostingOf(e).length > 0,
      refusal: () => 'a decline at the team meeting names at least one service the person is signposted to',
    },
    decisionAfterMeetingStarts: {
      on: 'TEAM_MEETING_DECISION',
      holds: (ctx, e) =>
        e.type !== 'TEAM_MEETING_DECISION' || !ctx.meetingAt || !isBefore(e.at, ctx.meetingAt),
      refusal: (ctx) =>
        `the team meeting starts at ${ctx.meetingAt ? dateTime(ctx.meetingAt) : 'its time'}; record its decision after it has begun`,
    },
  };
}

const toReferrer = (subject: string) => ({
  type: 'notify' as const,
  params: { to: 'referrer' as const, subject },
});

/** The `awaitingTeamMeeting` state: accept to assessment, decline to closed, defer a week. */
export function awaitingTeamMeetingState(closedId: string, person: string) {
  return {
    on: {
      TEAM_MEETING_DECISION: [
        {
          guard: and(['decisionAfterMeetingStarts', { type: 'decisionIs', params: 'accept' as const }]),
          target: 'assessment',
          actions: toReferrer('Referral accepted at team meeting'),
        },
        {
          guard: and([
            'decisionAfterMeetingStarts',
            'declineSignposts',
            { type: 'decisionIs', params: 'decline' as const },
          ]),
          target: closedId,
          actions: [
            { type: 'close' as const, params: 'declinedAtTeamMeeting' as const },
            toReferrer('Referral declined at team meeting'),
            // The first rules edition recorded the signposting without sending it (null: no effect).
            {
              type: 'signpost' as const,
              params: ({ context, event }: { context: { rules?: number }; event: EventObject }) =>
                underRules(context, 2) ? { signposting: signpostingOf(event), for: person } : null,
            },
          ],
        },
        {
          guard: and(['decisionAfterMeetingStarts', { type: 'decisionIs', params: 'defer' as const }]),
          actions: ['carryOverMeeting' as const, toReferrer('Referral deferred to the next team meeting')],
        },
      ],
      MEETING_DECISION_OVERDUE: {
        actions: [
          'carryOverMeeting' as const,
          {
            type: 'notify' as const,
            params: { to: 'supervisor' as const, subject: 'No team-meeting decision recorded: carried over' },
          },
        ],
      },
    },
  };
}
