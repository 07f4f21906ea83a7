import type { FastifyInstance } from 'fastify';
import { seesAllTeams } from '../../auth/caller';
import { PATHWAYS, type PathwayId } from '../../machines';
import { pathwayName, STATE_NAMES, stateName } from '../../machines/plainEnglish';
import { LIST_READ } from '../../store/accessLog';
import { caseRows } from '../viewModels/caseRow';
import { dateFilter } from '../viewModels/dateFilter';
import { peopleFor, prefetchTeamPeople } from '../viewModels/people';
import { hide, type Kit } from './kit';

/** A team's open cases fit on one page (a team holds a few hundred); more are paged. */
const PAGE_SIZE = 500;
/** Rows read for one caseload view; counts are exact beyond it. */
const LIST_LIMIT = 2000;

/** The team caseload: every open case of the caller's teams, filtered, counted by state. */
export function caseloadRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  // A search by name is sent in a form's body, never in the address: addresses are kept in
  // browsers' histories and proxies' logs, and names never go to logs.
  const caseload = handle(async (req, reply, { caller, csrf }) => {
    const posted = req.method === 'POST' ? (req.body as Record<string, unknown>) : {};
    const q: Record<string, string | undefined> = {
      ...(req.query as Record<string, string | undefined>),
      q: typeof posted.q === 'string' ? posted.q : undefined,
    };
    const pathway = PATHWAYS.includes(q.pathway as PathwayId) ? (q.pathway as PathwayId) : undefined;
    const state = q.state && /^[A-Za-z]{1,40}$/.test(q.state) ? q.state : undefined;
    const worker = q.worker && /^[A-Za-z0-9._-]{1,64}$/.test(q.worker) ? q.worker : undefined;
    // The GOV.UK date input's three boxes (or the date itself, from a link).
    const due = dateFilter(q, 'dueBy');
    const dueBy = due.date;
    const search = (q.q ?? '').trim().slice(0, 100);
    const sort = q.sort === 'release' ? 'release' : 'deadline';
    const pageNo = Math.max(1, Math.min(1000, Number.parseInt(q.page ?? '1', 10) || 1));
    const filter = {
      open: true,
      ...(seesAllTeams(caller) ? {} : { teams: caller.teams }),
      ...(pathway ? { pathway } : {}),
      ...(state ? { state } : {}),
      ...(worker ? { namedWorker: worker } : {}),
      ...(dueBy ? { nextDeadlineTo: `${dueBy}T23:59:59Z` } : {}),
    };
    // The people of the caller's teams are read from the record store while Temporal lists the cases.
    const prefetched = prefetchTeamPeople(cases, caller);
    // Counted by the server only when there are more rows than one read lists.
    const all = await cases.caseload(filter, LIST_LIMIT);
    const total = all.length < LIST_LIMIT ? all.length : await cases.count(filter);
    if (sort === 'release') all.sort((a, b) => (a.releaseDate ?? '~').localeCompare(b.releaseDate ?? '~'));
    const counts = new Map<string, number>();
    if (total <= all.length) for (const r of all) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
    else {
      // More than a page of rows: each state counted by visibility, not from the rows listed.
      const states = state ? [state] : Object.keys(STATE_NAMES);
      const byState = await Promise.all(
        states.map(async (s) => [s, await cases.count({ ...filter, state: s })] as const),
      );
      for (const [s, n] of byState) if (n > 0) counts.set(s, n);
    }
    // The people of the cases this person has a reason to see, in one look-up for the whole list.
    const people = await peopleFor(cases, caller, all, prefetched);
    const needle = search.toLowerCase().replace(/\s+/g, ' ');
    const found = needle
      ? all.filter(
          (r) =>
            (r.reference ?? '').toLowerCase().replace(/\s+/g, '') === needle.replace(/ /g, '') ||
            (r.reference ?? '').toLowerCase().startsWith(needle) ||
            (people.get(r.caseId) ?? []).some((p) => p.name.toLowerCase().includes(needle)),
        )
      : all;
    const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
    const rowOf = caseRows();
    const shown = found
      .slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE)
      .map((r) => ({ ...rowOf(r), people: people.get(r.caseId) }));
    const named = shown.filter((r) => r.people).map((r) => r.caseId);
    if (named.length)
      await o.accessLog.record({
        who: caller,
        caseId: LIST_READ,
        caseIds: named,
        what: 'list',
        why: 'team caseload',
      });
    const query = (extra: Record<string, string | number>) =>
      '?' +
      new URLSearchParams(
        Object.entries({ pathway, state, worker, dueBy, sort, ...extra }).filter(
          ([, v]) => v !== undefined,
        ) as [string, string][],
      ).toString();
    return page(reply, 'caseload.njk', {
      ...nav(caller, '/app/caseload'),
      caseRows: shown,
      total,
      listed: all.length,
      counts: [...counts.entries()].map(([s, n]) => ({ state: s, name: stateName(s), n })),
      filters: { pathway, state, worker, dueBy, sort, q: search },
      csrf,
      here: query({}),
      dueByInput: due.input,
      errors: due.error ? [due.error] : [],
      matched: needle ? found.length : undefined,
      pathways: PATHWAYS.map((p) => ({ value: p, text: pathwayName(p) })),
      pageNo,
      pages,
      prev: pageNo > 1 ? query({ page: pageNo - 1 }) : undefined,
      next: pageNo < pages ? query({ page: pageNo + 1 }) : undefined,
      sortByDeadline: query({ sort: 'deadline' }),
      sortByRelease: query({ sort: 'release' }),
    });
  });
  web.get('/app/caseload', hide, caseload);
  web.post('/app/caseload', hide, caseload);
}
