import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { seesAllTeams } from '../../auth/caller';
import { dateTime } from '../../calendar/words';
import { actingRole, needsToKnow } from '../../access/rules';
import { rolesFor } from '../../access/actions';
import { LIST_READ } from '../../store/accessLog';
import { renderFields } from '../render';
import { criterionInWords } from '../viewModels/criteria';
import { peopleFor } from '../viewModels/people';
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
      const all = meetings.flatMap((m) => m.cases);
      // Eligibility is in the case's record: read only for those with a reason to see it.
      const known = all.filter((v) => needsToKnow(caller, v));
      const [people, details] = await Promise.all([
        peopleFor(cases, caller, known),
        Promise.all(known.map(async (v) => [v.caseId, await cases.details(v.caseId)] as const)),
      ]);
      const eligibility = new Map(
        details.map(([id, d]) => [id, d.eligibility as { met?: string[]; unmet?: string[] } | undefined]),
      );
      // One line in the access log for everything the agenda showed.
      if (known.length)
        await o.accessLog.record({
          who: caller,
          caseId: LIST_READ,
          caseIds: known.map((v) => v.caseId),
          what: 'list',
          why: 'team meeting agenda',
        });
      const agenda = await Promise.all(
        meetings.map(async (m) => ({
          when: dateTime(m.meetingAt),
          cases: await Promise.all(
            m.cases.map(async (v) => {
              const e = eligibility.get(v.caseId);
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
                people: people.get(v.caseId),
                met: (e?.met ?? []).map(criterionInWords),
                unmet: (e?.unmet ?? []).map(criterionInWords),
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
