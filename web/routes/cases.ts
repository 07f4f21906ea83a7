import type { FastifyInstance } from 'fastify';
import { seesTeam } from '../../auth/caller';
import { dateTime } from '../../calendar/words';
import { FREE_TEXT_FIELDS } from '../../machines/common/envelope';
import { pathways } from '../../machines';
import { closureName, eventName, stateName } from '../../machines/plainEnglish';
import { actingRole, mayTake, needsToKnow, visibleCase as caseOnTeam, type Staff } from '../../access/rules';
import { CaseId, rolesFor } from '../../access/actions';
import type { Posted } from '../forms';
import { PageError } from '../pageError';
import { LIST_READ, type AccessEntry } from '../../store/accessLog';
import { describedCase, flatten } from '../viewModels/case';
import { peopleFor } from '../viewModels/people';
import { recordLinks } from '../viewModels/record';
import { RECORD_EVENT_TYPES } from '../../machines/common/recordKeeping';
import { hide, type Kit } from './kit';

/** What a read in the access log was, in words. */
const ACCESS_WHAT: Readonly<Record<AccessEntry['what'], string>> = Object.freeze({
  details: 'Personal details and notes',
  timeline: 'Timeline with notes',
  outbox: 'Messages sent',
  'codec-decode': 'Case data in the Temporal Web UI',
  consultation: 'Consultation',
  archive: 'Archived record',
  'access-history': 'Who has read the case',
  'person-search': 'Found in a person search',
  list: 'In a list of cases',
  return: 'In a statutory return',
  'sign-off-note': "A supervisor's sign-off note",
});

const ROLE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  caseworker: 'caseworker',
  supervisor: 'supervisor',
  admin: 'administrator',
});
const roleName = (r: string) => ROLE_NAMES[r] ?? r;

/** Supervisors of the case's team and administrators answer for who has read it. */
export const answersForReads = (caller: Staff, view: { team: string }) =>
  caller.roles.includes('admin') || (caller.roles.includes('supervisor') && caller.teams.includes(view.team));

/** A case the caller's teams can see: 404 for an id that names none, 403 for another team's. */
export async function visibleCase(cases: Kit['cases'], caller: Staff, id: string) {
  if (!CaseId.safeParse(id).success) throw new PageError(404, 'There is no such case.');
  return caseOnTeam(cases, caller, id).catch(async (err: unknown) => {
    if ((err as { code?: string }).code !== 'forbidden') throw err;
    // Its reference is a code the service made, not personal data: staff who once had the case
    // (before a transfer, say) can still tell which one it was.
    const reference = await cases.view(id).then(
      (v) => v.reference,
      () => undefined,
    );
    throw new PageError(
      403,
      reference
        ? `Case ${reference} is with another team. You can see its reference only.`
        : 'This case belongs to another team.',
    );
  });
}

/** The case page, its personal details and notes (with a reason), and who has read it (with a reason). */
export function caseRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  web.get(
    '/app/cases/:id',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = describedCase(await visibleCase(cases, caller, id));
      // Offered to the caller's team, not yet theirs: its reference and state, and the answer.
      if (!seesTeam(caller, view.team))
        return page(reply, 'case-offered.njk', {
          ...nav(caller, ''),
          view,
          mayAnswer: mayTake(caller, view, 'TRANSFER_ACCEPTED'),
        });
      const timeline = (await cases.timeline(id)).map((e) => ({
        ...e,
        // A reminder's reason is the deadline it is for, in words the service wrote: not a note.
        what: e.type === 'REMINDER' && e.reason ? `${eventName(e.type)}: ${e.reason}` : eventName(e.type),
        when: dateTime(e.at),
        restricted:
          (e.reason !== undefined && e.type !== 'REMINDER') ||
          Object.keys(e.data ?? {}).some((k) => (FREE_TEXT_FIELDS as readonly string[]).includes(k)),
      }));
      const actions = view.allowedActions
        // The record's events (notes, corrections, transfers) have their own pages.
        .filter(
          (t) =>
            !RECORD_EVENT_TYPES.includes(t) &&
            actingRole(caller, rolesFor(id, t)) &&
            mayTake(caller, view, t),
        )
        .map((t) => ({ type: t, name: eventName(t) }));
      const machine = pathways[view.pathway].machine;
      const path = view.statePath.split('.');
      const leaves = (node: typeof machine.root): (typeof machine.root)[] =>
        Object.values(node.states).flatMap((s) => (Object.keys(s.states).length ? leaves(s) : [s]));
      const stateMap = leaves(machine.root).map((s) => ({
        name: stateName(s.key),
        current: path.includes(s.key),
      }));
      // Names and dates of birth in the header, for those with a reason to see them (logged).
      const people = needsToKnow(caller, view) ? (await peopleFor(cases, caller, [view])).get(id) : undefined;
      if (people)
        await o.accessLog.record({
          who: caller,
          caseId: LIST_READ,
          caseIds: [id],
          what: 'list',
          why: 'case page',
        });
      return page(reply, 'case.njk', {
        ...nav(caller, ''),
        view,
        people,
        closureName: view.closure ? closureName(view.closure.reason) : undefined,
        timeline: timeline.reverse(),
        actions,
        stateMap,
        csrf,
        done: (req.query as { done?: string }).done
          ? eventName((req.query as { done: string }).done)
          : undefined,
        canReadDetails: needsToKnow(caller, view),
        canSeeReads: answersForReads(caller, view),
        record: recordLinks(caller, view),
      });
    }),
  );

  web.get(
    '/app/cases/:id/details',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(cases, caller, id);
      return page(reply, 'details-reason.njk', { ...nav(caller, ''), view: describedCase(view), csrf });
    }),
  );

  web.post(
    '/app/cases/:id/details',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(cases, caller, id);
      if (!needsToKnow(caller, view))
        throw new PageError(
          403,
          "Only the named worker or a supervisor of the team may read this case's details.",
        );
      const reason = String((req.body as Posted).reason ?? '').trim();
      if (reason.length < 3 || reason.length > 200) {
        return page(
          reply,
          'details-reason.njk',
          {
            ...nav(caller, ''),
            view: describedCase(view),
            csrf,
            error: 'Enter why you need to see the details (3 to 200 characters)',
          },
          400,
        );
      }
      await o.accessLog.record({ who: caller, caseId: id, what: 'details', why: reason });
      const details = await cases.details(id);
      const timeline = (await cases.timeline(id)).map((e) => ({
        ...e,
        what: eventName(e.type),
        when: dateTime(e.at),
      }));
      return page(reply, 'details.njk', {
        ...nav(caller, ''),
        view: describedCase(view),
        rows: flatten(details).slice(0, 200),
        timeline: timeline.reverse(),
      });
    }),
  );

  web.get(
    '/app/cases/:id/access',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(cases, caller, id);
      if (!answersForReads(caller, view))
        throw new PageError(
          403,
          "Only a supervisor of the case's team or an administrator may see who has read it.",
        );
      return page(reply, 'access-reason.njk', { ...nav(caller, ''), view: describedCase(view), csrf });
    }),
  );

  web.post(
    '/app/cases/:id/access',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(cases, caller, id);
      if (!answersForReads(caller, view))
        throw new PageError(
          403,
          "Only a supervisor of the case's team or an administrator may see who has read it.",
        );
      const reason = String((req.body as Posted).reason ?? '').trim();
      if (reason.length < 3 || reason.length > 200)
        return page(
          reply,
          'access-reason.njk',
          {
            ...nav(caller, ''),
            view: describedCase(view),
            csrf,
            error: 'Enter why you need to see who has read this case (3 to 200 characters)',
          },
          400,
        );
      await o.accessLog.record({ who: caller, caseId: id, what: 'access-history', why: reason });
      const entries = await o.accessLog.find({ caseId: id, limit: 5000 });
      return page(reply, 'access.njk', {
        ...nav(caller, ''),
        view: describedCase(view),
        entries: entries.reverse().map((e) => ({
          when: dateTime(e.at),
          who: e.who.id,
          roles: e.who.roles.map((r) => roleName(r)).join(', '),
          what: ACCESS_WHAT[e.what] ?? e.what,
          why: e.why,
        })),
      });
    }),
  );
}
