import type { FastifyReply, FastifyRequest, FastifyInstance } from 'fastify';
import { longDate } from '../../calendar/words';
import { CaseRefusedError, CaseInputError } from '../../client/cases';
import { reopenCase, reopenRefusal, REOPEN_WITHIN_DAYS } from '../../client/reopen';
import { actingRole, needsToKnow } from '../../access/rules';
import { inlineMessages, type FormErrors, type Field, type Posted } from '../forms';
import type { Me } from '../middleware/page';
import { PageError } from '../pageError';
import { renderFields } from '../render';
import { describedCase } from '../viewModels/case';
import { visibleCase } from './cases';
import { formRoute } from './formRoute';
import type { Kit } from './kit';

const REASON: Field[] = [
  {
    kind: 'textarea',
    name: 'reason',
    label: 'Why the case is reopened',
    hint: 'This becomes the first note of the reopened case.',
    optional: false,
  },
];

/**
 * Reopening a closed case within the period, as a linked re-referral of the same team and
 * pathway; after it, the page says to make a re-referral and links to the referral form.
 */
export function reopenRoutes(web: FastifyInstance, { handle, page, nav, cases }: Kit): void {
  const reopenPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const view = await visibleCase(cases, me.caller, (req.params as { id: string }).id);
    const role = actingRole(me.caller, ['caseworker', 'supervisor']);
    if (!role || !needsToKnow(me.caller, view))
      throw new PageError(403, 'Only the named worker or a supervisor of the team may reopen this case.');
    const refused = reopenRefusal(view, await cases.now());
    const errors: FormErrors = new Map();
    if (posted && !refused) {
      const reason = String(posted.reason ?? '').trim();
      if (reason.length < 3 || reason.length > 2000)
        errors.set('reason', {
          text: 'Enter why the case is reopened (3 to 2000 characters)',
          href: '#reason',
        });
      else
        try {
          const opened = await reopenCase(cases, view, { id: me.caller.id, role }, reason);
          return reply.redirect(`/app/cases/${opened.caseId}?done=REFERRAL_RECEIVED`, 303);
        } catch (err) {
          if (
            !(err instanceof CaseRefusedError || err instanceof CaseInputError) ||
            (err as CaseRefusedError).code === 'forbidden'
          )
            throw err;
          errors.set('', { text: err.message, href: '#main-content' });
        }
    }
    return page(
      reply,
      'reopen.njk',
      {
        ...nav(me.caller, ''),
        view: describedCase(view),
        closedOn: view.closure ? longDate(view.closure.at) : undefined,
        withinDays: REOPEN_WITHIN_DAYS,
        refused,
        referHref: `/app/refer/${view.pathway}`,
        formHtml: renderFields(REASON, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        csrf: me.csrf,
      },
      errors.size ? 400 : refused ? 409 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/reopen', handle, reopenPage);
}
