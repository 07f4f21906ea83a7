import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  QueryRejectedError,
  WorkflowClient,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition } from '@temporalio/common';
import { parseBankHolidayFeed, type HolidayCalendar, type MeetingSchedule } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { pathwayOf, PATHWAYS, type PathwayId } from '../machines';
import { Actor } from '../machines/common/envelope';
import { sealCommand } from '../security/commands';
import { linkKeyFor, type KeyRing } from '../security/keys';
import { isRefusalCode, type CaseWorkflowInput, type RefusalCode } from '../contract/case';
import type { CaseView, TimelineEntry } from '../contract/case';
import {
  actUpdate,
  detailsQuery,
  factsQuery,
  reportSignal,
  timelineQuery,
  viewQuery,
  type Access,
  type Command,
} from '../contract/messages';
import { SA } from '../contract/searchAttributes';
import type { Records } from '../store/records';
import { peopleOfReferral } from './people';
import type { CaseFacts } from '../reports/facts';
import { RULES_VERSION } from '../machines/common/rules';

/** Bad input: nothing was started or changed. `issues` name the fields. */
export class CaseInputError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'CaseInputError';
  }
}

/** The case refused an action: `state` and `allowedActions` say what it can do instead. */
export class CaseRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: { state?: string; allowedActions?: string[]; issues?: unknown[] } = {},
  ) {
    super(message);
    this.name = 'CaseRefusedError';
  }
}

export interface CaseloadFilter {
  pathway?: PathwayId;
  state?: string;
  team?: string;
  /** Only cases of these teams (need-to-know); an empty list matches nothing. */
  teams?: readonly string[];
  namedWorker?: string;
  /** The case with this short reference (`PI-26-0042`). */
  reference?: string;
  /** Only cases with no named worker. */
  unassigned?: boolean;
  open?: boolean;
  priorityGroup?: string;
  /** Cases whose next deadline falls in this range (instants, inclusive). */
  nextDeadlineFrom?: string;
  nextDeadlineTo?: string;
  /** Cases offered for transfer to one of these teams, waiting for its answer. */
  transferTo?: readonly string[];
}

export interface CaseloadRow {
  caseId: string;
  pathway: string;
  state: string;
  open: boolean;
  team?: string;
  namedWorker?: string;
  nextDeadline?: string;
  releaseDate?: string;
  priorityGroup?: string;
  reference?: string;
  /** The team a transfer of the case waits on. */
  transferTo?: string;
}

export interface CaseClientOptions {
  /** Continue-as-new threshold passed to new cases (history events); unset: the server decides. */
  continueAsNewAfter?: number;
  taskQueue: string;
  keys: KeyRing;
  /** The default team for new referrals. */
  team: string;
  /** Off only on a server that lacks the custom search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
  /** The teams' weekly meeting, for new cases; absent: Monday 10:00. */
  meeting?: MeetingSchedule;
  /**
   * The clock cases open by (milliseconds since 1970), which a referral's receipt is judged
   * against; absent: the real clock. A time-skipping test server's own is passed in its tests.
   */
  clock?: () => number | Promise<number>;
  /**
   * The record store's references and person index: each new case is given its reference and
   * its people are indexed before it starts. Absent (some tests): cases have no reference. With
   * its report facts, each case's facts are written there after a referral and every action, so
   * what awaits a supervisor's sign-off is current, not as of the last hourly refresh.
   */
  records?: Pick<Records, 'references' | 'people'> & Partial<Pick<Records, 'facts'>>;
  /** Where a failure to write a case's facts is told (never with case data); absent: the console. */
  warn?: (message: string) => void;
}

function pathwayOfCase(caseId: string): PathwayId {
  const prefix = caseId.split('-')[0] as PathwayId;
  if (!PATHWAYS.includes(prefix)) throw new CaseInputError(`unknown case id: ${caseId}`);
  return prefix;
}

/**
 * A string literal for Temporal's visibility query language: backslashes and quotes escaped,
 * control characters refused. Callers pass only validated values; this is the second line.
 */
export function quote(v: string): string {
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new CaseInputError('a filter value has a control character');
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Caller-supplied event ids live in their own namespace, apart from the ids the service uses. */
export const callerEventId = (callerId: string, eventId: string = randomUUID()) => `c:${callerId}:${eventId}`;

/** The only way the outside talks to cases: used by the HTTP API, the CLI and the tests. */
export class CaseClient {
  constructor(
    readonly temporal: Client,
    private readonly o: CaseClientOptions,
  ) {}

  get options(): Readonly<CaseClientOptions> {
    return this.o;
  }

  /** Now, by the clock cases open by: what a referral's or a consultation's receipt is judged against. */
  async now(): Promise<string> {
    return new Date(await (this.o.clock ?? Date.now)()).toISOString();
  }

  /** Starts a case for a referral. Invalid referrals start nothing. */
  async refer(
    pathwayId: string,
    referral: unknown,
    actor: unknown,
    team = this.o.team,
    previousCaseId?: string,
    /** A case id fixed by its source (a consultation, a reopened case), so a retry finds the same case. */
    from?: { consultationId?: string; caseId: string },
  ): Promise<CaseView> {
    if (!PATHWAYS.includes(pathwayId as PathwayId)) {
      throw new CaseInputError(`unknown pathway "${pathwayId}"; one of: ${PATHWAYS.join(', ')}`);
    }
    const pathway = pathwayOf(pathwayId as PathwayId);
    const who = Actor.safeParse(actor);
    if (!who.success)
      throw new CaseInputError('who is referring is missing or invalid', issuesOf(who.error.issues));
    const parsed = pathway.referral.safeParse(referral);
    if (!parsed.success) throw new CaseInputError('invalid referral', issuesOf(parsed.error.issues));
    const refusals = pathway.refusalsOnOpening(parsed.data, await this.now());
    if (refusals.length > 0) {
      throw new CaseRefusedError('notAllowed', `the referral cannot be accepted: ${refusals.join('; ')}`, {
        issues: refusals.map((message) => ({ path: ['referral'], message })),
      });
    }
    const childRef = (parsed.data as { childRef?: string }).childRef;
    const childLinkKey = childRef ? linkKeyFor(this.o.keys, childRef) : undefined;
    if (childLinkKey && pathway.id === 'parentInfant' && (await this.childInCareProceedings(childLinkKey))) {
      throw new CaseRefusedError(
        'notAllowed',
        'the child is already in care proceedings, so the service cannot accept this referral',
      );
    }
    if (previousCaseId) await this.checkReReferral(pathway.id, previousCaseId);
    const caseId = from?.caseId ?? `${pathway.id}-${randomUUID()}`;
    // Given before the case starts, and the same again on a retry: a reference names one case.
    const reference = this.o.records
      ? await this.o.records.references.allocate(caseId, pathway.id, new Date(await this.now()))
      : undefined;
    if (this.o.records) await this.o.records.people.index(caseId, peopleOfReferral(pathway.id, parsed.data));
    const input: CaseWorkflowInput = {
      pathway: pathway.id,
      referral: parsed.data,
      team,
      calendar: shippedHolidays,
      actor: who.data,
      ...(childLinkKey ? { childLinkKey } : {}),
      ...(previousCaseId ? { previousCaseId } : {}),
      ...(reference ? { reference } : {}),
      ...(from?.consultationId ? { consultationId: from.consultationId } : {}),
      ...(this.o.meeting ? { meeting: this.o.meeting } : {}),
      ...(this.o.searchAttributes === false ? { searchAttributes: false } : {}),
      ...(this.o.continueAsNewAfter ? { continueAsNewAfter: this.o.continueAsNewAfter } : {}),
      rules: RULES_VERSION,
    };
    try {
      await this.temporal.workflow.start('caseWorkflow', {
        workflowId: caseId,
        taskQueue: this.o.taskQueue,
        args: [input],
        ...(reference && this.o.searchAttributes !== false
          ? { typedSearchAttributes: [{ key: SA.reference, value: reference }] }
          : {}),
      });
    } catch (err) {
      // A retried referral from a consultation: its case id is fixed, so the case already exists.
      if (!(from && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await this.writeFacts(caseId);
    return this.view(caseId);
  }

  /**
   * Writes the case's current facts to the record store, if it has one. A failure is told without
   * case data and never fails what the caller did: the hourly refresh writes them again.
   */
  private async writeFacts(caseId: string): Promise<void> {
    const store = this.o.records?.facts;
    if (!store) return;
    try {
      await store.put(await this.facts(caseId));
    } catch (err) {
      (this.o.warn ?? ((m: string) => console.warn(m)))(
        `a case's report facts were not written to the record store (${(err as Error)?.name ?? 'error'}); the next refresh writes them`,
      );
    }
  }

  /** A closed case is never edited: a re-referral opens a new case that links to a closed one. */
  private async checkReReferral(pathway: PathwayId, previousCaseId: string): Promise<void> {
    if (!previousCaseId.startsWith(`${pathway}-`)) {
      throw new CaseInputError('cannot link the re-referral', [
        { path: 'previousCaseId', message: `a ${pathway} re-referral follows a ${pathway} case` },
      ]);
    }
    const status = await this.temporal.workflow
      .getHandle(previousCaseId)
      .describe()
      .then(
        (d) => d.status.name,
        () => undefined,
      );
    if (!status) throw new CaseRefusedError('notFound', 'cannot link the re-referral: no such case');
    if (status === 'RUNNING') {
      throw new CaseRefusedError('notAllowed', 'cannot link the re-referral: that case is still open');
    }
  }

  private async childInCareProceedings(link: string): Promise<boolean> {
    if (this.o.searchAttributes === false) return false;
    const query = `${SA.childLink.name} = ${quote(link)} AND ${SA.pathway.name} = 'frontDoor' AND ${SA.state.name} = 'careProceedings'`;
    for await (const _ of this.temporal.workflow.list({ query })) return true;
    return false;
  }

  /**
   * A caseworker or supervisor action. Resolves with the new view, or rejects with
   * CaseRefusedError. The command is sealed with who let it through (`by`: the API once it has
   * verified the caller, or the service's own work) and `access`, the caller's teams, which
   * the case checks against its own; absent: the service itself, for every team.
   */
  async act(
    caseId: string,
    command: unknown,
    access: Access = { allTeams: true },
    by = 'client',
  ): Promise<CaseView> {
    pathwayOfCase(caseId);
    const c = withEventId(command);
    const handle = this.temporal.workflow.getHandle(caseId);
    try {
      const view = await handle.executeUpdate(actUpdate, {
        args: [this.sealed(caseId, c, access, by)],
        updateId: c.eventId,
      });
      await this.writeFacts(caseId);
      return view;
    } catch (err) {
      const refused = refusalFrom(err);
      if (refused) throw refused;
      if (err instanceof WorkflowNotFoundError && (await this.isClosed(caseId))) {
        throw new CaseRefusedError(
          'closed',
          'The case is closed; it can no longer change. A re-referral opens a new case.',
        );
      }
      throw err;
    }
  }

  /** A command as only the service's client issues it: sealed for this case (security/commands.ts). */
  private sealed(caseId: string, command: Command, access: Access, by: string) {
    return sealCommand(this.o.keys, command, { caseId, by, at: new Date().toISOString(), access });
  }

  private isClosed(caseId: string): Promise<boolean> {
    return this.temporal.workflow
      .getHandle(caseId)
      .describe()
      .then(
        (d) => d.status.name !== 'RUNNING',
        () => false,
      );
  }

  /**
   * A notification from another system: no answer owed, idempotent by event id. A report to a
   * closed case changes nothing and says so.
   */
  async report(caseId: string, command: unknown, by = 'client'): Promise<{ eventId: string }> {
    pathwayOfCase(caseId);
    const c = withEventId(command);
    const handle = this.temporal.workflow.getHandle(caseId);
    try {
      await handle.signal(reportSignal, this.sealed(caseId, c, { allTeams: true }, by));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || !(await this.isClosed(caseId))) throw err;
      throw new CaseRefusedError('closed', 'The case is closed; the report changed nothing.');
    }
    return { eventId: c.eventId };
  }

  /**
   * Sends a newer bank-holiday feed to every open case. Each case applies it to deadlines it
   * computes from now on; sending the same version again changes nothing.
   */
  async updateReferenceData(feed: unknown, actor: unknown): Promise<{ version: string; cases: string[] }> {
    let calendar: HolidayCalendar;
    try {
      calendar = parseBankHolidayFeed(feed);
    } catch (err) {
      throw new CaseInputError('not a bank-holidays feed', issuesOf((err as { issues?: [] }).issues ?? []));
    }
    const who = Actor.safeParse(actor);
    if (!who.success)
      throw new CaseInputError('who is sending it is missing or invalid', issuesOf(who.error.issues));
    const open = await this.caseload({ open: true }, 100_000);
    for (const row of open) {
      await this.report(row.caseId, {
        type: 'REFERENCE_DATA_UPDATED',
        eventId: `reference-data:${calendar.version}`,
        actor: who.data,
        calendar,
      }).catch((err: unknown) => {
        if (!(err instanceof CaseRefusedError)) throw err; // closed meanwhile
      });
    }
    return { version: calendar.version, cases: open.map((r) => r.caseId) };
  }

  /** The team meeting's agenda: cases waiting for a decision, by meeting, oldest first. */
  async agenda(
    team?: string,
    teams?: readonly string[],
  ): Promise<{ meetings: { meetingAt: string; cases: CaseView[] }[]; unreadable: string[] }> {
    const rows = await this.caseload({
      state: 'awaitingTeamMeeting',
      open: true,
      ...(team ? { team } : {}),
      ...(teams ? { teams } : {}),
    });
    // One case that cannot be read is counted, never allowed to take the agenda down.
    const { views, unreadable } = await this.views(rows.map((r) => r.caseId));
    const byMeeting = new Map<string, CaseView[]>();
    for (const v of views) {
      const at = v.deadlines.find((d) => d.name === 'teamMeeting')?.at ?? v.deadlines[0]?.at ?? '';
      byMeeting.set(at, [...(byMeeting.get(at) ?? []), v]);
    }
    const meetings = [...byMeeting.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([meetingAt, cases]) => ({ meetingAt, cases }));
    return { meetings, unreadable };
  }

  /**
   * The case as it stands. A case whose execution was ended in Temporal (terminated, timed
   * out, failed) without the case closing reads as ended: not open, nothing allowed, no deadlines.
   */
  async view(caseId: string): Promise<CaseView> {
    const { value, ended } = await this.queryCase(caseId, viewQuery);
    if (!ended) return value;
    const { overdue: _overdue, ...view } = value;
    return { ...view, open: false, allowedActions: [], deadlines: [], ended };
  }

  /**
   * Several cases for a list: each within `ms`, and one that cannot be read (its workflow failing,
   * or slow to answer) is counted, never allowed to fail the list.
   */
  async views(caseIds: readonly string[], ms = 5_000): Promise<{ views: CaseView[]; unreadable: string[] }> {
    const read = await Promise.allSettled(
      caseIds.map((id) => this.temporal.withDeadline(Date.now() + ms, () => this.view(id))),
    );
    return {
      views: read.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      unreadable: caseIds.filter((_, i) => read[i]!.status === 'rejected'),
    };
  }

  /** The case's audit trail; one ended in Temporal says so last. */
  async timeline(caseId: string): Promise<TimelineEntry[]> {
    const { value, ended } = await this.queryCase(caseId, timelineQuery);
    if (!ended) return value;
    const last = value.at(-1);
    return [
      ...value,
      {
        seq: (last?.seq ?? 0) + 1,
        eventId: `${caseId}:ended`,
        type: ENDED_OUTSIDE,
        at: ended.at ?? last?.at ?? '',
        actor: { id: 'temporal', role: 'system' },
        data: { status: ended.status },
        from: last?.to ?? '',
        to: last?.to ?? '',
      },
    ];
  }

  #cleanQueries?: WorkflowClient;
  /**
   * Queries that Temporal refuses for an execution that did not complete cleanly, so a case
   * ended outside the service costs nothing extra to tell apart from a running one.
   */
  private get cleanQueries(): WorkflowClient {
    const o = this.temporal.workflow.options;
    return (this.#cleanQueries ??= new WorkflowClient({
      ...o,
      dataConverter: o.loadedDataConverter,
      queryRejectCondition: 'NOT_COMPLETED_CLEANLY',
    }));
  }

  private async queryCase<T>(
    caseId: string,
    query: QueryDefinition<T>,
  ): Promise<{ value: T; ended?: NonNullable<CaseView['ended']> }> {
    try {
      return { value: await this.cleanQueries.getHandle(caseId).query(query) };
    } catch (err) {
      if (!(err instanceof QueryRejectedError)) throw err;
      const handle = this.temporal.workflow.getHandle(caseId);
      const [value, d] = await Promise.all([handle.query(query), handle.describe()]);
      const status = ENDED_STATUS[d.status.name] ?? 'terminated';
      return { value, ended: { status, ...(d.closeTime ? { at: d.closeTime.toISOString() } : {}) } };
    }
  }

  /** What reports count about an open case (codes and dates only). */
  facts(caseId: string): Promise<CaseFacts> {
    return this.temporal.workflow.getHandle(caseId).query(factsQuery);
  }

  details(caseId: string): Promise<Record<string, unknown>> {
    return this.temporal.workflow.getHandle(caseId).query(detailsQuery);
  }

  /** The visibility query for a caseload filter; undefined when it can match nothing. */
  caseloadQuery(filter: CaseloadFilter): string | undefined {
    const clauses = [`WorkflowType = 'caseWorkflow'`];
    if (filter.pathway) clauses.push(`${SA.pathway.name} = ${quote(filter.pathway)}`);
    if (filter.state) clauses.push(`${SA.state.name} = ${quote(filter.state)}`);
    if (filter.team) clauses.push(`${SA.team.name} = ${quote(filter.team)}`);
    if (filter.teams) {
      if (filter.teams.length === 0) return undefined;
      clauses.push(`${SA.team.name} IN (${filter.teams.map(quote).join(', ')})`);
    }
    if (filter.namedWorker) clauses.push(`${SA.namedWorker.name} = ${quote(filter.namedWorker)}`);
    if (filter.reference) clauses.push(`${SA.reference.name} = ${quote(filter.reference)}`);
    if (filter.unassigned) clauses.push(`${SA.namedWorker.name} IS NULL`);
    if (filter.priorityGroup) clauses.push(`${SA.priorityGroup.name} = ${quote(filter.priorityGroup)}`);
    // Open: the case says so and its execution is running (a case terminated in Temporal is not).
    if (filter.open === true) clauses.push(`${SA.open.name} = true AND ExecutionStatus = 'Running'`);
    if (filter.open === false)
      clauses.push(
        `(${SA.open.name} = false OR ExecutionStatus IN ('Terminated', 'Failed', 'TimedOut', 'Canceled'))`,
      );
    if (filter.nextDeadlineFrom) clauses.push(`${SA.nextDeadline.name} >= ${quote(filter.nextDeadlineFrom)}`);
    if (filter.nextDeadlineTo) clauses.push(`${SA.nextDeadline.name} <= ${quote(filter.nextDeadlineTo)}`);
    if (filter.transferTo) {
      if (filter.transferTo.length === 0) return undefined;
      clauses.push(`${SA.transferTo.name} IN (${filter.transferTo.map(quote).join(', ')})`);
    }
    return clauses.join(' AND ');
  }

  /** How many cases match, however many there are (a visibility count, no rows read). */
  async count(filter: CaseloadFilter = {}): Promise<number> {
    const query = this.caseloadQuery(filter);
    if (query === undefined) return 0;
    return (await this.temporal.workflow.count(query)).count;
  }

  /** Caseloads come from search attributes alone: no case is woken to answer. */
  async caseload(filter: CaseloadFilter = {}, limit = 500): Promise<CaseloadRow[]> {
    const query = this.caseloadQuery(filter);
    if (query === undefined) return [];
    const rows: CaseloadRow[] = [];
    // One page holds the whole answer, so stopping early leaves no page request behind.
    for await (const wf of this.temporal.workflow.list({ query, pageSize: limit })) {
      rows.push(rowOf(wf));
      if (rows.length >= limit) break;
    }
    return rows.sort((a, b) => (a.nextDeadline ?? '~').localeCompare(b.nextDeadline ?? '~'));
  }
}

/** A timeline's last entry for a case ended in Temporal, outside the service. */
export const ENDED_OUTSIDE = 'ENDED_OUTSIDE_THE_SERVICE';
const ENDED_STATUS: Record<string, NonNullable<CaseView['ended']>['status']> = {
  TERMINATED: 'terminated',
  FAILED: 'failed',
  TIMED_OUT: 'timedOut',
  CANCELLED: 'canceled',
};

function rowOf(wf: WorkflowExecutionInfo): CaseloadRow {
  const sa = wf.typedSearchAttributes;
  const date = (d: Date | undefined) => d?.toISOString();
  return {
    caseId: wf.workflowId,
    pathway: sa.get(SA.pathway) ?? '',
    state: sa.get(SA.state) ?? '',
    // A case ended in Temporal without closing still says open in its search attributes.
    open: (sa.get(SA.open) ?? true) && wf.status.name === 'RUNNING',
    ...optional('team', sa.get(SA.team)),
    ...optional('namedWorker', sa.get(SA.namedWorker)),
    ...optional('nextDeadline', date(sa.get(SA.nextDeadline))),
    ...optional('releaseDate', date(sa.get(SA.releaseDate))?.slice(0, 10)),
    ...optional('priorityGroup', sa.get(SA.priorityGroup)),
    ...optional('reference', sa.get(SA.reference)),
    ...optional('transferTo', sa.get(SA.transferTo)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** An update's refusal from inside a workflow, as the error callers catch; undefined for anything else. */
export function refusalFrom(err: unknown): CaseRefusedError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure))
    return undefined;
  const details = (err.cause.details?.[0] ?? {}) as CaseRefusedError['details'];
  return new CaseRefusedError(
    isRefusalCode(err.cause.type) ? err.cause.type : 'notAllowed',
    err.cause.message,
    details,
  );
}

export function issuesOf(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

function withEventId(command: unknown): Command {
  if (!command || typeof command !== 'object' || Array.isArray(command)) {
    throw new CaseInputError('an action is an object with a "type"');
  }
  const c = command as Command;
  return { ...c, eventId: typeof c.eventId === 'string' && c.eventId ? c.eventId : randomUUID() };
}
