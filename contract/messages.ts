import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseView, TimelineEntry } from './case';
import type { CaseFacts } from '../reports/facts';

/** An event as sent from outside: the workflow stamps `at` with its own clock. */
export type Command = {
  type: string;
  eventId: string;
  actor: { id: string; role: string };
  reason?: string;
} & Record<string, unknown>;

/** Which teams' cases the verified caller may act on. */
export type Access = { teams: string[] } | { allTeams: true };

/**
 * Who let a command through, for which case, and when: the service's own API (or its client,
 * for what the service does itself) after verifying the caller, never the caller.
 */
export interface Issued {
  caseId: string;
  /** The part of the service that verified the caller: `api`, or `client` for the service's own work. */
  by: string;
  at: string;
  /** The teams the verified caller may act for: the case checks its own team against them. */
  access: Access;
}

/**
 * A command as the service's client sends it: the command and its issue, as JSON, with an HMAC
 * of that JSON under the key ring's command key (security/commands.ts). The worker's codec
 * checks the seal before the case sees it, so a command reaches a case sealed only if the
 * service's client sealed it, for that case.
 */
export interface SealedCommand {
  sealed: string;
  seal: string;
}

/** What a payload that the service cannot verify decodes to (security/codec.ts): a refusal. */
export interface Unverified {
  $unverified: string;
}

/** An action or a report as it reaches a case: sealed by the service's client (cases before that: bare). */
export type Message = SealedCommand | Command | Unverified;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A message as a case reads it: the command and, when the service's client sealed it, who
 * issued it; or why it cannot be taken at all. Pure, so the workflow reads replays the same way.
 */
export function openMessage(message: unknown): { command: Command; issued?: Issued } | { refused: string } {
  if (!isObject(message)) return { refused: 'it is not a command' };
  if (typeof message.$unverified === 'string') return { refused: message.$unverified };
  if (typeof message.sealed !== 'string' || typeof message.seal !== 'string')
    return { command: message as Command };
  try {
    const { command, issued } = JSON.parse(message.sealed) as { command?: unknown; issued?: unknown };
    if (isObject(command) && isObject(issued) && typeof issued.caseId === 'string' && isObject(issued.access))
      return { command: command as Command, issued: issued as unknown as Issued };
  } catch {
    // Not JSON: refused below.
  }
  return { refused: 'its sealed command cannot be read' };
}

/**
 * Caseworker and supervisor actions: validated before anything is written; the caller gets the
 * new view. (Cases from before sealing also carried an `Access` argument, which nothing reads.)
 */
export const actUpdate = defineUpdate<CaseView, [Message]>('act');
/** Notifications from other systems (release dates, recall, care proceedings); idempotent by event id. */
export const reportSignal = defineSignal<[Message]>('report');
export const viewQuery = defineQuery<CaseView>('view');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
export const detailsQuery = defineQuery<Record<string, unknown>>('details');
/** What reports count about the case: codes and dates, no personal data. */
export const factsQuery = defineQuery<CaseFacts>('facts');
