import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { seesTeam } from '../auth/caller';
import { localDate, ZONE } from '../calendar/calendar';
import type { CaseClient } from '../client/cases';
import { NhsNumber, PersonName } from '../machines/common/people';
import type { AccessLog, LoggedAccess } from '../store/accessLog';
import { HoldError, NotArchivedError, type StoreArchive } from '../store/archive';
import type { PersonIndex } from '../store/people';
import type { Staff } from '../access/rules';
import { staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';
import { AccessReason, CaseParams } from './schemas';

export interface RecordRoutesOptions {
  accessLog: AccessLog;
  people?: PersonIndex;
  archive?: Pick<StoreArchive, 'entry' | 'holds' | 'hold' | 'lift'>;
}

const Entry = z.object({
  seq: z.number(),
  at: z.string(),
  who: z.object({ id: z.string(), roles: z.array(z.string()).readonly() }),
  caseId: z.string(),
  what: z.string(),
  why: z.string(),
});

/** A period of local (UK) dates, inclusive, as instants: from the start of `from` to the end of `to`. */
function period(from?: string, to?: string): { from?: Date; to?: Date } {
  const start = (d: string) => DateTime.fromISO(d, { zone: ZONE }).startOf('day').toJSDate();
  return {
    ...(from ? { from: start(from) } : {}),
    ...(to ? { to: DateTime.fromISO(to, { zone: ZONE }).plus({ days: 1 }).startOf('day').toJSDate() } : {}),
  };
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** An access history as CSV, for a subject access request or an audit. */
export function accessCsv(entries: readonly LoggedAccess[]): string {
  const rows = [['when', 'staff_id', 'roles', 'case', 'what', 'why']].concat(
    entries.map((e) => [e.at, e.who.id, e.who.roles.join(' '), e.caseId, e.what, e.why]),
  );
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const Period = { from: localDate.optional(), to: localDate.optional() };
const MAX_ROWS = 10_000;

/**
 * The record store's doors: who has looked at a case, a person's access history for a subject
 * access request, and legal holds on archived records. Each look at the log is itself logged.
 */
export function registerRecordRoutes(base: FastifyInstance, cases: CaseClient, o: RecordRoutesOptions): void {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const security = STAFF_SECURITY;

  /** Supervisors of the case's team and administrators: whose job it is to answer for its reads. */
  async function answersFor(caller: Staff, caseId: string): Promise<void> {
    if (caller.roles.includes('admin')) return;
    const view = await cases.view(caseId).catch(() => undefined);
    if (!view || !caller.roles.includes('supervisor') || !seesTeam(caller, view.team))
      throw new ApiProblem(
        'forbidden',
        "only a supervisor of the case's team or an administrator may see who read it",
      );
  }

  app.get(
    '/cases/:id/access',
    {
      config: { access: { staff: ['supervisor', 'admin'] } },
      schema: {
        summary: 'Who has looked at this case: every read of its personal data, when and why',
        security,
        params: CaseParams,
        querystring: z.object({ reason: AccessReason, ...Period }).strict(),
        response: { 200: z.array(Entry), ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      await answersFor(caller, req.params.id);
      await o.accessLog.record({
        who: caller,
        caseId: req.params.id,
        what: 'access-history',
        why: req.query.reason,
      });
      return o.accessLog.find({
        caseId: req.params.id,
        ...period(req.query.from, req.query.to),
        limit: MAX_ROWS,
      });
    },
  );

  app.post(
    '/access-log/person',
    {
      config: { access: { staff: ['admin'] } },
      schema: {
        summary:
          "A person's access history across every case they are known in (subject access requests), as CSV",
        description:
          'The person is found through the person index by NHS number, or by name and date of birth; identifiers travel in the body, never in the address.',
        security,
        body: z
          .object({
            nhsNumber: NhsNumber.optional(),
            name: PersonName.optional(),
            dateOfBirth: localDate.optional(),
            reason: AccessReason,
            ...Period,
          })
          .strict()
          .refine((b) => b.nhsNumber || (b.name && b.dateOfBirth), {
            message: 'give an NHS number, or a name and date of birth',
          }),
        response: { 200: z.string(), ...problemResponses },
      },
    },
    async (req, reply) => {
      const caller = staffOf(req);
      if (!o.people) throw new ApiProblem('unavailable', 'the person index is not available');
      const { reason, from, to, ...person } = req.body;
      const matches = await o.people.find(person);
      const caseIds = [...new Set(matches.map((m) => m.caseId))];
      for (const caseId of caseIds)
        await o.accessLog.record({ who: caller, caseId, what: 'person-search', why: reason });
      const entries = await o.accessLog.find({ caseIds, ...period(from, to), limit: MAX_ROWS });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="access-history.csv"')
        .send(accessCsv(entries));
    },
  );

  const Hold = z.object({
    caseId: z.string(),
    reason: z.string(),
    placedBy: z.string(),
    placedAt: z.string(),
    lifted: z.object({ by: z.string(), at: z.string(), reason: z.string() }).optional(),
  });
  const archive = () => {
    if (!o.archive) throw new ApiProblem('unavailable', 'the archive is not available');
    return o.archive;
  };
  const holdProblem = (err: unknown): never => {
    if (err instanceof HoldError || err instanceof NotArchivedError)
      throw new ApiProblem('notAllowed', err.message);
    throw err;
  };

  app.get(
    '/archive/:id',
    {
      config: { access: { staff: ['admin'] } },
      schema: {
        summary:
          "A closed case's archive entry and legal holds (administrators): dates only, never the record",
        security,
        params: CaseParams,
        response: {
          200: z.object({
            caseId: z.string(),
            pathway: z.string(),
            closedAt: z.string(),
            retainUntil: z.string(),
            purgedAt: z.string().optional(),
            holds: z.array(Hold),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const entry = await archive().entry(req.params.id);
      if (!entry) throw new ApiProblem('notFound', `no archived record for case ${req.params.id}`);
      const { keyId: _keyId, ...shown } = entry;
      return { ...shown, holds: await archive().holds(req.params.id) };
    },
  );

  for (const [path, summary, act] of [
    ['hold', 'Place a legal hold: the retention purge skips the record until it is lifted', 'hold'],
    ['lift-hold', 'Lift the legal hold in force, with a reason', 'lift'],
  ] as const) {
    app.post(
      `/archive/:id/${path}`,
      {
        config: { access: { staff: ['admin'] } },
        schema: {
          summary: `${summary} (administrators)`,
          security,
          params: CaseParams,
          body: z.object({ reason: AccessReason }).strict(),
          response: { 200: Hold, ...problemResponses },
        },
      },
      async (req) => {
        const caller = staffOf(req);
        return archive()
          [act](req.params.id, { id: caller.id, role: 'admin', roles: caller.roles }, req.body.reason)
          .catch(holdProblem);
      },
    );
  }
}
