import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { seesAllTeams } from '../../auth/caller';
import { dateTime } from '../../calendar/words';
import { actingRole, needsToKnow } from '../../access/rules';
import { rolesFor } from '../../access/actions';
import { renderFields } from '../render';
import { actionFields, describedCase } from '../viewModels/case';
import { hide, type Kit } from './kit';

/** The team meeting's agenda: referrals waiting for a decision, by meeting, with the decision form. */
export function meetingRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  web.get(
    '/app/meeting',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const { meetings, unreadable } = await cases.agenda(
        undefined,
        seesAllTeams(caller) ? undefined : caller.teams,
      );
      const done = (req.query as { done?: string }).done;
      const agenda = await Promise.all(
        meetings.map(async (m) => ({
          when: dateTime(m.meetingAt),
          cases: await Promise.all(
            m.cases.map(async (v) => {
              const canRead = needsToKnow(caller, v);
              const details = canRead ? await cases.details(v.caseId) : undefined;
              if (canRead)
                await o.accessLog.record({
                  who: caller,
                  caseId: v.caseId,
                  what: 'details',
                  why: 'team meeting agenda',
                });
              const eligibility = details?.eligibility as { met?: string[]; unmet?: string[] } | undefined;
              const timeline = await cases.timeline(v.caseId);
              const carried = timeline.filter(
                (e) =>
                  e.type === 'MEETING_DECISION_OVERDUE' ||
                  (e.type === 'TEAM_MEETING_DECISION' &&
                    (e.data as { decision?: string } | undefined)?.decision === 'defer'),
              );
              const fields = v.allowedActions.includes('TEAM_MEETING_DECISION')
                ? actionFields(v.caseId, 'TEAM_MEETING_DECISION')
                : undefined;
              return {
                ...describedCase(v),
                met: eligibility?.met ?? [],
                unmet: eligibility?.unmet ?? [],
                carriedOver: carried.map(
                  (e) =>
                    `${dateTime(e.at)}: ${e.type === 'MEETING_DECISION_OVERDUE' ? 'no decision recorded, carried over' : 'deferred'}`,
                ),
                form:
                  fields && actingRole(caller, rolesFor(v.caseId, 'TEAM_MEETING_DECISION'))
                    ? { html: renderFields(fields, {}, new Map()), eventId: randomUUID() }
                    : undefined,
              };
            }),
          ),
        })),
      );
      return page(reply, 'meeting.njk', {
        ...nav(caller, '/app/meeting'),
        agenda,
        csrf,
        done: done === '1',
        unreadable: unreadable.length,
      });
    }),
  );
}
