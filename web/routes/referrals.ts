import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CaseInputError, CaseRefusedError } from '../../client/cases';
import { ConsultationClient } from '../../client/consultations';
import { pathways, PATHWAYS, type PathwayId } from '../../machines';
import { pathwayName } from '../../machines/plainEnglish';
import { actingRole } from '../../access/rules';
import { fieldsOf, formErrors, inlineMessages, readForm, type FormErrors, type Posted } from '../forms';
import type { Me } from '../middleware/page';
import { pathOf } from '../middleware/signedIn';
import { PageError } from '../pageError';
import { renderFields } from '../render';
import { defaultsFor, eligibilityOf } from '../viewModels/referral';
import { CaseId } from '../../access/actions';
import { ConsultationId } from './consultations';
import { formRoute } from './formRoute';
import { referralMatches } from './people';
import { hide, type Kit } from './kit';

/** Making a referral: choosing the pathway, the pathway's form, checking it, sending it. */
export function referralRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  const consultations = new ConsultationClient(cases);
  web.get(
    '/app/refer',
    hide,
    handle(async (_req, reply, { caller }) =>
      page(reply, 'refer-choose.njk', {
        ...nav(caller, '/app/refer'),
        pathways: PATHWAYS.map((p) => ({ id: p, name: pathwayName(p), notice: pathways[p].notice })),
      }),
    ),
  );

  const referralPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const pathwayId = (req.params as { pathway: string }).pathway as PathwayId;
    if (!PATHWAYS.includes(pathwayId)) throw new PageError(404, 'There is no such pathway.');
    const role = actingRole(me.caller, ['caseworker', 'supervisor']);
    if (!role) throw new PageError(403, 'Only caseworkers and supervisors make referrals.');
    const pathway = pathways[pathwayId];
    const fields = fieldsOf(pathway.referral);
    // A referral made from a duty-line call or consultation request becomes that one case.
    const fromConsultation = ConsultationId.safeParse(
      (req.query as { consultation?: string }).consultation,
    ).data;
    let errors: FormErrors = new Map();
    let check: { met: string[]; unmet: string[]; outcome?: string } | undefined;
    let known: Awaited<ReturnType<typeof referralMatches>>;
    const kept = posted
      ? undefined
      : (o.sessions.takeForm(req, reply, pathOf(req), me.caller.id) as Posted | undefined);
    const values: Posted = posted ?? kept ?? defaultsFor(fields);
    if (posted) {
      const referral = readForm(fields, posted);
      const parsed = pathway.referral.safeParse(referral);
      if (!parsed.success) errors = formErrors(fields, parsed.error.issues, posted);
      else if (posted.confirm === 'yes') {
        try {
          const team = me.caller.teams[0];
          if (!team) throw new PageError(403, 'You are not in a team.');
          const actor = { id: me.caller.id, role };
          const opened = fromConsultation
            ? (await consultations.refer(fromConsultation, parsed.data, actor, me.caller.teams)).case
            : await cases.refer(
                pathwayId,
                parsed.data,
                actor,
                team,
                CaseId.safeParse(posted.previousCaseId).data,
              );
          return reply.redirect(`/app/cases/${opened.caseId}?done=REFERRAL_RECEIVED`, 303);
        } catch (err) {
          if (!(err instanceof CaseRefusedError || err instanceof CaseInputError)) throw err;
          errors.set('', { text: err.message, href: '#main-content' });
        }
      } else {
        check = eligibilityOf(pathwayId, parsed.data as Record<string, unknown>);
        known = await referralMatches({ cases, o }, me.caller, pathwayId, parsed.data);
      }
    }
    return page(
      reply,
      'refer.njk',
      {
        ...nav(me.caller, '/app/refer'),
        pathway: { id: pathwayId, name: pathwayName(pathwayId), notice: pathway.notice },
        formHtml: renderFields(fields, values, inlineMessages(errors)),
        hidden: check
          ? Object.entries(values)
              .flatMap(([k, v]) =>
                [v]
                  .flat()
                  .filter((x): x is string => typeof x === 'string')
                  .map((x) => ({ name: k, value: x })),
              )
              .filter((h) => h.name !== 'csrf' && h.name !== 'confirm' && h.name !== 'previousCaseId')
          : [],
        check,
        known,
        fromConsultation,
        restored: !!kept,
        errors: [...errors.values()],
        csrf: me.csrf,
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/refer/:pathway', handle, referralPage);
}
