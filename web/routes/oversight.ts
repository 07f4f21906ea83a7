import type { FastifyInstance } from 'fastify';
import type { Staff } from '../../access/rules';
import { longDate } from '../../calendar/words';
import { pathwayName } from '../../machines/plainEnglish';
import type { Records } from '../../store/records';
import {
  SIGN_OFF_SUBJECTS,
  SignOffError,
  type OversightStore,
  type SignOffSubject,
} from '../../store/oversight';
import { FreeText } from '../../machines/common/envelope';
import type { Posted } from '../forms';
import { PageError } from '../pageError';
import { describedCase } from '../viewModels/case';
import { visibleCase } from './cases';
import { hide, type Kit } from './kit';

const SUBJECT_NAMES: Readonly<Record<SignOffSubject, string>> = Object.freeze({
  assessment: 'Assessment outcome',
  closure: 'Closure',
});

/** The record store's oversight part, where the service has one. */
export const oversightOf = (cases: Kit['cases']): OversightStore | undefined =>
  (cases.options.records as Partial<Records> | undefined)?.oversight;

const supervises = (caller: Staff, team: string) =>
  caller.roles.includes('supervisor') && caller.teams.includes(team);

/** What awaits a supervisor's sign-off on their teams, oldest first, as pages show it. */
export async function awaitingSignOff(cases: Kit['cases'], caller: Staff, limit = 100) {
  const store = oversightOf(cases);
  if (!store || !caller.roles.includes('supervisor')) return [];
  const awaiting = await store.awaiting(caller.teams, limit);
  const references =
    (await cases.options.records?.references.many([...new Set(awaiting.map((a) => a.caseId))])) ??
    new Map<string, string>();
  return awaiting.map((a) => ({
    caseId: a.caseId,
    reference: references.get(a.caseId) ?? a.caseId,
    pathwayName: pathwayName(a.pathway),
    team: a.team,
    subject: SUBJECT_NAMES[a.subject],
    since: longDate(a.since),
    namedWorker: a.namedWorker ?? 'None',
  }));
}

/** Management oversight: a case's sign-offs, and what awaits the supervisor's sign-off. */
export function oversightRoutes(web: FastifyInstance, { handle, page, nav, cases }: Kit): void {
  const store = () => {
    const s = oversightOf(cases);
    if (!s) throw new PageError(503, 'The record store is not available. Try again later.');
    return s;
  };

  const casePage = async (
    caller: Staff,
    csrf: string,
    id: string,
    o: { error?: string; done?: string } = {},
  ) => {
    const view = await visibleCase(cases, caller, id);
    const subjects = await store().subjectsOf(id);
    const signed = await store().signOffs(id, false);
    const rows = SIGN_OFF_SUBJECTS.map((subject) => {
      const s = signed.find((x) => x.subject === subject);
      const due = subject === 'assessment' ? !!subjects?.assessment : !!subjects?.closedOn;
      return {
        subject,
        name: SUBJECT_NAMES[subject],
        status: s
          ? `Signed off by ${s.signedBy}, ${longDate(s.signedAt)}`
          : due
            ? 'Awaiting sign-off'
            : 'Nothing to sign yet',
        signed: !!s,
        canSign: !s && due && supervises(caller, view.team),
      };
    });
    return {
      ...nav(caller, ''),
      view: describedCase(view),
      rows,
      csrf,
      ...(o.error ? { errors: [{ text: o.error, href: '#main-content' }] } : {}),
      ...(o.done ? { done: o.done } : {}),
    };
  };

  web.get(
    '/app/cases/:id/oversight',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const done = (req.query as { done?: string }).done;
      const subject = SIGN_OFF_SUBJECTS.find((s) => s === done);
      return page(
        reply,
        'oversight-case.njk',
        await casePage(caller, csrf, id, subject ? { done: `${SUBJECT_NAMES[subject]} signed off.` } : {}),
      );
    }),
  );

  web.post(
    '/app/cases/:id/oversight',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(cases, caller, id);
      if (!supervises(caller, view.team))
        throw new PageError(403, "Only a supervisor of the case's team may sign it off.");
      const posted = req.body as Posted;
      const subject = SIGN_OFF_SUBJECTS.find((s) => s === posted.subject);
      if (!subject) throw new PageError(400, 'Choose what to sign off.');
      const note = FreeText.optional().safeParse(String(posted.note ?? '').trim() || undefined);
      if (!note.success)
        return page(
          reply,
          'oversight-case.njk',
          await casePage(caller, csrf, id, { error: 'The note is too long' }),
          400,
        );
      try {
        await store().signOff(id, subject, caller.id, note.data || undefined);
      } catch (err) {
        if (!(err instanceof SignOffError)) throw err;
        const text = err.message.charAt(0).toUpperCase() + err.message.slice(1);
        return page(reply, 'oversight-case.njk', await casePage(caller, csrf, id, { error: text }), 409);
      }
      return reply.redirect(`/app/cases/${id}/oversight?done=${subject}`, 303);
    }),
  );

  web.get(
    '/app/oversight',
    hide,
    handle(async (_req, reply, { caller }) => {
      if (!caller.roles.includes('supervisor')) throw new PageError(403, 'Sign-offs are for supervisors.');
      store();
      return page(reply, 'oversight-awaiting.njk', {
        ...nav(caller, ''),
        awaiting: await awaitingSignOff(cases, caller, 500),
      });
    }),
  );
}

/** A supervisor's queues on My work: transfers offered to their teams, and what awaits their sign-off. */
export async function supervisorQueues(cases: Kit['cases'], caller: Staff) {
  if (!caller.roles.includes('supervisor') || !caller.teams.length) return undefined;
  const offered = await cases.caseload({ transferTo: caller.teams, open: true }, 100);
  return {
    offered: offered.map((r) => ({
      caseId: r.caseId,
      reference: r.reference ?? r.caseId,
      pathwayName: pathwayName(r.pathway),
      from: r.team ?? '',
      to: r.transferTo ?? '',
    })),
    awaiting: await awaitingSignOff(cases, caller, 100),
  };
}
