import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { seesAllTeams } from '../../auth/caller';
import { ZONE } from '../../calendar/calendar';
import { PATHWAYS } from '../../machines';
import { pathwayName } from '../../machines/plainEnglish';
import type { Staff } from '../../access/rules';
import { assembleReport, reportCsv, SUPPRESS_BELOW } from '../../reports/report';
import type { FactStore } from '../../reports/store';
import { z } from '../../validation/zod';
import { dateTime, longDate } from '../../calendar/words';
import { PageError } from '../pageError';

type Handler = (
  fn: (req: FastifyRequest, reply: FastifyReply, me: { caller: Staff; csrf: string }) => Promise<unknown>,
) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface ReportPageKit {
  handle: Handler;
  page: (reply: FastifyReply, template: string, ctx: object, status?: number) => FastifyReply;
  nav: (caller: Staff, current: string) => object;
  facts: FactStore;
  /** Asks for the open cases' facts to be brought up to date now. */
  refresh: () => Promise<void>;
}

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The report's choices, each bounded; anything else falls back to the defaults. */
const ReportQuery = z.object({
  pathway: z.enum(PATHWAYS).catch('parentInfant'),
  from: localDate.optional().catch(undefined),
  to: localDate.optional().catch(undefined),
});

/** Managers and commissioners read figures; nobody else needs them. */
const readsReports = (caller: Staff) => caller.roles.includes('supervisor') || caller.roles.includes('admin');

function period(q: z.infer<typeof ReportQuery>) {
  const today = DateTime.now().setZone(ZONE);
  const valid = (d: string | undefined) => (d && DateTime.fromISO(d, { zone: ZONE }).isValid ? d : undefined);
  const to = valid(q.to) ?? today.toISODate()!;
  let from = valid(q.from) ?? today.minus({ months: 3 }).startOf('month').toISODate()!;
  if (from > to) from = to;
  return { from, to };
}

export function registerReportPages(web: FastifyInstance, kit: ReportPageKit): void {
  const hide = { schema: { hide: true } };

  async function reportFor(req: FastifyRequest, caller: Staff) {
    const q = ReportQuery.parse(req.query ?? {});
    const { from, to } = period(q);
    const options = {
      pathway: q.pathway,
      from,
      to,
      now: new Date().toISOString(),
      ...(seesAllTeams(caller) ? {} : { teams: caller.teams }),
    };
    // Counted in the record store, in SQL; the suppression and labels are the report's own.
    return assembleReport(await kit.facts.tallies(options), options);
  }

  const forbidden = (reply: FastifyReply, caller: Staff) =>
    kit.page(
      reply,
      'error.njk',
      {
        ...kit.nav(caller, ''),
        title: 'You cannot see this',
        message: 'Service reports are for supervisors and service managers.',
      },
      403,
    );

  web.get(
    '/app/reports',
    hide,
    kit.handle(async (req, reply, { caller, csrf }) => {
      if (!readsReports(caller)) return forbidden(reply, caller);
      const report = await reportFor(req, caller);
      const refreshed = await kit.facts.lastRefresh();
      // A chart of nothing but suppressed counts would show nothing: its table says it all.
      const charted = report.tables.filter((t) => t.chart && t.rows.some((r) => r.value !== null));
      const query = new URLSearchParams({ pathway: report.pathway, from: report.from, to: report.to });
      return kit.page(reply, 'reports.njk', {
        ...kit.nav(caller, '/app/reports'),
        report,
        csrf,
        refreshing: (req.query as { refreshing?: string }).refreshing === '1',
        refreshedAt: refreshed ? dateTime(refreshed) : undefined,
        charted: charted.map((t) => t.id),
        fromWords: longDate(report.from),
        toWords: longDate(report.to),
        suppressBelow: SUPPRESS_BELOW,
        pathways: PATHWAYS.map((p) => ({ value: p, text: pathwayName(p), selected: p === report.pathway })),
        csvHref: `/app/reports.csv?${query.toString()}`,
        chartData: JSON.stringify(
          charted.map((t) => ({
            id: t.id,
            title: t.title,
            labels: t.rows.map((r) => r.label),
            values: t.rows.map((r) => r.value),
          })),
        ).replace(/</g, '\\u003c'),
      });
    }),
  );

  web.post(
    '/app/reports/refresh',
    hide,
    kit.handle(async (req, reply, { caller }) => {
      if (!readsReports(caller)) return forbidden(reply, caller);
      await kit.refresh().catch((err: unknown) => {
        // No worker has started yet, so the schedule is not there to run.
        if ((err as { name?: string }).name === 'ScheduleNotFoundError')
          throw new PageError(503, 'The figures cannot be updated until the service has fully started.');
        throw err;
      });
      const q = ReportQuery.parse(req.query ?? {});
      const { from, to } = period(q);
      const back = new URLSearchParams({ pathway: q.pathway, from, to, refreshing: '1' });
      return reply.redirect(`/app/reports?${back.toString()}`, 303);
    }),
  );

  web.get(
    '/app/reports.csv',
    hide,
    kit.handle(async (req, reply, { caller }) => {
      if (!readsReports(caller)) return forbidden(reply, caller);
      const report = await reportFor(req, caller);
      return reply
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="reconnect-${report.pathway}-${report.from}-to-${report.to}.csv"`,
        )
        .type('text/csv; charset=utf-8')
        .send(reportCsv(report));
    }),
  );
}
