import type { FastifyInstance } from 'fastify';
import { longDate } from '../../calendar/words';
import { LIST_READ } from '../../store/accessLog';
import { describedCase } from '../viewModels/case';
import { peopleFor, whoText } from '../viewModels/people';
import { hide, type Kit } from './kit';
import { supervisorQueues } from './oversight';

/** My work: the signed-in worker's open cases, what is overdue or due soon, and releases coming up. */
export function myWorkRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  web.get(
    '/app',
    hide,
    handle(async (_req, reply, { caller }) => {
      const rows = await cases.caseload({ namedWorker: caller.id, open: true }, 100);
      // A case that cannot be read just now never takes the page down: the rest are shown.
      const read = await cases.views(rows.map((r) => r.caseId));
      // The people of the worker's cases, in one look-up, and one line in the access log for them all.
      const people = await peopleFor(cases, caller, read.views);
      if (people.size)
        await o.accessLog.record({
          who: caller,
          caseId: LIST_READ,
          caseIds: [...people.keys()],
          what: 'list',
          why: 'my work',
        });
      const mine = read.views.map((v) => ({ ...describedCase(v), people: people.get(v.caseId) }));
      const deadlines = mine
        .flatMap((c) =>
          c.deadlines.map((d) => ({
            ...d,
            caseId: c.caseId,
            reference: c.reference,
            who: c.people ? whoText(c.people) : undefined,
            caseLabel: `${c.pathwayName}: ${c.stateName}`,
          })),
        )
        .sort((a, b) => a.at.localeCompare(b.at));
      const soonReleases = rows
        .filter(
          (r) =>
            r.releaseDate &&
            Date.parse(r.releaseDate) - Date.now() < 56 * 86400000 &&
            Date.parse(r.releaseDate) >= Date.now() - 86400000,
        )
        .map((r) => ({
          caseId: r.caseId,
          reference: r.reference,
          who: people.has(r.caseId) ? whoText(people.get(r.caseId)!) : undefined,
          date: longDate(r.releaseDate!),
        }));
      const unassigned = await cases.count({ teams: caller.teams, open: true, unassigned: true });
      return page(reply, 'my-work.njk', {
        ...nav(caller, '/app'),
        cases: mine,
        overdue: deadlines.filter((d) => d.words.overdue),
        thisWeek: deadlines.filter((d) => !d.words.overdue && d.words.soon),
        reminders: deadlines.filter(
          (d) => d.kind === 'reminder' && d.notify === 'namedWorker' && d.words.soon,
        ),
        releases: soonReleases,
        unassigned,
        unreadable: read.unreadable.length,
        queues: await supervisorQueues(cases, caller),
      });
    }),
  );
}
