import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { seesAllTeams } from '../../auth/caller';
import { callerEventId, CaseRefusedError } from '../../client/cases';
import { refusalInWords } from '../viewModels/refusal';
import { eventName } from '../../machines/plainEnglish';
import { actingRole, mayTake } from '../../access/rules';
import { seesTeam } from '../../auth/caller';
import { actionsFor, CallerEventId, rolesFor } from '../../access/actions';
import { formErrors, inlineMessages, readForm, type FormErrors, type Posted } from '../forms';
import type { Me } from '../middleware/page';
import { pathOf } from '../middleware/signedIn';
import { PageError } from '../pageError';
import { renderFields } from '../render';
import { actionFields, describedCase } from '../viewModels/case';
import { formRoute } from './formRoute';
import { visibleCase } from './cases';
import type { Kit } from './kit';

/** An action on a case: its form, and sending it. */
export function actionRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  const actionPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const { id, type } = req.params as { id: string; type: string };
    const view = await visibleCase(cases, me.caller, id);
    // A team offered the case acts on it only by answering, on the answer's own page.
    if (!seesTeam(me.caller, view.team)) throw new PageError(403, 'This case is not yet your team’s.');
    const fields = /^[A-Z_]{1,40}$/.test(type) ? actionFields(id, type) : undefined;
    if (!fields) throw new PageError(404, 'There is no such action.');
    const role = actingRole(me.caller, rolesFor(id, type));
    if (!role) throw new PageError(403, `${eventName(type)} is not yours to do.`);
    if (!mayTake(me.caller, view, type))
      throw new PageError(
        403,
        type === 'CLOSE'
          ? 'Only the named worker or a supervisor of the team may close this case.'
          : 'Only the named worker or a supervisor of the team may do this.',
      );
    let errors: FormErrors = new Map();
    // Answers sent just as the session ended come back once, with the same event id.
    const kept = posted
      ? undefined
      : (o.sessions.takeForm(req, reply, pathOf(req), me.caller.id) as Posted | undefined);
    const eventId = CallerEventId.safeParse((posted ?? kept)?.eventId).data;
    if (posted) {
      const parsed = actionsFor(id).safeParse({ type, ...readForm(fields, posted) });
      if (parsed.success) {
        try {
          await cases.act(
            id,
            {
              ...parsed.data,
              eventId: callerEventId(me.caller.id, eventId),
              actor: { id: me.caller.id, role },
            },
            seesAllTeams(me.caller) ? { allTeams: true } : { teams: me.caller.teams },
          );
          const back =
            posted.returnTo === '/app/meeting' ? '/app/meeting?done=1' : `/app/cases/${id}?done=${type}`;
          return reply.redirect(back, 303);
        } catch (err) {
          if (!(err instanceof CaseRefusedError) || err.code === 'forbidden') throw err;
          errors.set('', { text: refusalInWords(err), href: '#main-content' });
        }
      } else errors = formErrors(fields, parsed.error.issues, posted);
    }
    return page(
      reply,
      'action.njk',
      {
        ...nav(me.caller, ''),
        view: describedCase(view),
        type,
        title: eventName(type),
        formHtml: renderFields(fields, posted ?? kept ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        csrf: me.csrf,
        restored: !!kept,
        eventId: eventId ?? randomUUID(),
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/act/:type', handle, actionPage);
}
