import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { seesAllTeams } from '../../auth/caller';
import { localDate } from '../../calendar/calendar';
import { chronologyOf, type ChronologyOptions } from '../../client/chronology';
import { callerEventId, CaseRefusedError } from '../../client/cases';
import { INDEXED_FIELDS, reindexPeople } from '../../client/reindex';
import { CaseId, CallerEventId, actionsFor, rolesFor } from '../../access/actions';
import {
  actingRole,
  detailsFor,
  mayTake,
  needsToKnow,
  offeredTo,
  seesCase,
  type Staff,
} from '../../access/rules';
import { DETAIL_FIELD_NAMES, NOTE_TYPE_NAMES, type DetailField } from '../../machines/common/recordKeeping';
import { eventName } from '../../machines/plainEnglish';
import type { CaseView } from '../../contract/case';
import { formErrors, inlineMessages, readForm, type Field, type FormErrors, type Posted } from '../forms';
import type { Me } from '../middleware/page';
import { PageError } from '../pageError';
import { renderFields } from '../render';
import { describedCase } from '../viewModels/case';
import { refusalInWords } from '../viewModels/refusal';
import {
  changeHistory,
  describedEntry,
  describedNote,
  detailNow,
  FIELDS_OF,
  fieldName,
  peopleHeading,
  peopleOfPathway,
  personName,
  transferHistory,
  valueInWords,
  type RecordDetails,
} from '../viewModels/record';
import { visibleCase } from './cases';
import { formRoute } from './formRoute';
import { hide, type Kit } from './kit';

/** The record's event types: they have their own pages, not the case page's generic actions. */
export const RECORD_PAGES_OWN: readonly string[] = Object.freeze([
  'NOTE_RECORDED',
  'NOTE_AMENDED',
  'NOTE_SIGNED_OFF',
  'DETAILS_CORRECTED',
  'TRANSFER_REQUESTED',
  'TRANSFER_ACCEPTED',
  'TRANSFER_DECLINED',
  'TRANSFER_WITHDRAWN',
]);

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String).filter(Boolean);

const NOTE_FIELDS: Field[] = [
  {
    kind: 'radios',
    name: 'noteType',
    label: 'Type of note',
    optional: false,
    options: Object.entries(NOTE_TYPE_NAMES).map(([value, text]) => ({ value, text })),
  },
  { kind: 'dateTime', name: 'happenedAt', label: 'When it happened', optional: false },
  { kind: 'lines', name: 'present', label: 'Who was there, one on each line', optional: true },
  { kind: 'textarea', name: 'text', label: 'What happened', optional: false },
  { kind: 'boolean', name: 'significant', label: 'Show this note in the chronology?', optional: false },
  {
    kind: 'boolean',
    name: 'restricted',
    label: "Restrict this note to you and the team's supervisors?",
    optional: false,
  },
];
const AMEND_FIELDS: Field[] = [
  { kind: 'textarea', name: 'text', label: 'The note as it should read', optional: false },
  { kind: 'textarea', name: 'reason', label: 'Why you are changing it', optional: false },
];

/** What the sender's form gives back: errors by field, and whether it was sent. */
interface Sent {
  errors: FormErrors;
  sent: boolean;
}

/** "27 3 2026", "27/03/2026" or "2026-03-27" as a date (YYYY-MM-DD), else the text as it was. */
export function dateFromWords(text: string): string {
  const t = text.trim();
  const m = /^(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})$/.exec(t);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : t;
}

/** The record's pages: notes, chronology, corrections and the history of changes, transfers. */
export function recordRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  /** A case whose record the caller may read (needs to know), or a refusal page. */
  const caseToRead = async (caller: Staff, id: string) => {
    const view = await visibleCase(cases, caller, id);
    if (!needsToKnow(caller, view))
      throw new PageError(
        403,
        "Only the named worker or a supervisor of the team may read this case's record.",
      );
    return view;
  };
  /** The case's details as this caller may read them; every read is logged with why. */
  const detailsOf = async (
    caller: Staff,
    view: CaseView,
    why: string,
    what: 'details' | 'timeline' = 'details',
  ) => {
    await o.accessLog.record({ who: caller, caseId: view.caseId, what, why });
    return detailsFor(caller, view, await cases.details(view.caseId)) as RecordDetails;
  };
  /** Sends one of the record's events as the caller; a refusal comes back as the form's error. */
  const send = async (
    me: Me,
    view: CaseView,
    type: string,
    data: Record<string, unknown>,
    posted: Posted,
    fields: Field[],
    /** Fields the page needs though the schema does not (a reason), with their messages. */
    needed: [string, string][] = [],
  ): Promise<Sent> => {
    const role = actingRole(me.caller, rolesFor(view.caseId, type));
    if (!role || !mayTake(me.caller, view, type))
      throw new PageError(403, `${eventName(type)} is not yours to do.`);
    const parsed = actionsFor(view.caseId).safeParse({ type, ...data });
    const missing = needed.filter(([name]) => !one(posted[name]));
    if (!parsed.success || missing.length) {
      const errors: FormErrors = parsed.success
        ? new Map<string, { text: string; href: string }>()
        : formErrors(fields, parsed.error.issues, posted);
      for (const [name, text] of missing) if (!errors.has(name)) errors.set(name, { text, href: `#${name}` });
      return { errors, sent: false };
    }
    const eventId = CallerEventId.safeParse(posted.eventId).data;
    try {
      await cases.act(
        view.caseId,
        { ...parsed.data, eventId: callerEventId(me.caller.id, eventId), actor: { id: me.caller.id, role } },
        seesAllTeams(me.caller) ? { allTeams: true } : { teams: me.caller.teams },
      );
      return { errors: new Map(), sent: true };
    } catch (err) {
      if (!(err instanceof CaseRefusedError) || err.code === 'forbidden') throw err;
      return { errors: new Map([['', { text: refusalInWords(err), href: '#main-content' }]]), sent: false };
    }
  };
  const common = (me: Me, view: CaseView) => ({
    ...nav(me.caller, ''),
    view: describedCase(view),
    csrf: me.csrf,
    eventId: randomUUID(),
  });

  // Case notes: the list.
  web.get(
    '/app/cases/:id/notes',
    hide,
    handle(async (req, reply, me) => {
      const view = await caseToRead(me.caller, (req.params as { id: string }).id);
      const details = await detailsOf(me.caller, view, 'case notes');
      const notes = [...(details.notes ?? [])].reverse().map(describedNote);
      const done = one((req.query as { done?: string }).done);
      return page(reply, 'record-notes.njk', {
        ...common(me, view),
        notes,
        done: done ? eventName(done) : undefined,
        mayWrite:
          mayTake(me.caller, view, 'NOTE_RECORDED') && !!actingRole(me.caller, ['caseworker', 'supervisor']),
      });
    }),
  );

  // A new note.
  const newNote = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const view = await caseToRead(me.caller, (req.params as { id: string }).id);
    let errors: FormErrors = new Map();
    if (posted) {
      const data = readForm(NOTE_FIELDS, posted);
      const sent = await send(me, view, 'NOTE_RECORDED', data, posted, NOTE_FIELDS, [
        ['significant', 'Select yes or no for “Show this note in the chronology?”'],
        ['restricted', 'Select yes or no for whether the note is restricted'],
      ]);
      if (sent.sent) return reply.redirect(`/app/cases/${view.caseId}/notes?done=NOTE_RECORDED`, 303);
      errors = sent.errors;
    }
    return page(
      reply,
      'record-note-new.njk',
      {
        ...common(me, view),
        ...(posted ? { eventId: one(posted.eventId) || randomUUID() } : {}),
        formHtml: renderFields(NOTE_FIELDS, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/notes/new', handle, newNote);

  // One note: every version, the amend form, and a supervisor's sign-off.
  const onePage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const { id, noteId } = req.params as { id: string; noteId: string };
    const view = await caseToRead(me.caller, id);
    let errors: FormErrors = new Map();
    if (posted) {
      const data = { noteId, text: one(posted.text), reason: one(posted.reason) || undefined };
      const sent = await send(me, view, 'NOTE_AMENDED', data, posted, AMEND_FIELDS, [
        ['reason', 'Enter why you are changing the note'],
      ]);
      if (sent.sent)
        return reply.redirect(`/app/cases/${id}/notes/${encodeURIComponent(noteId)}?done=NOTE_AMENDED`, 303);
      errors = sent.errors;
    }
    const details = await detailsOf(me.caller, view, 'case notes');
    const note = details.notes?.find((n) => n.id === noteId);
    if (!note) throw new PageError(404, 'There is no such note on this case.');
    const described = describedNote(note);
    const done = one((req.query as { done?: string }).done);
    return page(
      reply,
      'record-note.njk',
      {
        ...common(me, view),
        ...(posted ? { eventId: one(posted.eventId) || randomUUID() } : {}),
        signEventId: randomUUID(),
        note: described,
        done: done ? eventName(done) : undefined,
        mayAmend:
          mayTake(me.caller, view, 'NOTE_AMENDED') && !!actingRole(me.caller, ['caseworker', 'supervisor']),
        maySignOff:
          !note.signedOff &&
          me.caller.roles.includes('supervisor') &&
          mayTake(me.caller, view, 'NOTE_SIGNED_OFF'),
        formHtml: renderFields(AMEND_FIELDS, posted ?? { text: described.text }, inlineMessages(errors)),
        errors: [...errors.values()],
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/notes/:noteId', handle, onePage);

  web.post(
    '/app/cases/:id/notes/:noteId/sign-off',
    hide,
    handle(async (req, reply, me) => {
      const { id, noteId } = req.params as { id: string; noteId: string };
      const view = await caseToRead(me.caller, id);
      const posted = req.body as Posted;
      const sent = await send(me, view, 'NOTE_SIGNED_OFF', { noteId }, posted, []);
      if (!sent.sent)
        throw new PageError(409, [...sent.errors.values()][0]?.text ?? 'The note could not be signed off.');
      return reply.redirect(`/app/cases/${id}/notes/${encodeURIComponent(noteId)}?done=NOTE_SIGNED_OFF`, 303);
    }),
  );

  // The chronology: filtered by kind, date range and order; entries chosen for a print view.
  const chronology = async (req: FastifyRequest, me: Me, why: string) => {
    const view = await caseToRead(me.caller, (req.params as { id: string }).id);
    const q = req.query as Record<string, string | string[] | undefined>;
    const errors: FormErrors = new Map();
    const dateOf = (name: string, label: string) => {
      const [d, m, y] = ['day', 'month', 'year'].map((p) => one(q[`${name}-${p}`]));
      if (!d && !m && !y) return undefined;
      const date = `${y!.padStart(4, '0')}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
      if (!localDate.safeParse(date).success || Number.isNaN(Date.parse(date))) {
        errors.set(name, { text: `${label} must be a real date`, href: `#${name}-day` });
        return undefined;
      }
      return date;
    };
    const from = dateOf('from', 'The start date');
    const to = dateOf('to', 'The end date');
    if (from && to && from > to)
      errors.set('to', { text: 'The end date must be the same as or after the start date', href: '#to-day' });
    const kinds = many(q.kinds).filter((k): k is 'event' | 'note' => k === 'event' || k === 'note');
    const order = one(q.order) === 'oldest' ? 'oldest' : 'newest';
    const only = many(q.only);
    const options: ChronologyOptions = {
      order,
      ...(kinds.length ? { kinds } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(only.length ? { only } : {}),
    };
    const details = await detailsOf(me.caller, view, why, 'timeline');
    const entries = chronologyOf(await cases.timeline(view.caseId), details, options).map(describedEntry);
    return { view, details, entries, errors, q, kinds, order, from, to };
  };
  const dateParts = (q: Record<string, unknown>, name: string) =>
    Object.fromEntries(['day', 'month', 'year'].map((p) => [p, one(q[`${name}-${p}`])]));

  web.get(
    '/app/cases/:id/chronology',
    hide,
    handle(async (req, reply, me) => {
      const c = await chronology(req, me, 'chronology');
      return page(
        reply,
        'record-chronology.njk',
        {
          ...common(me, c.view),
          entries: c.entries,
          errors: [...c.errors.values()],
          fromError: c.errors.get('from')?.text,
          toError: c.errors.get('to')?.text,
          fromParts: dateParts(c.q, 'from'),
          toParts: dateParts(c.q, 'to'),
          kinds: c.kinds.length ? c.kinds : ['event', 'note'],
          order: c.order,
        },
        c.errors.size ? 400 : 200,
      );
    }),
  );

  web.get(
    '/app/cases/:id/chronology/print',
    hide,
    handle(async (req, reply, me) => {
      const c = await chronology(req, me, 'chronology print');
      return page(reply, 'record-chronology-print.njk', {
        ...common(me, c.view),
        entries: c.entries,
        people: peopleHeading(c.view.pathway, c.details),
        chosen: many((req.query as Record<string, unknown>).only).length > 0,
      });
    }),
  );

  // The record: people as they stand, the history of changes and of transfers.
  web.get(
    '/app/cases/:id/record',
    hide,
    handle(async (req, reply, me) => {
      const view = await caseToRead(me.caller, (req.params as { id: string }).id);
      const details = await detailsOf(me.caller, view, 'case record');
      const done = one((req.query as { done?: string }).done);
      return page(reply, 'record-history.njk', {
        ...common(me, view),
        done: done ? eventName(done) : undefined,
        people: peopleOfPathway(view.pathway).map((p) => ({
          role: personName(p),
          rows: FIELDS_OF(p).map((f) => ({
            field: fieldName(f),
            value: valueInWords(f, detailNow(details, p, f)),
          })),
        })),
        changes: changeHistory(details),
        transfers: transferHistory(details),
        mayCorrect: mayTake(me.caller, view, 'DETAILS_CORRECTED'),
      });
    }),
  );

  // Correcting a person's details, with why.
  const correctPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const view = await caseToRead(me.caller, (req.params as { id: string }).id);
    const people = peopleOfPathway(view.pathway);
    const fields: Field[] = [
      {
        kind: 'radios',
        name: 'person',
        label: 'Whose details',
        optional: false,
        options: people.map((p) => ({ value: p, text: personName(p) })),
      },
      {
        kind: 'radios',
        name: 'field',
        label: 'Which detail',
        optional: false,
        options: Object.entries(DETAIL_FIELD_NAMES).map(([value, text]) => ({ value, text })),
      },
      {
        kind: 'text',
        name: 'value',
        label: 'The correct value',
        optional: false,
        hint: 'For a date of birth, for example 27 3 2026. For an NHS number, 10 digits.',
      },
      { kind: 'textarea', name: 'reason', label: 'Why you are correcting it', optional: false },
    ];
    let errors: FormErrors = new Map();
    if (posted) {
      const field = one(posted.field);
      const raw = one(posted.value);
      const data = {
        person: one(posted.person) || undefined,
        field: field || undefined,
        value: (field === 'dateOfBirth' ? dateFromWords(raw) : raw) || undefined,
        reason: one(posted.reason) || undefined,
      };
      const sent = await send(me, view, 'DETAILS_CORRECTED', data, posted, fields, [
        ['reason', 'Enter why you are correcting the detail'],
      ]);
      if (sent.sent) {
        if (INDEXED_FIELDS.includes(field)) await reindexPeople(cases, view.caseId);
        return reply.redirect(`/app/cases/${view.caseId}/record?done=DETAILS_CORRECTED`, 303);
      }
      errors = sent.errors;
      if (errors.has('person'))
        errors.set('person', { text: 'Select whose details to correct', href: '#person' });
      if (errors.has('field'))
        errors.set('field', { text: 'Select which detail to correct', href: '#field' });
    }
    const details = await detailsOf(me.caller, view, 'correct details');
    return page(
      reply,
      'record-correct.njk',
      {
        ...common(me, view),
        ...(posted ? { eventId: one(posted.eventId) || randomUUID() } : {}),
        formHtml: renderFields(fields, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        current: people.map((p) => ({
          role: personName(p),
          rows: FIELDS_OF(p).map((f: DetailField) => ({
            field: fieldName(f),
            value: valueInWords(f, detailNow(details, p, f)),
          })),
        })),
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/details/correct', handle, correctPage);

  // A transfer to another team, asked by a supervisor of the case's team.
  const TRANSFER_FIELDS: Field[] = [
    {
      kind: 'text',
      name: 'toTeam',
      label: 'Team to transfer the case to',
      optional: false,
      hint: 'The team’s id, for example bsol-reconnect',
    },
    { kind: 'textarea', name: 'reason', label: 'Why the case moves', optional: false },
  ];
  const WITHDRAW_FIELDS: Field[] = [
    { kind: 'textarea', name: 'reason', label: 'Why you withdraw the transfer', optional: false },
  ];
  const transferPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const view = await caseToRead(me.caller, (req.params as { id: string }).id);
    if (!me.caller.roles.includes('supervisor') || !mayTake(me.caller, view, 'TRANSFER_REQUESTED'))
      throw new PageError(403, "Only a supervisor of the case's team may transfer it.");
    let errors: FormErrors = new Map();
    // A transfer no one has answered (to a wrong team, say) is taken back by the case's own team.
    const withdrawing = !!view.transfer;
    if (posted && withdrawing) {
      const reason = one(posted.reason) || undefined;
      const sent = await send(
        me,
        view,
        'TRANSFER_WITHDRAWN',
        reason ? { reason } : {},
        posted,
        WITHDRAW_FIELDS,
        [['reason', 'Enter why you withdraw the transfer']],
      );
      if (sent.sent) return reply.redirect(`/app/cases/${view.caseId}?done=TRANSFER_WITHDRAWN`, 303);
      errors = sent.errors;
    } else if (posted) {
      const data = { toTeam: one(posted.toTeam) || undefined, reason: one(posted.reason) || undefined };
      const sent = await send(me, view, 'TRANSFER_REQUESTED', data, posted, TRANSFER_FIELDS, [
        ['toTeam', 'Enter the team to transfer the case to'],
        ['reason', 'Enter why the case moves'],
      ]);
      if (sent.sent) return reply.redirect(`/app/cases/${view.caseId}?done=TRANSFER_REQUESTED`, 303);
      errors = sent.errors;
      if (errors.has('toTeam') && one(posted.toTeam))
        errors.set('toTeam', {
          text: 'Enter the team’s id: letters, digits, dots, dashes or underscores',
          href: '#toTeam',
        });
    }
    return page(
      reply,
      'record-transfer.njk',
      {
        ...common(me, view),
        ...(posted ? { eventId: one(posted.eventId) || randomUUID() } : {}),
        formHtml: renderFields(
          withdrawing ? WITHDRAW_FIELDS : TRANSFER_FIELDS,
          posted ?? {},
          inlineMessages(errors),
        ),
        errors: [...errors.values()],
        pending: view.transfer,
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/transfer', handle, transferPage);

  // The answer, from a supervisor of the team the case is offered to (who sees the reference only).
  const ANSWER_FIELDS: Field[] = [
    {
      kind: 'radios',
      name: 'answer',
      label: 'Will your team take the case?',
      optional: false,
      options: [
        { value: 'accept', text: 'Yes, accept the transfer' },
        { value: 'decline', text: 'No, decline it' },
      ],
    },
    { kind: 'textarea', name: 'reason', label: 'Why (needed if you decline)', optional: false },
  ];
  const answerPage = async (req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    const id = (req.params as { id: string }).id;
    if (!CaseId.safeParse(id).success) throw new PageError(404, 'There is no such case.');
    const view = await cases.view(id);
    if (!seesCase(me.caller, view)) throw new PageError(403, 'This case belongs to another team.');
    if (!view.transfer) throw new PageError(409, 'No transfer of this case is waiting for an answer.');
    if (!offeredTo(me.caller, view) || !me.caller.roles.includes('supervisor'))
      throw new PageError(403, `Only a supervisor of ${view.transfer.toTeam} may answer this transfer.`);
    let errors: FormErrors = new Map();
    if (posted) {
      const answer = one(posted.answer);
      const reason = one(posted.reason) || undefined;
      if (answer === 'accept' || answer === 'decline') {
        const type = answer === 'accept' ? 'TRANSFER_ACCEPTED' : 'TRANSFER_DECLINED';
        const sent = await send(
          me,
          view,
          type,
          reason ? { reason } : {},
          posted,
          ANSWER_FIELDS,
          answer === 'decline' ? [['reason', 'Enter why you decline the transfer']] : [],
        );
        if (sent.sent)
          return reply.redirect(
            answer === 'accept' ? `/app/cases/${id}?done=${type}` : `/app?done=${type}`,
            303,
          );
        errors = sent.errors;
      } else errors.set('answer', { text: 'Select whether your team will take the case', href: '#answer' });
    }
    return page(
      reply,
      'record-transfer-answer.njk',
      {
        ...nav(me.caller, ''),
        csrf: me.csrf,
        eventId: posted ? one(posted.eventId) || randomUUID() : randomUUID(),
        reference: view.reference ?? view.caseId,
        caseId: id,
        pathwayName: describedCase(view).pathwayName,
        fromTeam: view.team,
        transfer: view.transfer,
        formHtml: renderFields(ANSWER_FIELDS, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/transfer/answer', handle, answerPage);
}
