import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { seesAllTeams } from '../../auth/caller';
import { ZONE } from '../../calendar/calendar';
import { longDate } from '../../calendar/words';
import type { Staff } from '../../access/rules';
import type { CaseClient } from '../../client/cases';
import { annexA, annexAWorkbook } from '../../returns/annexA';
import { cinReturn } from '../../returns/cin/fromCases';
import { cinCensusXml } from '../../returns/cin/xml';
import { frontDoorCases } from '../../returns/read';
import { LIST_READ, type AccessLog } from '../../store/accessLog';
import type { Posted } from '../forms';

type Handler = (
  fn: (req: FastifyRequest, reply: FastifyReply, me: { caller: Staff; csrf: string }) => Promise<unknown>,
) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface ReturnPageKit {
  handle: Handler;
  page: (reply: FastifyReply, template: string, ctx: object, status?: number) => FastifyReply;
  nav: (caller: Staff, current: string) => object;
  cases: CaseClient;
  accessLog: AccessLog;
  /** The local authority's three-digit code, for the census header. */
  lea: string;
}

/** Supervisors (of their teams' children) and administrators (of every team's) make the returns. */
export const makesReturns = (caller: Staff) =>
  caller.roles.includes('supervisor') || caller.roles.includes('admin');

/** The collection year a date falls in: 1 April to 31 March, `2025-26`. */
export function collectionYearOf(date: string): string {
  const year = Number(date.slice(0, 4)) - (date.slice(5) < '04-01' ? 1 : 0);
  return `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
}

/** The last three collection years, newest first: those a return may be made for. */
function collectionYears(today: string): string[] {
  const start = Number(collectionYearOf(today).slice(0, 4));
  return [0, 1, 2].map((n) => `${start - n}-${String((start - n + 1) % 100).padStart(2, '0')}`);
}

/** A GOV.UK date input's three fields as a date, or what is wrong with them. */
function dateFrom(posted: Posted, name: string): { date: string } | { error: string } {
  const part = (p: string) => String(posted[`${name}-${p}`] ?? '').trim();
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (!day && !month && !year) return { error: 'Enter the inspection date' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { error: 'The inspection date must be a real date, for example 2 3 2026' };
  const d = DateTime.fromObject(
    { day: Number(day), month: Number(month), year: Number(year) },
    { zone: ZONE },
  );
  return d.isValid ? { date: d.toISODate() } : { error: 'The inspection date must be a real date' };
}

/**
 * The statutory returns, for those who make them: the Children in Need census for a collection
 * year and Ofsted's Annex A lists for an inspection date, built from the front door's cases on
 * request and never kept; each download is one access-log row naming every case it read.
 */
export function registerReturnPages(web: FastifyInstance, kit: ReturnPageKit): void {
  const hide = { schema: { hide: true } };
  const today = () => DateTime.now().setZone(ZONE).toISODate()!;

  const form = (
    reply: FastifyReply,
    caller: Staff,
    csrf: string,
    errors: Record<string, string> = {},
    status = 200,
  ) =>
    kit.page(
      reply,
      'returns.njk',
      {
        ...kit.nav(caller, '/app/returns'),
        csrf,
        years: collectionYears(today()).map((y) => ({
          value: y,
          text: `${y.slice(0, 4)} to 20${y.slice(5)}`,
        })),
        fieldErrors: errors,
        errors: Object.entries(errors).map(([href, text]) => ({ href: `#${href}`, text })),
        scope: seesAllTeams(caller) ? 'every team' : `your teams (${caller.teams.join(', ')})`,
      },
      status,
    );

  const refuse = (reply: FastifyReply, caller: Staff) =>
    kit.page(
      reply,
      'error.njk',
      {
        ...kit.nav(caller, ''),
        title: 'You cannot make returns',
        message: 'Statutory returns are made by supervisors and administrators.',
      },
      403,
    );

  /** The front door's cases the caller answers for: every team's for administrators. */
  async function casesFor(caller: Staff) {
    const all = seesAllTeams(caller);
    return frontDoorCases({
      caseload: (filter, limit) =>
        kit.cases.caseload({ ...filter, ...(all ? {} : { teams: caller.teams }) }, limit),
      details: (id) => kit.cases.details(id),
      timeline: (id) => kit.cases.timeline(id),
    });
  }

  const reasonOf = (posted: Posted) => String(posted.reason ?? '').trim();
  const reasonError = 'Enter why you are making this return (3 to 200 characters)';

  web.get(
    '/app/returns',
    hide,
    kit.handle(async (_req, reply, { caller, csrf }) =>
      makesReturns(caller) ? form(reply, caller, csrf) : refuse(reply, caller),
    ),
  );

  web.post(
    '/app/returns/cin',
    hide,
    kit.handle(async (req, reply, { caller, csrf }) => {
      if (!makesReturns(caller)) return refuse(reply, caller);
      const posted = (req.body ?? {}) as Posted;
      const year = String(posted.year ?? '');
      const reason = reasonOf(posted);
      const errors: Record<string, string> = {};
      if (!collectionYears(today()).includes(year)) errors['year'] = 'Choose a collection year';
      if (reason.length < 3 || reason.length > 200) errors['cin-reason'] = reasonError;
      if (Object.keys(errors).length) return form(reply, caller, csrf, errors, 400);
      const read = await casesFor(caller);
      const madeAt = DateTime.now().setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm:ss");
      const r = cinReturn(read.cases, { collectionYear: year, lea: kit.lea, madeAt });
      await kit.accessLog.record({
        who: caller,
        caseId: LIST_READ,
        caseIds: read.cases.map((c) => c.caseId),
        what: 'return',
        why: `Children in Need census ${year}: ${reason}`,
      });
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="cin-census-${year}.xml"`)
        .type('application/xml; charset=utf-8')
        .send(cinCensusXml(r.census));
    }),
  );

  web.post(
    '/app/returns/annex-a',
    hide,
    kit.handle(async (req, reply, { caller, csrf }) => {
      if (!makesReturns(caller)) return refuse(reply, caller);
      const posted = (req.body ?? {}) as Posted;
      const reason = reasonOf(posted);
      const date = dateFrom(posted, 'inspection');
      const months = Number(posted.months ?? '6');
      const errors: Record<string, string> = {};
      if ('error' in date) errors['inspection'] = date.error;
      else if (date.date > today()) errors['inspection'] = 'The inspection date must be today or in the past';
      if (![6, 12].includes(months)) errors['months'] = 'Choose how far back the lists go';
      if (reason.length < 3 || reason.length > 200) errors['annex-reason'] = reasonError;
      if (Object.keys(errors).length || 'error' in date) return form(reply, caller, csrf, errors, 400);
      const read = await casesFor(caller);
      const lists = annexA(read.cases, { inspectionDate: date.date, months });
      await kit.accessLog.record({
        who: caller,
        caseId: LIST_READ,
        caseIds: read.cases.map((c) => c.caseId),
        what: 'return',
        why: `Annex A for ${longDate(date.date)}: ${reason}`,
      });
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="annex-a-${date.date}.xlsx"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await annexAWorkbook(lists));
    }),
  );
}
