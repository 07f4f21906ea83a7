import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  consultationQuery,
  consultationUpdate,
  type ConsultationCommand,
  type ConsultationView,
  type ConsultationWorkflowInput,
} from '../contract/consultation';
import { SA } from '../contract/searchAttributes';
import type { ConsultationEvent } from '../machines/consultation';
import { logic } from './sharedLogic';

const now = () => new Date(Date.now()).toISOString();
const DAY_MS = 24 * 60 * 60 * 1000;

function refuse(code: string, message: string, details: Record<string, unknown> = {}): never {
  throw ApplicationFailure.create({ type: code, message, details: [details], nonRetryable: true });
}

/** A duty-line call or consultation: open until it becomes a referral, is closed, or lapses. */
export async function consultationWorkflow(input: ConsultationWorkflowInput): Promise<ConsultationView> {
  const {
    applyConsultationEvent,
    consultationActions,
    CONSULTATION_ROLES,
    LAPSE_DAYS,
    openConsultation,
    parseConsultation,
    parseConsultationEvent,
    TIMER,
  } = logic();
  const consultation = parseConsultation(input.consultation);
  if (!consultation) throw ApplicationFailure.nonRetryable('invalid consultation', 'invalid');
  const recordedAt = now();
  const lapsesAt = new Date(Date.parse(recordedAt) + LAPSE_DAYS * DAY_MS).toISOString();
  let snapshot = openConsultation(consultation);
  const timeline: ConsultationView['timeline'] = [{ at: recordedAt, actor: input.actor, type: 'RECORDED' }];
  const state = () => snapshot.value;

  const view = (): ConsultationView => {
    const c = snapshot.context;
    return {
      consultationId: workflowInfo().workflowId,
      pathway: c.consultation.pathway,
      route: c.consultation.route,
      team: input.team,
      state: state(),
      open: state() === 'open',
      allowedActions: consultationActions(snapshot),
      receivedAt: c.consultation.receivedAt,
      recordedBy: input.actor,
      ...(state() === 'open' ? { lapsesAt } : {}),
      ...(c.caseId ? { caseId: c.caseId } : {}),
      ...(c.outcome ? { outcome: c.outcome } : {}),
      ...(c.closedAt ? { closedAt: c.closedAt } : {}),
      timeline,
      consultation: c.consultation,
    };
  };

  const publish = () => {
    if (input.searchAttributes === false) return;
    upsertSearchAttributes([
      { key: SA.pathway, value: consultation.pathway },
      { key: SA.state, value: state() },
      { key: SA.open, value: state() === 'open' },
      { key: SA.team, value: input.team },
      { key: SA.nextDeadline, value: state() === 'open' ? new Date(lapsesAt) : null },
    ]);
  };

  const parse = (command: ConsultationCommand): ConsultationEvent => {
    const event = parseConsultationEvent({ ...command, at: now() });
    if (!event) return refuse('invalid', 'That is not an action on a consultation.');
    const roles = Object.hasOwn(CONSULTATION_ROLES, event.type) ? CONSULTATION_ROLES[event.type] : [];
    if (!roles.includes(event.actor.role)) {
      refuse('forbidden', `${event.type} is not for a ${event.actor.role}.`);
    }
    const allowed = consultationActions(snapshot);
    if (!(allowed as string[]).includes(event.type)) {
      refuse(
        'notAllowed',
        `The consultation is ${state()}; it can take: ${allowed.join(', ') || 'nothing'}.`,
        {
          state: state(),
          allowedActions: allowed,
        },
      );
    }
    return event;
  };

  const apply = (event: ConsultationEvent) => {
    snapshot = applyConsultationEvent(snapshot, event);
    timeline.push({
      at: event.at,
      actor: event.actor,
      type: event.type,
      ...(event.type === 'CLOSED' && event.note ? { note: event.note } : {}),
      ...(event.type === 'REFERRED' ? { caseId: event.caseId } : {}),
    });
    publish();
  };

  setHandler(
    consultationUpdate,
    (command: ConsultationCommand) => {
      apply(parse(command));
      return view();
    },
    {
      validator: (command: ConsultationCommand, access?: { teams: string[] }) => {
        if (access && !access.teams.includes(input.team))
          refuse('forbidden', 'This consultation is another team’s.');
        parse(command);
      },
    },
  );
  setHandler(consultationQuery, view);
  publish();

  const decided = await condition(() => state() !== 'open', Date.parse(lapsesAt) - Date.now());
  if (!decided) apply({ type: 'LAPSED', at: now(), actor: TIMER });
  await condition(allHandlersFinished);
  return view();
}
