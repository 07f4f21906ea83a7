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

/** Which teams' cases the verified caller may act on; absent on calls the service makes itself. */
export type Access = { teams: string[] } | { allTeams: true };

/** Caseworker and supervisor actions: validated before anything is written; the caller gets the new view. */
export const actUpdate = defineUpdate<CaseView, [Command, Access?]>('act');
/** Notifications from other systems (release dates, recall, care proceedings); idempotent by event id. */
export const reportSignal = defineSignal<[Command]>('report');
export const viewQuery = defineQuery<CaseView>('view');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
export const detailsQuery = defineQuery<Record<string, unknown>>('details');
/** What reports count about the case: codes and dates, no personal data. */
export const factsQuery = defineQuery<CaseFacts>('facts');
