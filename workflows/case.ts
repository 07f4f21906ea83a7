import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseView, CaseWorkflowInput } from '../contract/case';
import {
  actUpdate,
  detailsQuery,
  factsQuery,
  openMessage,
  reportSignal,
  timelineQuery,
  viewQuery,
  type Command,
  type Message,
} from '../contract/messages';
import { searchAttributesOf } from '../contract/searchAttributes';
import type { Applied, CaseRecord } from './caseRecord';
import { carryOut, MESSAGES } from './effects';
import { PATCHES, rulesEditionOf } from './patches';
import { logic } from './sharedLogic';

const now = () => new Date(Date.now()).toISOString();

function refusalToFailure(err: unknown): never {
  if (err instanceof logic().Refusal)
    throw ApplicationFailure.create({
      type: err.code,
      message: err.message,
      details: [err.details],
      nonRetryable: true,
    });
  throw err;
}

/**
 * The rules edition a new case opens under: the one its input names, or, for cases opened before
 * the input named one, the one its history's patch markers say (patches.ts: RULES_EDITIONS). The
 * input carries it so that no further patch marker is recorded at the start of every case.
 */
function rulesOf(input: CaseWorkflowInput): number {
  if (input.rules === undefined) return rulesEditionOf(patched);
  if (!Number.isInteger(input.rules) || input.rules < 1 || input.rules > logic().RULES_VERSION)
    throw ApplicationFailure.nonRetryable(`invalid referral: no rules edition ${input.rules}`, 'invalid');
  return input.rules;
}

/** A new case from its referral, or the one carried across continue-as-new. */
function openCase(
  input: CaseWorkflowInput,
  caseId: string,
): { record: CaseRecord; effects: Applied['effects'] } {
  // An input the worker cannot verify (a key it does not hold, or not the service's): the
  // workflow task fails and is retried, so a case is never opened, or failed, from what it cannot read.
  const unreadable = openMessage(input);
  if ('refused' in unreadable) throw new Error(`the case's input cannot be read: ${unreadable.refused}`);
  if (input.carried) return { record: logic().CaseRecord.restore(input.carried), effects: [] };
  try {
    const { record, applied } = logic().CaseRecord.open({
      caseId,
      pathway: input.pathway,
      referral: input.referral,
      team: input.team,
      calendar: input.calendar,
      at: now(),
      actor: input.actor,
      ...(input.previousCaseId ? { previousCaseId: input.previousCaseId } : {}),
      ...(input.reference ? { reference: input.reference } : {}),
      ...(input.consultationId ? { consultationId: input.consultationId } : {}),
      ...(input.meeting ? { meeting: input.meeting } : {}),
      rules: rulesOf(input),
    });
    return { record, effects: applied.effects };
  } catch (err) {
    // A referral that bypassed the client's validation fails the case at once, never retries;
    // any other error fails the workflow task, so it is retried and seen, not taken for a refusal.
    const refused = logic().refusalToOpen(err);
    if (!refused) throw err;
    throw ApplicationFailure.nonRetryable(`invalid referral: ${refused.message}`, 'invalid');
  }
}

/** Why a case refuses a command that its service did not issue for it. */
const notIssued = (why: string) =>
  `This was not issued by the service's own API or client for this case (${why}); nothing was changed.`;

/** Actions (validated before anything is written), reports from other systems, and queries. */
function handleMessages(record: CaseRecord, applied: (a: Applied) => void): void {
  const stamp = (command: Command) => ({ ...command, at: now() });
  const refuse = (code: 'forbidden', message: string): never =>
    refusalToFailure(new (logic().Refusal)(code, message, {}));
  // Runs only for updates as they arrive, never on replay: cases recorded before sealing replay
  // their accepted (bare) actions through the handler alone.
  const validator = (message: Message) => {
    const opened = openMessage(message);
    if ('refused' in opened) return refuse('forbidden', notIssued(opened.refused));
    const { command, issued } = opened;
    if (!issued) return refuse('forbidden', notIssued('it carries no seal'));
    if (issued.caseId !== record.caseId) return refuse('forbidden', notIssued('it names another case'));
    if (record.hasSeen(command?.eventId)) return;
    const { access } = issued;
    const allTeams = 'allTeams' in access && access.allTeams === true;
    // A transfer is answered by the team it is offered to; everything else by the case's own team.
    if (!allTeams && !('teams' in access && access.teams.includes(record.teamToAnswer(command?.type))))
      return refuse('forbidden', 'This case belongs to another team.');
    try {
      record.check(stamp(command));
    } catch (err) {
      refusalToFailure(err);
    }
  };
  setHandler(
    actUpdate,
    (message) => {
      const opened = openMessage(message);
      if ('command' in opened && !record.hasSeen(opened.command.eventId))
        applied(record.apply(record.check(stamp(opened.command))));
      return record.view();
    },
    { validator },
  );
  const report = (command: Command) => {
    if (record.hasSeen(command?.eventId)) return;
    try {
      applied(record.apply(record.check(stamp(command))));
    } catch (err) {
      if (!(err instanceof logic().Refusal)) throw err;
      // Patched: cases whose histories predate this only logged refused reports.
      const refused = patched(PATCHES.recordRefusedReports)
        ? record.refuseReport(command ?? {}, now(), err)
        : undefined;
      if (refused) applied(refused);
      else log.warn('report refused', { code: err.code, state: record.summary().state });
    }
  };
  setHandler(reportSignal, (message) => {
    // Patched: cases whose histories predate this took any report that decoded, as it came.
    if (!patched(PATCHES.issuedReports)) return report(message as Command);
    const opened = openMessage(message);
    const why =
      'refused' in opened
        ? opened.refused
        : !opened.issued
          ? 'it carries no seal'
          : opened.issued.caseId !== record.caseId
            ? 'it names another case'
            : undefined;
    if ('command' in opened && why === undefined) return report(opened.command);
    // Refused at the boundary: recorded (nothing it says is quoted), and never a failed task.
    const refusal = new (logic().Refusal)('forbidden', notIssued(why ?? 'unknown'), {});
    log.warn('report not issued by the service refused', { why });
    applied(record.refuseReport({ eventId: `${record.caseId}:unverified:${uuid4()}` }, now(), refusal)!);
  });
  setHandler(viewQuery, () => record.view());
  setHandler(timelineQuery, () => record.timeline());
  setHandler(detailsQuery, () => record.details());
  setHandler(factsQuery, () => record.facts());
}

/**
 * One durable timer for the earliest deadline, kept while that deadline stays the same, so an
 * action that leaves it unchanged adds no timer events to the history.
 */
class DeadlineTimer {
  private at?: string;
  private scope?: CancellationScope;
  elapsed = false;

  /** Runs a timer until `at`, unless one for `at` is already running. */
  start(at: string): void {
    if (this.at === at) return;
    this.cancel();
    const scope = new CancellationScope();
    this.at = at;
    this.scope = scope;
    scope
      .run(() => sleep(Date.parse(at) - Date.now()))
      .then(
        () => void (this.scope === scope && (this.elapsed = true)),
        () => undefined,
      );
  }

  /** Has the timer for `at` fired? */
  firedFor(at: string): boolean {
    return this.elapsed && this.at === at;
  }

  cancel(): void {
    if (!this.elapsed) this.scope?.cancel();
    this.scope = undefined;
    this.at = undefined;
    this.elapsed = false;
  }
}

/** One case of any pathway, for its whole life: handlers, then one loop over effects and deadlines. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseView> {
  const { record, effects } = openCase(input, workflowInfo().workflowId);
  const queue = [...effects];
  let version = 0;
  const applied = (a: Applied) => {
    queue.push(...a.effects);
    version++;
  };
  handleMessages(record, applied);
  const timer = new DeadlineTimer();

  let published = '';
  const publish = () => {
    if (input.searchAttributes === false) return;
    // Patched: an overdue clock stays the case's next deadline until it is met.
    const overdue = patched(PATCHES.overdueStaysNext) ? record.overdueClocks()[0]?.at : undefined;
    const pairs = searchAttributesOf(
      input.pathway,
      record.summary(),
      overdue ?? record.pendingDeadlines()[0]?.at,
      input.childLinkKey,
    );
    const key = JSON.stringify(pairs.map((p) => p.value));
    if (key !== published) upsertSearchAttributes(pairs);
    published = key;
  };

  for (;;) {
    publish();
    for (let effect = queue.shift(); effect; effect = queue.shift()) {
      try {
        await carryOut(effect, record, now());
      } catch (err) {
        // A message undelivered within its retries is recorded; the case goes on.
        if (!(err instanceof ActivityFailure) || !MESSAGES.includes(effect.effect.type)) throw err;
        applied(record.effectFailed(effect, now(), err.cause?.message ?? err.message));
      }
    }
    // Patched: an action that arrived while effects ran is published before the case waits.
    if (patched(PATCHES.publishAfterEffects)) publish();
    if (record.isClosed) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= (input.continueAsNewAfter ?? Infinity)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof caseWorkflow>({ ...input, referral: undefined, carried: record.toState() });
    }
    const due = record.pendingDeadlines()[0];
    const seen = version;
    const changed = () => version !== seen || queue.length > 0;
    if (patched(PATCHES.keepDeadlineTimer)) {
      if (!due) {
        timer.cancel();
        await condition(changed);
      } else if (Date.parse(due.at) <= Date.now() || timer.firedFor(due.at)) {
        timer.cancel();
        applied(record.fire(due, now()));
      } else {
        timer.start(due.at);
        await condition(() => changed() || timer.elapsed);
      }
    } else if (!due) await condition(changed);
    else if (
      Date.parse(due.at) <= Date.now() ||
      !(await condition(changed, Date.parse(due.at) - Date.now()))
    ) {
      applied(record.fire(due, now()));
    }
  }
  await condition(allHandlersFinished);
  publish();
  return record.view();
}
