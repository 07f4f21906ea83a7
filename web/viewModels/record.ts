import { mayTake, needsToKnow, type Staff } from '../../access/rules';
import { localDateOf } from '../../calendar/calendar';
import { dateTime, longDate } from '../../calendar/words';
import type { ChronologyEntry } from '../../client/chronology';
import type { CaseView } from '../../contract/case';
import {
  DETAIL_FIELD_NAMES,
  NOTE_TYPE_NAMES,
  PERSON_ROLE_NAMES,
  type Correction,
  type DetailField,
  type Note,
  type PersonRole,
  type Transfer,
} from '../../machines/common/recordKeeping';
import { eventName, stateName } from '../../machines/plainEnglish';

/** The record's parts of a case's details, as the caller may read them. */
export interface RecordDetails {
  notes?: Note[];
  corrections?: Correction[];
  transfers?: Transfer[];
  referral?: Record<string, unknown>;
}

export const noteTypeName = (t: string) => (NOTE_TYPE_NAMES as Record<string, string>)[t] ?? t;
export const personName = (p: string) => (PERSON_ROLE_NAMES as Record<string, string>)[p] ?? p;
export const fieldName = (f: string) => (DETAIL_FIELD_NAMES as Record<string, string>)[f] ?? f;

/** A detail's value in words: dates of birth as "4 December 2026". */
export const valueInWords = (field: string, value: string | undefined) =>
  value === undefined ? 'Not recorded' : field === 'dateOfBirth' ? longDate(value) : value;

/** A note as the pages show it: its type, times and people in words, its text as it stands. */
export function describedNote(n: Note) {
  const current = n.versions.at(-1)!;
  return {
    id: n.id,
    type: noteTypeName(n.noteType),
    happened: dateTime(n.happenedAt),
    recorded: dateTime(n.recordedAt),
    author: n.author,
    present: n.present.join(', '),
    significant: n.significant,
    restricted: n.restricted,
    text: current.text,
    amended: n.versions.length > 1,
    versions: n.versions.map((v, i) => ({
      number: i + 1,
      text: v.text,
      when: dateTime(v.at),
      by: v.by,
      reason: v.reason,
    })),
    signedOff: n.signedOff ? { by: n.signedOff.by, when: dateTime(n.signedOff.at) } : undefined,
  };
}

/** Whose details a case holds, by the referral's keys. */
const PEOPLE_OF: Record<string, PersonRole[]> = {
  parentInfant: ['parent', 'baby', 'referrer'],
  frontDoor: ['child', 'referrer'],
  reconnect: ['person', 'referrer'],
  enhancedReconnect: ['person', 'referrer'],
};
const REFERRAL_KEY: Record<PersonRole, string> = {
  parent: 'parent',
  baby: 'child',
  child: 'child',
  person: 'person',
  referrer: 'referrer',
};
export const FIELDS_OF = (person: PersonRole): DetailField[] =>
  person === 'referrer'
    ? ['name', 'phone', 'email']
    : ['name', 'dateOfBirth', 'nhsNumber', 'address', 'phone', 'email'];

/** The people a case's pathway holds details of. */
export const peopleOfPathway = (pathway: string): PersonRole[] => PEOPLE_OF[pathway] ?? [];

/** A detail as it stands: the latest correction, else the referral's value. */
export function detailNow(d: RecordDetails, person: PersonRole, field: DetailField): string | undefined {
  const corrected = [...(d.corrections ?? [])]
    .reverse()
    .find((c) => c.person === person && c.field === field);
  if (corrected) return corrected.value;
  const p = d.referral?.[REFERRAL_KEY[person]] as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return undefined;
  const contact = p.contact as { route?: string; value?: string } | undefined;
  if (field === 'phone' || field === 'email') return contact?.route === field ? contact.value : undefined;
  const v = p[field];
  return typeof v === 'string' ? v : undefined;
}

/** The people on the case with their name and date of birth, for a print view's heading. */
export function peopleHeading(pathway: string, d: RecordDetails) {
  return peopleOfPathway(pathway)
    .filter((p) => p !== 'referrer')
    .map((p) => ({
      role: personName(p),
      name: detailNow(d, p, 'name'),
      dateOfBirth: detailNow(d, p, 'dateOfBirth'),
    }))
    .filter((p) => p.name || p.dateOfBirth)
    .map((p) => ({
      ...p,
      dateOfBirth: p.dateOfBirth ? longDate(p.dateOfBirth) : 'Not recorded',
      name: p.name ?? 'Not recorded',
    }));
}

/** The history of changes to people's details, newest first. */
export function changeHistory(d: RecordDetails) {
  return [...(d.corrections ?? [])].reverse().map((c) => ({
    person: personName(c.person),
    field: fieldName(c.field),
    value: valueInWords(c.field, c.value),
    previous: valueInWords(c.field, c.previous),
    by: c.by,
    when: dateTime(c.at),
    reason: c.reason,
  }));
}

/** Transfers asked for, newest first, in words. */
export function transferHistory(d: RecordDetails) {
  return [...(d.transfers ?? [])].reverse().map((t) => ({
    from: t.fromTeam,
    to: t.toTeam,
    requested: dateTime(t.requestedAt),
    by: t.requestedBy,
    reason: t.reason,
    answer: t.answer
      ? `${t.answer.accepted ? 'Accepted' : 'Declined'} by ${t.answer.by}, ${dateTime(t.answer.at)}${t.answer.reason ? `: ${t.answer.reason}` : ''}`
      : 'Waiting for an answer',
  }));
}

/** What a chronology entry says: its title, and the words under it. */
export function describedEntry(c: ChronologyEntry) {
  const base = { id: c.id, at: c.at, when: dateTime(c.at), date: localDateOf(c.at), by: c.by };
  if (c.kind === 'note' && c.note) {
    const n = describedNote(c.note);
    return {
      ...base,
      kind: 'note' as const,
      title: `${n.type} (case note)`,
      lines: [n.text, ...(n.present ? [`Present: ${n.present}`] : [])],
    };
  }
  const data = c.entry?.data ?? {};
  const lines: string[] = [];
  if (c.type === 'DETAILS_CORRECTED')
    lines.push(
      `${personName(String(data.person))}: ${fieldName(String(data.field)).toLowerCase()} corrected${c.entry?.reason ? ` (${c.entry.reason})` : ''}`,
    );
  if (c.type === 'TRANSFER_REQUESTED')
    lines.push(`To ${String(data.toTeam)}${c.entry?.reason ? `: ${c.entry.reason}` : ''}`);
  else if (c.type !== 'DETAILS_CORRECTED' && c.type !== 'REMINDER' && c.entry?.reason)
    lines.push(`Why: ${c.entry.reason}`);
  if (c.movedTo) lines.push(`Now: ${stateName(c.movedTo.split('.').at(-1)!).toLowerCase()}`);
  return { ...base, kind: 'event' as const, title: eventName(c.type), lines };
}

/** The record's links on a case page, as far as the caller may follow them. */
export function recordLinks(
  caller: Staff,
  view: Pick<CaseView, 'caseId' | 'team' | 'namedWorker' | 'transfer' | 'open'>,
) {
  const works = caller.roles.includes('caseworker') || caller.roles.includes('supervisor');
  const supervises = caller.roles.includes('supervisor') && caller.teams.includes(view.team);
  const reads = needsToKnow(caller, view);
  return {
    caseId: view.caseId,
    notes: reads,
    chronology: reads,
    record: reads,
    correct: reads && works && view.open && mayTake(caller, view, 'DETAILS_CORRECTED'),
    transfer: supervises && view.open && !view.transfer && mayTake(caller, view, 'TRANSFER_REQUESTED'),
    withdrawTransfer:
      supervises && view.open && !!view.transfer && mayTake(caller, view, 'TRANSFER_WITHDRAWN'),
    transferWaiting: view.transfer?.toTeam,
    oversight: supervises,
  };
}
