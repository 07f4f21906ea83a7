import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { seesAllTeams, seesTeam } from '../../auth/caller';
import { shippedHolidays } from '../../calendar/holidays';
import { dateTime, deadlineInWords, words } from '../../calendar/words';
import { CaseInputError, CaseRefusedError, type CaseClient } from '../../client/cases';
import { CONSULTATION_PREFIX, ConsultationClient } from '../../client/consultations';
import { Consultation, ConsultationOutcome } from '../../machines/consultation';
import { pathwayName } from '../../machines/plainEnglish';
import { actingRole, type Staff } from '../../access/rules';
import { z } from '../../validation/zod';
import { fieldsOf, formErrors, inlineMessages, readForm, type FormErrors, type Posted } from '../forms';
import { PageError } from '../pageError';
import { formRoute } from './formRoute';
import { renderFields } from '../render';

type Me = { caller: Staff; csrf: string };
type Handler = (
  fn: (req: FastifyRequest, reply: FastifyReply, me: Me) => Promise<unknown>,
) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface ConsultationPageKit {
  handle: Handler;
  page: (reply: FastifyReply, template: string, ctx: object, status?: number) => FastifyReply;
  nav: (caller: Staff, current: string) => object;
  cases: CaseClient;
}

export const ConsultationId = z.string().regex(new RegExp(`^${CONSULTATION_PREFIX}[0-9a-f-]{36}$`));

const ROUTE_NAMES: Record<string, string> = {
  dutyLine: 'Duty line call',
  consultationRequest: 'Consultation request',
};
const OUTCOME_NAMES: Record<string, string> = {
  adviceGiven: 'Advice given',
  signposted: 'Signposted to other services',
  noFurtherAction: 'No further action',
  lapsed: 'Lapsed',
};
const STATE_NAMES: Record<string, string> = { open: 'Open', referred: 'Became a referral', closed: 'Closed' };

/** What the person fills in: the service stamps when it was received. */
const recordFields = () => fieldsOf(Consultation, '', ['receivedAt']);
const CloseForm = z.object({
  outcome: ConsultationOutcome.exclude(['lapsed']),
  note: z.string().trim().max(2000).optional(),
});
const closeFields = () => fieldsOf(CloseForm);

/** Duty-line calls and consultation requests: recorded, listed, closed as advice or made a referral. */
export function registerConsultationPages(web: FastifyInstance, kit: ConsultationPageKit): void {
  const hide = { schema: { hide: true } };
  const consultations = new ConsultationClient(kit.cases);
  const teamsOf = (caller: Staff) => (seesAllTeams(caller) ? undefined : caller.teams);
  const mustWork = (caller: Staff) => {
    const role = actingRole(caller, ['caseworker', 'supervisor']);
    if (!role) throw new PageError(403, 'Only caseworkers and supervisors take duty-line calls.');
    return role;
  };

  async function visible(caller: Staff, id: string) {
    if (!ConsultationId.safeParse(id).success) throw new PageError(404, 'There is no such consultation.');
    const view = await consultations.view(id);
    if (!seesTeam(caller, view.team)) throw new PageError(403, 'This consultation belongs to another team.');
    return view;
  }

  web.get(
    '/app/consultations',
    hide,
    kit.handle(async (req, reply, { caller }) => {
      const now = new Date().toISOString();
      const teams = teamsOf(caller);
      const rows = await consultations.list({ ...(teams ? { teams } : {}), open: true });
      return kit.page(reply, 'consultations.njk', {
        ...kit.nav(caller, '/app/consultations'),
        rows: rows.map((r) => ({
          ...r,
          pathwayName: pathwayName(r.pathway),
          lapses: r.lapsesAt ? deadlineInWords(r.lapsesAt, now, shippedHolidays) : undefined,
        })),
        done: (req.query as { done?: string }).done,
      });
    }),
  );

  const recordPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const role = mustWork(me.caller);
    const fields = recordFields();
    let errors: FormErrors = new Map();
    if (posted) {
      const candidate = { ...readForm(fields, posted), receivedAt: new Date().toISOString() };
      const parsed = Consultation.safeParse(candidate);
      if (parsed.success) {
        const team = me.caller.teams[0];
        if (!team) throw new PageError(403, 'You are not in a team.');
        try {
          const view = await consultations.record(parsed.data, { id: me.caller.id, role }, team);
          return reply.redirect(`/app/consultations/${view.consultationId}?done=recorded`, 303);
        } catch (err) {
          if (!(err instanceof CaseInputError)) throw err;
          errors.set('', { text: err.message, href: '#main-content' });
        }
      } else errors = formErrors(fields, parsed.error.issues, posted);
    }
    return kit.page(
      reply,
      'consultation-new.njk',
      {
        ...kit.nav(me.caller, '/app/consultations'),
        formHtml: renderFields(fields, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        csrf: me.csrf,
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/consultations/new', kit.handle, recordPage);

  const consultationPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const id = (req.params as { id: string }).id;
    let view = await visible(me.caller, id);
    const fields = closeFields();
    let errors: FormErrors = new Map();
    if (posted) {
      const role = mustWork(me.caller);
      const parsed = CloseForm.safeParse(readForm(fields, posted));
      if (parsed.success) {
        try {
          view = await consultations.close(
            id,
            { ...parsed.data, eventId: z.uuid().safeParse(posted.eventId).data ?? randomUUID() },
            { id: me.caller.id, role },
            teamsOf(me.caller),
          );
          return reply.redirect(`/app/consultations/${id}?done=closed`, 303);
        } catch (err) {
          if (!(err instanceof CaseRefusedError) || err.code === 'forbidden') throw err;
          errors.set('', { text: err.message, href: '#main-content' });
        }
      } else errors = formErrors(fields, parsed.error.issues, posted);
    }
    const now = new Date().toISOString();
    return kit.page(
      reply,
      'consultation.njk',
      {
        ...kit.nav(me.caller, '/app/consultations'),
        view,
        pathwayName: pathwayName(view.pathway),
        routeName: ROUTE_NAMES[view.route] ?? words(view.route),
        stateName: STATE_NAMES[view.state] ?? words(view.state),
        outcomeName: view.outcome ? (OUTCOME_NAMES[view.outcome] ?? words(view.outcome)) : undefined,
        received: dateTime(view.receivedAt),
        lapses: view.lapsesAt ? deadlineInWords(view.lapsesAt, now, shippedHolidays) : undefined,
        timeline: view.timeline.map((e) => ({
          ...e,
          when: dateTime(e.at),
          what: e.type === 'CLOSED' ? 'Closed' : e.type === 'REFERRED' ? 'Made a referral' : words(e.type),
        })),
        canAct: view.open && !!actingRole(me.caller, ['caseworker', 'supervisor']),
        closeHtml: renderFields(fields, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        csrf: me.csrf,
        eventId: randomUUID(),
        done: (req.query as { done?: string }).done,
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/consultations/:id', kit.handle, consultationPage);
}
