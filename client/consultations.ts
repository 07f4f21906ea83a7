import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CaseView } from '../contract/case';
import {
  consultationQuery,
  consultationUpdate,
  type ConsultationCommand,
  type ConsultationView,
  type ConsultationWorkflowInput,
} from '../contract/consultation';
import { SA } from '../contract/searchAttributes';
import { Consultation, consultationRefusals } from '../machines/consultation';
import { Actor } from '../machines/common/envelope';
import { CaseInputError, CaseRefusedError, issuesOf, quote, refusalFrom, type CaseClient } from './cases';

export const CONSULTATION_PREFIX = 'consultation-';

export interface ConsultationRow {
  consultationId: string;
  pathway: string;
  state: string;
  team?: string;
  lapsesAt?: string;
}

/**
 * Duty-line calls and consultations: recorded before (or instead of) a referral. One becomes
 * a referral through `refer`, which opens the case under an id fixed by the consultation, so a
 * retry after a failure finds the same case instead of opening a second.
 */
export class ConsultationClient {
  private readonly temporal: Client;

  constructor(private readonly cases: CaseClient) {
    this.temporal = cases.temporal;
  }

  async record(consultation: unknown, actor: unknown, team: string): Promise<ConsultationView> {
    const who = Actor.safeParse(actor);
    if (!who.success)
      throw new CaseInputError('who is recording it is missing or invalid', issuesOf(who.error.issues));
    const parsed = Consultation.safeParse(consultation);
    if (!parsed.success) throw new CaseInputError('invalid consultation', issuesOf(parsed.error.issues));
    const refusals = consultationRefusals(parsed.data, await this.cases.now());
    if (refusals.length > 0) {
      throw new CaseRefusedError(
        'notAllowed',
        `the consultation cannot be recorded: ${refusals.join('; ')}`,
        {
          issues: refusals.map((message) => ({ path: ['consultation'], message })),
        },
      );
    }
    const input: ConsultationWorkflowInput = {
      consultation: parsed.data,
      team,
      actor: who.data,
      ...(this.cases.options.searchAttributes === false ? { searchAttributes: false } : {}),
    };
    const id = `${CONSULTATION_PREFIX}${randomUUID()}`;
    const handle = await this.temporal.workflow.start('consultationWorkflow', {
      workflowId: id,
      taskQueue: this.cases.options.taskQueue,
      args: [input],
    });
    return handle.query(consultationQuery);
  }

  view(consultationId: string): Promise<ConsultationView> {
    return this.temporal.workflow.getHandle(consultationId).query(consultationQuery);
  }

  /** Closes an open consultation without a referral: advice given, signposted, or nothing further. */
  close(
    consultationId: string,
    close: { outcome: string; note?: string; eventId?: string },
    actor: unknown,
    teams?: string[],
  ): Promise<ConsultationView> {
    return this.act(
      consultationId,
      {
        type: 'CLOSED',
        eventId: close.eventId ?? randomUUID(),
        actor: actor as Actor,
        outcome: close.outcome,
        ...(close.note ? { note: close.note } : {}),
      },
      teams,
    );
  }

  /**
   * Turns an open consultation into a referral of its pathway. The case is opened first, then
   * the consultation marked referred; both steps are idempotent, so a retry completes a half.
   */
  async refer(
    consultationId: string,
    referral: unknown,
    actor: unknown,
    teams?: string[],
  ): Promise<{ consultation: ConsultationView; case: CaseView }> {
    const before = await this.view(consultationId);
    if (teams && !teams.includes(before.team))
      throw new CaseRefusedError('forbidden', 'This consultation is another team’s.');
    const caseId = `${before.pathway}-${consultationId.slice(CONSULTATION_PREFIX.length)}`;
    if (before.state !== 'open' && before.caseId !== caseId) {
      throw new CaseRefusedError('notAllowed', `The consultation is ${before.state}; it can take: nothing.`, {
        state: before.state,
        allowedActions: [],
      });
    }
    const opened = await this.cases.refer(before.pathway, referral, actor, before.team, undefined, {
      consultationId,
      caseId,
    });
    const consultation =
      before.state === 'referred'
        ? before
        : await this.act(
            consultationId,
            { type: 'REFERRED', eventId: `${consultationId}:referred`, actor: actor as Actor, caseId },
            teams,
          );
    return { consultation, case: opened };
  }

  /** Open consultations of these teams, soonest to lapse first. */
  async list(
    filter: { teams?: readonly string[]; open?: boolean } = {},
    limit = 200,
  ): Promise<ConsultationRow[]> {
    const clauses = [`WorkflowType = 'consultationWorkflow'`];
    if (filter.teams) {
      if (filter.teams.length === 0) return [];
      clauses.push(`${SA.team.name} IN (${filter.teams.map(quote).join(', ')})`);
    }
    if (filter.open !== undefined) clauses.push(`${SA.open.name} = ${String(filter.open)}`);
    const rows: ConsultationRow[] = [];
    for await (const wf of this.temporal.workflow.list({ query: clauses.join(' AND '), pageSize: limit })) {
      const sa = wf.typedSearchAttributes;
      const lapsesAt = sa.get(SA.nextDeadline)?.toISOString();
      rows.push({
        consultationId: wf.workflowId,
        pathway: sa.get(SA.pathway) ?? '',
        state: sa.get(SA.state) ?? '',
        ...(sa.get(SA.team) ? { team: sa.get(SA.team) } : {}),
        ...(lapsesAt ? { lapsesAt } : {}),
      });
      if (rows.length >= limit) break;
    }
    return rows.sort((a, b) => (a.lapsesAt ?? '~').localeCompare(b.lapsesAt ?? '~'));
  }

  private async act(
    consultationId: string,
    command: ConsultationCommand,
    teams?: string[],
  ): Promise<ConsultationView> {
    try {
      return await this.temporal.workflow.getHandle(consultationId).executeUpdate(consultationUpdate, {
        args: teams ? [command, { teams }] : [command],
        updateId: command.eventId,
      });
    } catch (err) {
      const refused = refusalFrom(err);
      if (refused) throw refused;
      // A consultation that has ended is a finished workflow: it still answers queries.
      const ended =
        err instanceof WorkflowNotFoundError
          ? await this.view(consultationId).catch(() => undefined)
          : undefined;
      if (ended) {
        throw new CaseRefusedError(
          'notAllowed',
          `The consultation is ${ended.state}; it can take: nothing.`,
          {
            state: ended.state,
            allowedActions: [],
          },
        );
      }
      throw err;
    }
  }
}
