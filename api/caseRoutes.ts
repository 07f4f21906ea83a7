import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REPORT_TYPES, scopeAllows, seesAllTeams, seesTeam, type StaffRole } from '../auth/caller';
import type { Outbox } from '../activities/notifier';
import { callerEventId, type CaseClient } from '../client/cases';
import { chronologyOf } from '../client/chronology';
import { INDEXED_FIELDS, reindexPeople } from '../client/reindex';
import { reopenCase, REOPEN_WITHIN_DAYS } from '../client/reopen';
import { FREE_TEXT_FIELDS } from '../machines/common/envelope';
import { pathwayOf } from '../machines';
import type { CaseView as View, TimelineEntry as Entry } from '../contract/case';
import type { AccessLog } from '../store/accessLog';
import {
  actingRole,
  caseToRead,
  NEEDS_RELATIONSHIP,
  TRANSFER_ANSWERS,
  detailsFor,
  timelineFor,
  mayTake,
  needsToKnow,
  viewForAll,
  visibleCase as visibleTo,
  type Staff,
} from '../access/rules';
import { callerOf, staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';
import {
  ActionBody,
  actionsFor,
  Agenda,
  AgendaQuery,
  BankHolidayFeed,
  CaseloadQuery,
  CaseloadRow,
  CaseParams,
  CaseView,
  ChronologyQuery,
  CreatedCase,
  Me,
  OptionalReasonQuery,
  ReasonQuery,
  ReferralBody,
  ReopenBody,
  ReportBody,
  reportsFor,
  rolesFor,
  TimelineEntry,
} from './schemas';

const CASE_STAFF: readonly StaffRole[] = ['caseworker', 'supervisor'];
const ANY_STAFF: readonly StaffRole[] = ['caseworker', 'supervisor', 'admin'];

function withoutFreeText(entry: Entry): Entry & { restricted?: boolean } {
  const { reason, data, ...rest } = entry;
  const kept = data
    ? Object.fromEntries(
        Object.entries(data).filter(([k]) => !(FREE_TEXT_FIELDS as readonly string[]).includes(k)),
      )
    : undefined;
  const restricted =
    reason !== undefined ||
    (data !== undefined && Object.keys(kept ?? {}).length !== Object.keys(data).length);
  return {
    ...rest,
    ...(kept && Object.keys(kept).length ? { data: kept } : {}),
    ...(restricted ? { restricted } : {}),
  };
}

/**
 * The contract takes any pathway's actions; a case takes its own pathway's. A body that fits
 * another pathway conflicts with this case: 409, with what did not fit.
 */
function forThisCase<T>(schema: z.ZodType<T>, caseId: string, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new ApiProblem('notAllowed', `That does not fit a ${caseId.split('-')[0]} case.`, {
    issues: parsed.error.issues
      .slice(0, 20)
      .map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

export interface CaseRoutesOptions {
  outbox?: Outbox;
  accessLog: AccessLog;
  writesPerMinute: number;
}

export function registerCaseRoutes(base: FastifyInstance, cases: CaseClient, o: CaseRoutesOptions): void {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const writes = { rateLimit: { max: o.writesPerMinute, timeWindow: '1 minute' } };
  const staffRoute = (roles: readonly StaffRole[], write = false) => ({
    access: { staff: roles },
    ...(write ? writes : {}),
  });
  const security = STAFF_SECURITY;

  /** A case the caller's teams can see (403 otherwise). */
  const visibleCase = (caller: Staff, caseId: string): Promise<View> => visibleTo(cases, caller, caseId);

  app.get(
    '/me',
    {
      config: { access: { staff: ANY_STAFF } },
      schema: {
        summary: 'Who the service knows you as',
        security,
        response: { 200: Me, ...problemResponses },
      },
    },
    (req) => {
      const c = callerOf(req);
      return c.kind === 'staff'
        ? { id: c.id, kind: c.kind, roles: c.roles, teams: c.teams }
        : { id: c.id, kind: c.kind, scopes: c.scopes };
    },
  );

  app.post(
    '/cases',
    {
      config: staffRoute(CASE_STAFF, true),
      schema: {
        summary: 'Refer: start a case',
        security,
        body: ReferralBody,
        response: { 201: CreatedCase, ...problemResponses },
      },
    },
    async (req, reply) => {
      const caller = staffOf(req);
      const body = req.body as z.infer<typeof ReferralBody> & { team?: string; previousCaseId?: string };
      const team = body.team ?? caller.teams[0];
      if (!team || !caller.teams.includes(team))
        throw new ApiProblem('forbidden', 'you can refer only into your own teams');
      const actor = { id: caller.id, role: actingRole(caller, ['caseworker', 'supervisor'])! };
      const view = await cases.refer(body.pathway as string, body.referral, actor, team, body.previousCaseId);
      return reply.code(201).send({ ...viewForAll(view), notice: pathwayOf(view.pathway).notice });
    },
  );

  app.get(
    '/cases',
    {
      config: staffRoute(ANY_STAFF),
      schema: {
        summary: 'Caseload, from search attributes',
        security,
        querystring: CaseloadQuery,
        response: { 200: z.array(CaseloadRow), ...problemResponses },
      },
    },
    (req) => {
      const caller = staffOf(req);
      const q = req.query;
      if (q.team && !seesTeam(caller, q.team))
        throw new ApiProblem('forbidden', 'that team’s cases are not yours to see');
      return cases.caseload(
        {
          ...(q.pathway ? { pathway: q.pathway } : {}),
          ...(q.state ? { state: q.state } : {}),
          // Cases offered to the caller's teams for transfer: theirs to see (reference only) and answer.
          ...(q.offered === 'true'
            ? { transferTo: q.team ? [q.team] : caller.teams }
            : q.team
              ? { team: q.team }
              : seesAllTeams(caller)
                ? {}
                : { teams: caller.teams }),
          ...(q.worker ? { namedWorker: q.worker } : {}),
          ...(q.reference ? { reference: q.reference } : {}),
          ...(q.priorityGroup ? { priorityGroup: q.priorityGroup } : {}),
          ...(q.open ? { open: q.open === 'true' } : {}),
          ...(q.dueFrom ? { nextDeadlineFrom: q.dueFrom } : {}),
          ...(q.dueTo ? { nextDeadlineTo: q.dueTo } : {}),
        },
        q.limit,
      );
    },
  );

  app.get(
    '/cases/:id',
    {
      config: staffRoute(ANY_STAFF),
      schema: {
        summary: 'State, allowed actions and deadlines',
        security,
        params: CaseParams,
        response: { 200: CaseView, ...problemResponses },
      },
    },
    async (req) => viewForAll(await visibleCase(staffOf(req), req.params.id)),
  );

  app.get(
    '/cases/:id/timeline',
    {
      config: staffRoute(ANY_STAFF),
      schema: {
        summary: 'The audit trail; free text only with a reason, for those who need to know',
        security,
        params: CaseParams,
        querystring: OptionalReasonQuery,
        response: { 200: z.array(TimelineEntry), ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const view = await visibleCase(caller, req.params.id);
      // A team offered the case sees its reference and state, not its trail, until it accepts.
      if (!seesTeam(caller, view.team))
        throw new ApiProblem('forbidden', 'this case belongs to another team');
      const entries = await cases.timeline(req.params.id);
      const why = req.query.reason;
      if (!why) return entries.map(withoutFreeText);
      if (!needsToKnow(caller, view))
        throw new ApiProblem(
          'forbidden',
          'only the named worker or a supervisor of the team may read the free text',
        );
      await o.accessLog.record({ who: caller, caseId: req.params.id, what: 'timeline', why });
      return timelineFor(caller, view, entries);
    },
  );

  app.get(
    '/cases/:id/details',
    {
      config: staffRoute(CASE_STAFF),
      schema: {
        summary: 'The full record with personal data; every read is logged',
        security,
        params: CaseParams,
        querystring: ReasonQuery,
        response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const view = await caseToRead(cases, caller, req.params.id);
      await o.accessLog.record({
        who: caller,
        caseId: req.params.id,
        what: 'details',
        why: req.query.reason,
      });
      return detailsFor(caller, view, await cases.details(req.params.id));
    },
  );

  app.get(
    '/cases/:id/chronology',
    {
      config: staffRoute(CASE_STAFF),
      schema: {
        summary:
          "The case's chronology: its own events and the notes marked significant; every read is logged",
        security,
        params: CaseParams,
        querystring: ChronologyQuery,
        response: { 200: z.array(z.record(z.string(), z.unknown())), ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const view = await caseToRead(cases, caller, req.params.id);
      const { reason, order, from, to } = req.query;
      await o.accessLog.record({ who: caller, caseId: req.params.id, what: 'timeline', why: reason });
      const [timeline, details] = await Promise.all([
        cases.timeline(req.params.id),
        cases.details(req.params.id),
      ]);
      return chronologyOf(timelineFor(caller, view, timeline), detailsFor(caller, view, details), {
        ...(order ? { order } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      }) as unknown as Record<string, unknown>[];
    },
  );

  app.post(
    '/cases/:id/reopen',
    {
      config: staffRoute(CASE_STAFF, true),
      schema: {
        summary: `Reopens a closed case within ${REOPEN_WITHIN_DAYS} days of its closure, as a linked re-referral`,
        description:
          "The same team, pathway and people (as corrected), received now; the reason is the new case's first note. Refused with 409 after the period or while the case is open.",
        security,
        params: CaseParams,
        body: ReopenBody,
        response: { 201: CaseView, ...problemResponses },
      },
    },
    async (req, reply) => {
      const caller = staffOf(req);
      const closed = await caseToRead(cases, caller, req.params.id);
      const role = actingRole(caller, ['caseworker', 'supervisor']);
      if (!role) throw new ApiProblem('forbidden', 'only caseworkers and supervisors reopen cases');
      const opened = await reopenCase(cases, closed, { id: caller.id, role }, req.body.reason);
      return reply.code(201).send(viewForAll(opened));
    },
  );

  app.post(
    '/cases/:id/actions',
    {
      config: staffRoute(CASE_STAFF, true),
      schema: {
        summary: 'A caseworker or supervisor action',
        description:
          'Refused with 409 naming the state and the allowed actions when the case cannot take it now.',
        security,
        params: CaseParams,
        body: ActionBody,
        response: { 200: CaseView, ...problemResponses },
      },
      // Who may act is the machine's role table: checked before the body, so a forbidden action is 403 whatever it carries.
      preValidation: async (req) => {
        const type = (req.body as { type?: unknown } | null)?.type;
        const id = CaseParams.safeParse(req.params);
        if (!id.success || typeof type !== 'string') return;
        const allowed = rolesFor(id.data.id, type);
        if (allowed.length > 0 && !actingRole(staffOf(req), allowed)) {
          throw new ApiProblem(
            'forbidden',
            `${type} needs: ${allowed.filter((r) => r !== 'timer').join(' or ') || 'the case’s own clock'}`,
          );
        }
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const body = forThisCase(actionsFor(req.params.id), req.params.id, req.body);
      const role = actingRole(caller, rolesFor(req.params.id, body.type as string));
      if (!role) throw new ApiProblem('forbidden', `${String(body.type)} is not yours to do`);
      // Ending a case, or writing its record, needs the same relationship to it as reading it; a
      // transfer is answered by a supervisor of the team it is offered to.
      const type = body.type as string;
      if (
        (NEEDS_RELATIONSHIP.includes(type) || TRANSFER_ANSWERS.includes(type)) &&
        !mayTake(caller, await visibleCase(caller, req.params.id), type)
      )
        throw new ApiProblem(
          'forbidden',
          TRANSFER_ANSWERS.includes(type)
            ? 'only a supervisor of the team the case is offered to may answer its transfer'
            : type === 'CLOSE'
              ? 'only the named worker or a supervisor of the team may close this case'
              : "only the named worker or a supervisor of the team may write to this case's record",
        );
      const view = await cases.act(
        req.params.id,
        {
          ...body,
          eventId: callerEventId(caller.id, body.eventId as string | undefined),
          actor: { id: caller.id, role },
        },
        seesAllTeams(caller) ? { allTeams: true } : { teams: caller.teams },
        'api',
      );
      // A corrected name, date of birth or NHS number: the person is found by the new one.
      if (type === 'DETAILS_CORRECTED' && INDEXED_FIELDS.includes(String(body.field)))
        await reindexPeople(cases, req.params.id);
      return viewForAll(view);
    },
  );

  app.post(
    '/cases/:id/reports',
    {
      config: { access: { integration: true }, ...writes },
      schema: {
        summary: "Another system's report (release, recall, care proceedings …); idempotent by eventId",
        security: [{ bearer: [] }],
        params: CaseParams,
        body: ReportBody,
        response: { 202: z.object({ eventId: z.string() }), ...problemResponses },
      },
      preValidation: async (req) => {
        const type = (req.body as { type?: unknown } | null)?.type;
        if (
          typeof type === 'string' &&
          (REPORT_TYPES as readonly string[]).includes(type) &&
          !scopeAllows(callerOf(req), type)
        ) {
          throw new ApiProblem('forbidden', `your client's scope does not cover ${type}`);
        }
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const body = forThisCase(reportsFor(req.params.id), req.params.id, req.body);
      if (!scopeAllows(caller, body.type as string))
        throw new ApiProblem('forbidden', `your client's scope does not cover ${String(body.type)}`);
      const eventId = callerEventId(caller.id, body.eventId as string | undefined);
      await cases.report(
        req.params.id,
        { ...body, eventId, actor: { id: caller.id, role: 'system' } },
        'api',
      );
      return reply.code(202).send({ eventId: (body.eventId as string | undefined) ?? eventId });
    },
  );

  app.get(
    '/agenda',
    {
      config: staffRoute(ANY_STAFF),
      schema: {
        summary: "The team meeting's agenda",
        security,
        querystring: AgendaQuery,
        response: { 200: Agenda, ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const team = req.query.team;
      if (team && !seesTeam(caller, team))
        throw new ApiProblem('forbidden', 'that team’s agenda is not yours to see');
      // A case that cannot be read just now is left out, as on the workspace's pages.
      const { meetings } = await cases.agenda(team, team || seesAllTeams(caller) ? undefined : caller.teams);
      return meetings.map((m) => ({ ...m, cases: m.cases.map(viewForAll) }));
    },
  );

  app.get(
    '/outbox',
    {
      config: staffRoute(['supervisor']),
      schema: {
        summary: 'Messages sent about a case (supervisors of its team)',
        security,
        querystring: z.object({ caseId: CaseParams.shape.id, reason: ReasonQuery.shape.reason }).strict(),
        response: {
          200: z.array(z.object({ id: z.string(), caseId: z.string().optional(), subject: z.string() })),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const view = await visibleCase(caller, req.query.caseId);
      if (!needsToKnow(caller, view))
        throw new ApiProblem('forbidden', 'only a supervisor of the team may read its messages');
      await o.accessLog.record({
        who: caller,
        caseId: req.query.caseId,
        what: 'outbox',
        why: req.query.reason,
      });
      return o.outbox ? o.outbox.list({ caseId: req.query.caseId }) : [];
    },
  );

  app.post(
    '/reference-data/bank-holidays',
    {
      config: staffRoute(['admin'], true),
      schema: {
        summary: 'Send a newer bank-holidays feed to every open case (administrators)',
        security,
        body: BankHolidayFeed,
        response: { 200: z.object({ version: z.string(), cases: z.array(z.string()) }), ...problemResponses },
      },
    },
    (req) => cases.updateReferenceData(req.body, { id: staffOf(req).id, role: 'admin' }),
  );
}
