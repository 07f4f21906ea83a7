import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seesAllTeams, seesTeam, TeamId } from '../auth/caller';
import type { CaseClient } from '../client/cases';
import { ConsultationClient } from '../client/consultations';
import type { ConsultationView as View } from '../contract/consultation';
import { pathways, PATHWAYS } from '../machines';
import { Consultation, ConsultationOutcome } from '../machines/consultation';
import type { AccessLog } from '../store/accessLog';
import { staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';
import { AccessReason, CallerEventId, CaseView, UUID } from './schemas';
import { actingRole, viewForAll, type Staff } from '../access/rules';
import { callerEventId } from '../client/cases';

const ConsultationParams = z.object({
  id: z.string().regex(new RegExp(`^consultation-${UUID}$`), 'not a consultation id'),
});

const Actor = z.object({ id: z.string(), role: z.string() });
const ConsultationView = z
  .object({
    consultationId: z.string(),
    pathway: z.enum(PATHWAYS),
    route: z.string(),
    team: z.string(),
    state: z.enum(['open', 'referred', 'closed']),
    open: z.boolean(),
    allowedActions: z.array(z.string()),
    receivedAt: z.string(),
    recordedBy: Actor,
    lapsesAt: z.string().optional(),
    caseId: z.string().optional(),
    outcome: z.string().optional(),
    closedAt: z.string().optional(),
    timeline: z.array(
      z.object({
        at: z.string(),
        actor: Actor,
        type: z.string(),
        note: z.string().optional(),
        caseId: z.string().optional(),
        restricted: z.boolean().optional(),
      }),
    ),
    consultation: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ConsultationView' });

const ConsultationBody = z.object({ consultation: Consultation, team: TeamId.optional() }).strict();
const CloseBody = z
  .object({
    outcome: ConsultationOutcome.exclude(['lapsed']),
    note: z.string().trim().min(1).max(2000).optional(),
    eventId: CallerEventId.optional(),
  })
  .strict();
const ReferBody = z
  .discriminatedUnion(
    'pathway',
    PATHWAYS.map((id) =>
      z.object({ pathway: z.literal(id), referral: pathways[id].referral }).strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: 'ConsultationReferral' });

/** Without a reason, a consultation shows its process only: no names, no concern, no notes. */
function withoutPersonalData(view: View): z.infer<typeof ConsultationView> {
  const { consultation: _c, timeline, ...rest } = view;
  return {
    ...rest,
    timeline: timeline.map(({ note, ...e }) => (note ? { ...e, restricted: true } : e)),
  };
}

const CASE_STAFF = ['caseworker', 'supervisor'] as const;
const ANY_STAFF = ['caseworker', 'supervisor', 'admin'] as const;
/** Routes here admit only caseworkers and supervisors, so a role is always found. */
const actorOf = (caller: Staff) => ({ id: caller.id, role: actingRole(caller, CASE_STAFF)! });

export function registerConsultationRoutes(
  base: FastifyInstance,
  cases: CaseClient,
  o: { accessLog: AccessLog; writesPerMinute: number },
): void {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const consultations = new ConsultationClient(cases);
  const security = STAFF_SECURITY;
  const writes = { rateLimit: { max: o.writesPerMinute, timeWindow: '1 minute' } };
  const teamsOf = (caller: Staff) => (seesAllTeams(caller) ? undefined : caller.teams);

  async function visible(caller: Staff, id: string): Promise<View> {
    const view = await consultations.view(id);
    if (!seesTeam(caller, view.team))
      throw new ApiProblem('forbidden', 'this consultation belongs to another team');
    return view;
  }

  app.post(
    '/consultations',
    {
      config: { access: { staff: CASE_STAFF }, ...writes },
      schema: {
        summary: 'Record a duty-line call or consultation request',
        security,
        body: ConsultationBody,
        response: { 201: ConsultationView, ...problemResponses },
      },
    },
    async (req, reply) => {
      const caller = staffOf(req);
      const team = req.body.team ?? caller.teams[0];
      if (!team || !caller.teams.includes(team))
        throw new ApiProblem('forbidden', 'you can record consultations only for your own teams');
      const view = await consultations.record(req.body.consultation, actorOf(caller), team);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/consultations',
    {
      config: { access: { staff: ANY_STAFF } },
      schema: {
        summary: "Your teams' consultations, soonest to lapse first",
        security,
        querystring: z.object({ open: z.enum(['true', 'false']).optional() }).strict(),
        response: {
          200: z.array(
            z.object({
              consultationId: z.string(),
              pathway: z.string(),
              state: z.string(),
              team: z.string().optional(),
              lapsesAt: z.string().optional(),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    (req) => {
      const teams = teamsOf(staffOf(req));
      return consultations.list({
        ...(teams ? { teams } : {}),
        ...(req.query.open ? { open: req.query.open === 'true' } : {}),
      });
    },
  );

  app.get(
    '/consultations/:id',
    {
      config: { access: { staff: ANY_STAFF } },
      schema: {
        summary: 'A consultation; what was said only with a reason, for its team',
        security,
        params: ConsultationParams,
        querystring: z.object({ reason: AccessReason.optional() }).strict(),
        response: { 200: ConsultationView, ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const view = await visible(caller, req.params.id);
      if (!req.query.reason) return withoutPersonalData(view);
      if (!caller.teams.includes(view.team) || !CASE_STAFF.some((r) => caller.roles.includes(r)))
        throw new ApiProblem('forbidden', 'only staff of the team may read what was said');
      await o.accessLog.record({
        who: caller,
        caseId: req.params.id,
        what: 'consultation',
        why: req.query.reason,
      });
      return view;
    },
  );

  app.post(
    '/consultations/:id/close',
    {
      config: { access: { staff: CASE_STAFF }, ...writes },
      schema: {
        summary: 'Close a consultation without a referral',
        description: 'Refused with 409 naming the state and the allowed actions when it is no longer open.',
        security,
        params: ConsultationParams,
        body: CloseBody,
        response: { 200: ConsultationView, ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      await visible(caller, req.params.id);
      const view = await consultations.close(
        req.params.id,
        {
          outcome: req.body.outcome,
          eventId: callerEventId(caller.id, req.body.eventId),
          ...(req.body.note ? { note: req.body.note } : {}),
        },
        actorOf(caller),
        caller.teams,
      );
      return withoutPersonalData(view);
    },
  );

  app.post(
    '/consultations/:id/referral',
    {
      config: { access: { staff: CASE_STAFF }, ...writes },
      schema: {
        summary: 'Turn a consultation into a referral; retrying finds the same case',
        security,
        params: ConsultationParams,
        body: ReferBody,
        response: {
          201: z.object({ consultation: ConsultationView, case: CaseView.extend({ notice: z.string() }) }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const caller = staffOf(req);
      const before = await visible(caller, req.params.id);
      const body = req.body as { pathway: string; referral: unknown };
      if (body.pathway !== before.pathway)
        throw new ApiProblem('notAllowed', `this consultation was about the ${before.pathway} pathway`);
      const done = await consultations.refer(req.params.id, body.referral, actorOf(caller), caller.teams);
      return reply.code(201).send({
        consultation: withoutPersonalData(done.consultation),
        case: { ...viewForAll(done.case), notice: pathways[done.case.pathway].notice },
      });
    },
  );
}
