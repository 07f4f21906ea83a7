import { and, type EventObject } from 'xstate';
import { instant, localDate } from '../../calendar/calendar';
import { frozen } from '../../validation/frozen';
import { z } from '../../validation/zod';
import type { CaseContext } from './case';
import { defineEvent, StaffId, type Envelope } from './envelope';
import { isEmailAddress, isValidNhsNumber } from './people';
import { ruleOn } from './rules';

/**
 * The record caseworkers keep on every case, whatever its pathway and state: case notes (with
 * amendments and a supervisor's sign-off), corrections of a person's details, and transfers to
 * another team. Events like any other, so each is checked, recorded on the timeline and kept in
 * the case's history; none of them moves the case between states.
 */

/** What kind of note: how the worker learnt or did what it records. */
export const NoteType = z.enum([
  'homeVisit',
  'officeVisit',
  'phoneCall',
  'message',
  'meeting',
  'observation',
  'managementOversight',
  'supervision',
]);
export type NoteType = z.infer<typeof NoteType>;
export const NOTE_TYPE_NAMES = frozen({
  homeVisit: 'Home visit',
  officeVisit: 'Office visit',
  phoneCall: 'Phone call',
  message: 'Message',
  meeting: 'Meeting',
  observation: 'Observation',
  managementOversight: 'Management oversight',
  supervision: 'Supervision',
} satisfies Record<NoteType, string>);

/** A note's own id: the id of the event that recorded it. */
const NoteId = z.string().trim().min(1).max(120);
/** A note's words: longer than other free text, as a visit is written up in full. */
export const NoteText = z.string().trim().min(1).max(10_000);
/** Who was there: names or roles, as the worker writes them. */
const Present = z.array(z.string().trim().min(1).max(100)).max(20);

export const RecordNote = defineEvent('NOTE_RECORDED', {
  noteType: NoteType,
  happenedAt: instant,
  present: Present.default([]),
  text: NoteText,
  /** Shown in the chronology. */
  significant: z.boolean().default(false),
  /** Only supervisors of the team and the note's author read it. */
  restricted: z.boolean().default(false),
});
export const AmendNote = defineEvent('NOTE_AMENDED', {
  noteId: NoteId,
  text: NoteText,
  significant: z.boolean().optional(),
  restricted: z.boolean().optional(),
});
export const SignOffNote = defineEvent('NOTE_SIGNED_OFF', { noteId: NoteId });

/** Whose details are corrected: each pathway's referral names some of them. */
export const PersonRole = z.enum(['parent', 'baby', 'child', 'person', 'referrer']);
export type PersonRole = z.infer<typeof PersonRole>;
export const PERSON_ROLE_NAMES = frozen({
  parent: 'Parent',
  baby: 'Baby',
  child: 'Child',
  person: 'Person leaving custody',
  referrer: 'Referrer',
} satisfies Record<PersonRole, string>);
/** Where each person is in a referral. */
const REFERRAL_KEY = frozen({
  parent: 'parent',
  baby: 'child',
  child: 'child',
  person: 'person',
  referrer: 'referrer',
} satisfies Record<PersonRole, string>);

export const DetailField = z.enum(['name', 'dateOfBirth', 'nhsNumber', 'address', 'phone', 'email']);
export type DetailField = z.infer<typeof DetailField>;
export const DETAIL_FIELD_NAMES = frozen({
  name: 'Name',
  dateOfBirth: 'Date of birth',
  nhsNumber: 'NHS number',
  address: 'Address',
  phone: 'Phone number',
  email: 'Email address',
} satisfies Record<DetailField, string>);

export const CorrectDetails = defineEvent('DETAILS_CORRECTED', {
  person: PersonRole,
  field: DetailField,
  value: z.string().trim().min(1).max(300),
});

export const RequestTransfer = defineEvent('TRANSFER_REQUESTED', { toTeam: StaffId });
export const AcceptTransfer = defineEvent('TRANSFER_ACCEPTED', {});
export const DeclineTransfer = defineEvent('TRANSFER_DECLINED', {});
/** The case's own team takes back a transfer no one has answered (a wrong team, say). */
export const WithdrawTransfer = defineEvent('TRANSFER_WITHDRAWN', {});

/** The record's events, to add to each pathway's discriminated union. */
// Frozen (the schemas themselves are not plain data, so they stay as zod made them).
export const RECORD_EVENTS = Object.freeze([
  RecordNote,
  AmendNote,
  SignOffNote,
  CorrectDetails,
  RequestTransfer,
  AcceptTransfer,
  DeclineTransfer,
  WithdrawTransfer,
] as const);
export type RecordEvent = z.infer<(typeof RECORD_EVENTS)[number]>;
export const RECORD_EVENT_TYPES: readonly string[] = frozen(RECORD_EVENTS.map((e) => e.shape.type.value));

/** Who may send them. A transfer's answer comes from a supervisor of the team it is offered to. */
const CASEWORK = frozen(['caseworker', 'supervisor'] as const);
const SUPERVISOR = frozen(['supervisor'] as const);
export const RECORD_ROLES = frozen({
  NOTE_RECORDED: CASEWORK,
  NOTE_AMENDED: CASEWORK,
  NOTE_SIGNED_OFF: SUPERVISOR,
  DETAILS_CORRECTED: CASEWORK,
  TRANSFER_REQUESTED: SUPERVISOR,
  TRANSFER_ACCEPTED: SUPERVISOR,
  TRANSFER_DECLINED: SUPERVISOR,
  TRANSFER_WITHDRAWN: SUPERVISOR,
} as const);

/** The event types a supervisor of the team a transfer is offered to sends, not the case's own team. */
export const TRANSFER_ANSWERS: readonly string[] = frozen(['TRANSFER_ACCEPTED', 'TRANSFER_DECLINED']);

export interface NoteVersion {
  text: string;
  at: string;
  by: string;
  reason?: string;
}
export interface Note {
  id: string;
  noteType: NoteType;
  happenedAt: string;
  recordedAt: string;
  author: string;
  present: string[];
  significant: boolean;
  restricted: boolean;
  /** Oldest first; the last is the note as it stands. Nothing is edited in place. */
  versions: NoteVersion[];
  signedOff?: { by: string; at: string };
}
export interface Correction {
  person: PersonRole;
  field: DetailField;
  value: string;
  /** The value before, when there was one. */
  previous?: string;
  at: string;
  by: string;
  reason: string;
}
export interface Transfer {
  fromTeam: string;
  toTeam: string;
  requestedAt: string;
  requestedBy: string;
  reason: string;
  answer?: { accepted: boolean; at: string; by: string; reason?: string; withdrawn?: true };
}

/** What the record adds to a case's context. */
export interface RecordContext {
  notes?: Note[];
  corrections?: Correction[];
  /** Every transfer asked for, oldest first; the last without an answer is pending. */
  transfers?: Transfer[];
}

type Ctx = CaseContext & { referral?: unknown };
/** What a record event changes in a case's context. */
type RecordUpdate = Partial<
  Pick<CaseContext, 'notes' | 'corrections' | 'transfers' | 'team' | 'namedWorker'>
>;

export const pendingTransfer = (ctx: RecordContext): Transfer | undefined => {
  const last = ctx.transfers?.at(-1);
  return last && !last.answer ? last : undefined;
};
const noteOf = (ctx: RecordContext, id: string) => ctx.notes?.find((n) => n.id === id);
const personIn = (ctx: Ctx, person: PersonRole): Record<string, unknown> | undefined => {
  const referral = ctx.referral as Record<string, unknown> | undefined;
  const p = referral?.[REFERRAL_KEY[person]];
  if (!p || typeof p !== 'object') return undefined;
  // The front door's child is "child", and a parent–infant baby is also kept as "child".
  if (person === 'child' && 'parent' in (referral ?? {})) return undefined;
  if (person === 'baby' && !('parent' in (referral ?? {}))) return undefined;
  return p as Record<string, unknown>;
};

/** A detail's value as recorded at referral, in the form a correction gives it. */
function referralValue(p: Record<string, unknown>, field: DetailField): string | undefined {
  const contact = p.contact as { route?: string; value?: string } | undefined;
  if (field === 'phone' || field === 'email') return contact?.route === field ? contact.value : undefined;
  const v = p[field];
  return typeof v === 'string' ? v : undefined;
}

/** A detail as it stands: the latest correction, else the referral's. */
export function currentValue(ctx: Ctx, person: PersonRole, field: DetailField): string | undefined {
  const corrected = [...(ctx.corrections ?? [])]
    .reverse()
    .find((c) => c.person === person && c.field === field);
  if (corrected) return corrected.value;
  const p = personIn(ctx, person);
  return p ? referralValue(p, field) : undefined;
}

/** Whether a value is one the field can hold, in words when it is not. */
function valueFault(field: DetailField, value: string, at: string): string | undefined {
  switch (field) {
    case 'dateOfBirth':
      if (!localDate.safeParse(value).success) return 'a date of birth is a date like 2026-12-04';
      return value > at.slice(0, 10) ? 'a date of birth cannot be in the future' : undefined;
    case 'nhsNumber':
      return isValidNhsNumber(value) ? undefined : 'that is not an NHS number (10 digits with a check digit)';
    case 'email':
      return isEmailAddress(value) ? undefined : 'give one email address, like name@example.nhs.uk';
    case 'phone':
      return /^\+?[0-9 ()-]{6,30}$/.test(value) ? undefined : 'a phone number is digits, spaces and + ( ) -';
    case 'name':
      return value.length <= 200 ? undefined : 'a name is at most 200 characters';
    case 'address':
      return undefined;
  }
}

/** The record's rules: each event's conditions, quoted when it is refused. */
export function recordRules() {
  const rule = ruleOn<Ctx, RecordEvent>();
  return {
    noteNotInFuture: rule(
      'NOTE_RECORDED',
      (_, e) => Date.parse(e.happenedAt) <= Date.parse(e.at) + 5 * 60_000,
      () => 'a note records what has happened: its time cannot be in the future',
    ),
    noteExists: rule(
      'NOTE_AMENDED',
      (ctx, e) => !!noteOf(ctx, e.noteId),
      () => 'there is no such note on this case',
    ),
    amendmentHasReason: rule(
      'NOTE_AMENDED',
      (_, e) => !!e.reason,
      () => 'an amendment says why the note is changed',
    ),
    noteToSignExists: rule(
      'NOTE_SIGNED_OFF',
      (ctx, e) => !!noteOf(ctx, e.noteId),
      () => 'there is no such note on this case',
    ),
    noteNotSignedYet: rule(
      'NOTE_SIGNED_OFF',
      (ctx, e) => !noteOf(ctx, e.noteId)?.signedOff,
      (ctx, e) =>
        `the note was signed off by ${noteOf(ctx, e.noteId)?.signedOff?.by ?? 'a supervisor'} already`,
    ),
    personOnCase: rule(
      'DETAILS_CORRECTED',
      (ctx, e) => !!personIn(ctx, e.person),
      (_, e) => `this case has no ${PERSON_ROLE_NAMES[e.person].toLowerCase()}`,
    ),
    fieldForPerson: rule(
      'DETAILS_CORRECTED',
      (_, e) => e.person !== 'referrer' || ['name', 'phone', 'email'].includes(e.field),
      () => "a referrer's name, phone number or email address can be corrected",
    ),
    valueValid: rule(
      'DETAILS_CORRECTED',
      (_, e) => !valueFault(e.field, e.value, e.at),
      (_, e) => valueFault(e.field, e.value, e.at) ?? '',
    ),
    valueChanges: rule(
      'DETAILS_CORRECTED',
      (ctx, e) => currentValue(ctx, e.person, e.field) !== e.value,
      () => 'that is the value already recorded',
    ),
    correctionHasReason: rule(
      'DETAILS_CORRECTED',
      (_, e) => !!e.reason,
      () => 'a correction says why the detail is changed',
    ),
    transferToAnotherTeam: rule(
      'TRANSFER_REQUESTED',
      (ctx, e) => e.toTeam !== ctx.team,
      () => 'the case is already with that team',
    ),
    noTransferPending: rule(
      'TRANSFER_REQUESTED',
      (ctx) => !pendingTransfer(ctx),
      (ctx) => `a transfer to ${pendingTransfer(ctx)?.toTeam ?? 'another team'} is waiting for an answer`,
    ),
    transferHasReason: rule(
      'TRANSFER_REQUESTED',
      (_, e) => !!e.reason,
      () => 'a transfer says why the case moves',
    ),
    transferPendingToAccept: rule(
      'TRANSFER_ACCEPTED',
      (ctx) => !!pendingTransfer(ctx),
      () => 'no transfer is waiting for an answer',
    ),
    transferPendingToDecline: rule(
      'TRANSFER_DECLINED',
      (ctx) => !!pendingTransfer(ctx),
      () => 'no transfer is waiting for an answer',
    ),
    declineHasReason: rule(
      'TRANSFER_DECLINED',
      (_, e) => !!e.reason,
      () => 'declining a transfer says why',
    ),
    transferPendingToWithdraw: rule(
      'TRANSFER_WITHDRAWN',
      (ctx) => !!pendingTransfer(ctx),
      () => 'no transfer is waiting for an answer',
    ),
    withdrawalHasReason: rule(
      'TRANSFER_WITHDRAWN',
      (_, e) => !!e.reason,
      () => 'withdrawing a transfer says why',
    ),
  };
}

/** The handlers, for `open.on` in each machine: the record changes; the state does not. */
export const RECORD_HANDLERS = frozen({
  NOTE_RECORDED: { guard: 'noteNotInFuture', actions: 'keepRecord' },
  NOTE_AMENDED: { guard: and(['noteExists', 'amendmentHasReason']), actions: 'keepRecord' },
  NOTE_SIGNED_OFF: { guard: and(['noteToSignExists', 'noteNotSignedYet']), actions: 'keepRecord' },
  DETAILS_CORRECTED: {
    guard: and(['personOnCase', 'fieldForPerson', 'valueValid', 'valueChanges', 'correctionHasReason']),
    actions: 'keepRecord',
  },
  TRANSFER_REQUESTED: {
    guard: and(['transferToAnotherTeam', 'noTransferPending', 'transferHasReason']),
    actions: 'keepRecord',
  },
  TRANSFER_ACCEPTED: { guard: 'transferPendingToAccept', actions: 'keepRecord' },
  TRANSFER_DECLINED: { guard: and(['transferPendingToDecline', 'declineHasReason']), actions: 'keepRecord' },
  TRANSFER_WITHDRAWN: {
    guard: and(['transferPendingToWithdraw', 'withdrawalHasReason']),
    actions: 'keepRecord',
  },
} as const);

/** The context update for each record event, for `assign` in each machine's setup. */
export function keepRecord(context: Ctx, event: EventObject): RecordUpdate {
  const e = event as RecordEvent & Envelope;
  const by = e.actor.id;
  switch (e.type) {
    case 'NOTE_RECORDED':
      return {
        notes: [
          ...(context.notes ?? []),
          {
            id: e.eventId,
            noteType: e.noteType,
            happenedAt: e.happenedAt,
            recordedAt: e.at,
            author: by,
            present: [...e.present],
            significant: e.significant,
            restricted: e.restricted,
            versions: [{ text: e.text, at: e.at, by }],
          },
        ],
      };
    case 'NOTE_AMENDED':
      return {
        notes: (context.notes ?? []).map((n) =>
          n.id !== e.noteId
            ? n
            : {
                ...n,
                significant: e.significant ?? n.significant,
                restricted: e.restricted ?? n.restricted,
                versions: [
                  ...n.versions,
                  { text: e.text, at: e.at, by, ...(e.reason ? { reason: e.reason } : {}) },
                ],
              },
        ),
      };
    case 'NOTE_SIGNED_OFF':
      return {
        notes: (context.notes ?? []).map((n) =>
          n.id !== e.noteId ? n : { ...n, signedOff: { by, at: e.at } },
        ),
      };
    case 'DETAILS_CORRECTED': {
      const previous = currentValue(context, e.person, e.field);
      return {
        corrections: [
          ...(context.corrections ?? []),
          {
            person: e.person,
            field: e.field,
            value: e.value,
            ...(previous !== undefined ? { previous } : {}),
            at: e.at,
            by,
            reason: e.reason ?? '',
          },
        ],
      };
    }
    case 'TRANSFER_REQUESTED':
      return {
        transfers: [
          ...(context.transfers ?? []),
          {
            fromTeam: context.team,
            toTeam: e.toTeam,
            requestedAt: e.at,
            requestedBy: by,
            reason: e.reason ?? '',
          },
        ],
      };
    case 'TRANSFER_ACCEPTED':
    case 'TRANSFER_DECLINED':
    case 'TRANSFER_WITHDRAWN': {
      const accepted = e.type === 'TRANSFER_ACCEPTED';
      const withdrawn = e.type === 'TRANSFER_WITHDRAWN' ? { withdrawn: true as const } : {};
      const transfers = (context.transfers ?? []).map((t, i, all) =>
        i === all.length - 1
          ? {
              ...t,
              answer: { accepted, at: e.at, by, ...(e.reason ? { reason: e.reason } : {}), ...withdrawn },
            }
          : t,
      );
      const to = pendingTransfer(context)!.toTeam;
      // Accepted: the new team has the case and names its own worker.
      return accepted ? { transfers, team: to, namedWorker: undefined } : { transfers };
    }
  }
}

/**
 * A referral with the corrections applied: the people as they now stand (name, date of birth,
 * NHS number, and the address and contact details recorded since), for the person index and
 * messages. The referral itself is never changed.
 */
export function correctedReferral(ctx: Ctx): Record<string, unknown> | undefined {
  const referral = ctx.referral as Record<string, unknown> | undefined;
  if (!referral || !ctx.corrections?.length) return referral;
  const out: Record<string, unknown> = { ...referral };
  for (const c of ctx.corrections) {
    const key = REFERRAL_KEY[c.person];
    const p = { ...(out[key] as Record<string, unknown>) };
    if (c.field === 'phone' || c.field === 'email') p.contact = { route: c.field, value: c.value };
    else p[c.field] = c.value;
    out[key] = p;
  }
  return out;
}
