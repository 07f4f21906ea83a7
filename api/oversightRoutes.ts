import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seesTeam } from '../auth/caller';
import { needsToKnow, type Staff } from '../access/rules';
import type { CaseClient } from '../client/cases';
import { FreeText } from '../machines/common/envelope';
import type { AccessLog } from '../store/accessLog';
import { SIGN_OFF_SUBJECTS, SignOffError, type OversightStore } from '../store/oversight';
import type { Records } from '../store/records';
import { staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';
import { CaseParams, OptionalReasonQuery } from './schemas';

const Subject = z.enum(SIGN_OFF_SUBJECTS);

const SignOff = z
  .object({
    caseId: z.string(),
    subject: Subject,
    signedBy: z.string(),
    signedAt: z.string(),
    hasNote: z.boolean(),
    note: z.string().optional(),
  })
  .meta({ id: 'SignOff' });

const Awaiting = z.object({
  caseId: z.string(),
  reference: z.string().optional(),
  pathway: z.string(),
  team: z.string(),
  subject: Subject,
  since: z.string(),
  namedWorker: z.string().optional(),
});

/** At most this many cases awaiting sign-off in one answer, oldest first. */
const MAX_AWAITING = 500;

/**
 * Management oversight: supervisors sign off assessment outcomes and closures (after the case's
 * workflow has ended, too), and see what awaits their sign-off. Sign-offs are kept in the record
 * store; their notes are read only by those who need to know, each read logged.
 */
export function registerOversightRoutes(
  base: FastifyInstance,
  cases: CaseClient,
  accessLog: AccessLog,
  /** The record store's parts; without its oversight store the routes answer 503. */
  records: Partial<Records> | undefined,
): void {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const security = STAFF_SECURITY;
  const oversight = (): OversightStore => {
    if (!records?.oversight) throw new ApiProblem('unavailable', 'the record store is not available');
    return records.oversight;
  };

  /** The case's team and named worker: from its report facts, else from the case itself. */
  async function caseOf(caseId: string): Promise<{ team: string; namedWorker?: string }> {
    const subjects = await oversight().subjectsOf(caseId);
    if (subjects) return subjects;
    const view = await cases.view(caseId).catch(() => undefined);
    if (!view) throw new ApiProblem('notFound', 'no such case');
    return view;
  }

  app.get(
    '/oversight/awaiting',
    {
      config: { access: { staff: ['supervisor', 'admin'] } },
      schema: {
        summary:
          'Assessment outcomes and closures awaiting a supervisor’s sign-off: a supervisor’s own teams, or every team for administrators',
        security,
        response: { 200: z.array(Awaiting), ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const teams = caller.roles.includes('admin') ? null : caller.teams;
      const awaiting = await oversight().awaiting(teams, MAX_AWAITING);
      const references =
        (await records?.references?.many([...new Set(awaiting.map((a) => a.caseId))])) ??
        new Map<string, string>();
      return awaiting.map((a) => {
        const reference = references.get(a.caseId);
        return reference ? { ...a, reference } : a;
      });
    },
  );

  app.post(
    '/cases/:id/sign-off',
    {
      config: { access: { staff: ['supervisor'] } },
      schema: {
        summary:
          'Sign off the case’s assessment outcome or its closure (a supervisor of the case’s team), once each',
        security,
        params: CaseParams,
        body: z.object({ subject: Subject, note: FreeText.optional() }).strict(),
        response: { 200: SignOff, ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const { team } = await caseOf(req.params.id);
      if (!caller.roles.includes('supervisor') || !caller.teams.includes(team))
        throw new ApiProblem('forbidden', "only a supervisor of the case's team may sign it off");
      try {
        return await oversight().signOff(req.params.id, req.body.subject, caller.id, req.body.note);
      } catch (err) {
        if (err instanceof SignOffError) throw new ApiProblem('notAllowed', err.message);
        throw err;
      }
    },
  );

  app.get(
    '/cases/:id/sign-offs',
    {
      config: { access: { staff: ['caseworker', 'supervisor', 'admin'] } },
      schema: {
        summary:
          'The case’s sign-offs; their notes only with a reason, for those who need to know, each read logged',
        security,
        params: CaseParams,
        querystring: OptionalReasonQuery,
        response: { 200: z.array(SignOff), ...problemResponses },
      },
    },
    async (req) => {
      const caller: Staff = staffOf(req);
      const c = await caseOf(req.params.id);
      if (!seesTeam(caller, c.team)) throw new ApiProblem('forbidden', 'this case belongs to another team');
      const why = req.query.reason;
      if (!why) return oversight().signOffs(req.params.id, false);
      if (!needsToKnow(caller, c))
        throw new ApiProblem(
          'forbidden',
          'only the named worker or a supervisor of the team may read the notes',
        );
      const signOffs = await oversight().signOffs(req.params.id, true);
      if (signOffs.some((s) => s.note !== undefined))
        await accessLog.record({ who: caller, caseId: req.params.id, what: 'sign-off-note', why });
      return signOffs;
    },
  );
}
