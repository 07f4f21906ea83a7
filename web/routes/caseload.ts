import type { FastifyInstance } from 'fastify';
import { seesAllTeams } from '../../auth/caller';
import { PATHWAYS, type PathwayId } from '../../machines';
import { pathwayName, STATE_NAMES, stateName } from '../../machines/plainEnglish';
import { caseRow } from '../viewModels/caseRow';
import { hide, type Kit } from './kit';

const PAGE_SIZE = 25;
/** Rows read for one caseload view; counts are exact beyond it. */
const LIST_LIMIT = 2000;

/** The team caseload: every open case of the caller's teams, filtered, counted by state. */
export function caseloadRoutes(web: FastifyInstance, { handle, page, nav, cases }: Kit): void {
  web.get(
    '/app/caseload',
    hide,
    handle(async (req, reply, { caller }) => {
      const q = req.query as Record<string, string | undefined>;
      const pathway = PATHWAYS.includes(q.pathway as PathwayId) ? (q.pathway as PathwayId) : undefined;
      const state = q.state && /^[A-Za-z]{1,40}$/.test(q.state) ? q.state : undefined;
      const worker = q.worker && /^[A-Za-z0-9._-]{1,64}$/.test(q.worker) ? q.worker : undefined;
      const dueBy = q.dueBy && /^\d{4}-\d{2}-\d{2}$/.test(q.dueBy) ? q.dueBy : undefined;
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
      const [all, total] = await Promise.all([cases.caseload(filter, LIST_LIMIT), cases.count(filter)]);
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
      const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
      const shown = all.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE).map((r) => caseRow(r));
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
        filters: { pathway, state, worker, dueBy, sort },
        pathways: PATHWAYS.map((p) => ({ value: p, text: pathwayName(p) })),
        pageNo,
        pages,
        prev: pageNo > 1 ? query({ page: pageNo - 1 }) : undefined,
        next: pageNo < pages ? query({ page: pageNo + 1 }) : undefined,
        sortByDeadline: query({ sort: 'deadline' }),
        sortByRelease: query({ sort: 'release' }),
      });
    }),
  );
}
