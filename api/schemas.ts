import { instant, localDate } from '../calendar/calendar';
import { z } from 'zod';
import { TeamId, PrincipalId } from '../auth/caller';
import { pathways, PATHWAYS } from '../machines';

/**
 * The API contract: every request and response schema, built from the machines' own zod
 * schemas, so the routes validate with exactly what the OpenAPI document describes.
 */

export {
  ACTIONS,
  actionsFor,
  CallerEventId,
  CaseId,
  REPORTS,
  reportsFor,
  rolesFor,
  UUID,
} from '../access/actions';
import { ACTIONS, CaseId, caseIdOf, REPORTS, type CommandUnion } from '../access/actions';

export const CaseParams = z.object({ id: CaseId });

/** Why personal data is being read: required, recorded in the access log. */
export const AccessReason = z.string().trim().min(3).max(200);

export const ActionBody = z
  .union(PATHWAYS.map((id) => ACTIONS[id]) as [CommandUnion, ...CommandUnion[]])
  .meta({
    id: 'Action',
    description: 'An action on a case; which ones apply depends on its pathway and state.',
  });
export const ReportBody = z
  .union(PATHWAYS.map((id) => REPORTS[id]) as [CommandUnion, ...CommandUnion[]])
  .meta({ id: 'Report', description: "Another system's report about a case." });

export const ReferralBody = z
  .discriminatedUnion(
    'pathway',
    PATHWAYS.map((id) =>
      z
        .object({
          pathway: z.literal(id),
          referral: pathways[id].referral,
          team: TeamId.optional(),
          /** A re-referral names the closed case of the same pathway that it follows. */
          previousCaseId: caseIdOf(id).optional(),
        })
        .strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: 'Referral' });

function stateNames(): string[] {
  const names = new Set<string>();
  const walk = (node: { key: string; states: Record<string, unknown> }) => {
    names.add(node.key);
    for (const child of Object.values(node.states)) walk(child as typeof node);
  };
  for (const id of PATHWAYS) for (const s of Object.values(pathways[id].machine.root.states)) walk(s);
  return [...names].sort();
}
export const STATE_NAMES = stateNames() as [string, ...string[]];

export const CaseloadQuery = z
  .object({
    pathway: z.enum(PATHWAYS).optional(),
    state: z.enum(STATE_NAMES).optional(),
    team: TeamId.optional(),
    worker: PrincipalId.optional(),
    reference: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^(PI|FD|RC|ER)-\d{2}-\d{4,6}$/, 'a case reference, for example PI-26-0042')
      .optional(),
    priorityGroup: z.enum(['1', '2', '3']).optional(),
    open: z.enum(['true', 'false']).optional(),
    /** Cases offered for transfer to the caller's teams (or to `team`), waiting for an answer. */
    offered: z.enum(['true', 'false']).optional(),
    dueFrom: instant.optional(),
    dueTo: instant.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(500),
  })
  .strict();

export const AgendaQuery = z.object({ team: TeamId.optional() }).strict();
/** A chronology: why it is read, and optionally its order and a period (UK dates). */
export const ChronologyQuery = z
  .object({
    reason: AccessReason,
    order: z.enum(['newest', 'oldest']).optional(),
    from: localDate.optional(),
    to: localDate.optional(),
  })
  .strict();
/** Why a closed case is reopened: kept as the new case's first note. */
export const ReopenBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
export const ReasonQuery = z.object({ reason: AccessReason }).strict();
export const OptionalReasonQuery = z.object({ reason: AccessReason.optional() }).strict();

const Actor = z.object({ id: z.string(), role: z.string() });

const DeadlineView = z.object({
  name: z.string(),
  kind: z.string(),
  label: z.string(),
  at: z.string(),
  notify: z.string().optional(),
});

export const CaseView = z
  .object({
    caseId: z.string(),
    pathway: z.enum(PATHWAYS),
    state: z.string(),
    statePath: z.string(),
    open: z.boolean(),
    team: z.string(),
    namedWorker: z.string().optional(),
    allowedActions: z.array(z.string()),
    deadlines: z.array(DeadlineView),
    overdue: z.array(DeadlineView).optional(),
    closure: z
      .object({ reason: z.string(), at: z.string(), by: Actor, signposting: z.array(z.string()) })
      .optional(),
    lastSeq: z.number().int(),
    /** The case's short reference, for example PI-26-0042. */
    reference: z.string().optional(),
    previousCaseId: z.string().optional(),
    consultationId: z.string().optional(),
    /** A transfer to another team waiting for that team's supervisor to accept or decline it. */
    transfer: z.object({ toTeam: z.string(), requestedAt: z.string(), requestedBy: z.string() }).optional(),
    /** The case's execution was ended in Temporal (terminated, say) without the case closing. */
    ended: z
      .object({ status: z.enum(['terminated', 'failed', 'timedOut', 'canceled']), at: z.string().optional() })
      .optional(),
  })
  .meta({ id: 'CaseView' });

export const CreatedCase = CaseView.extend({ notice: z.string() });

export const TimelineEntry = z
  .object({
    seq: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    at: z.string(),
    actor: Actor,
    reason: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    from: z.string(),
    to: z.string(),
    /** Free text was withheld: read it with a reason, if you need to know. */
    restricted: z.boolean().optional(),
  })
  .meta({ id: 'TimelineEntry' });

export const CaseloadRow = z
  .object({
    caseId: z.string(),
    pathway: z.string(),
    state: z.string(),
    open: z.boolean(),
    team: z.string().optional(),
    namedWorker: z.string().optional(),
    nextDeadline: z.string().optional(),
    releaseDate: z.string().optional(),
    priorityGroup: z.string().optional(),
    reference: z.string().optional(),
    transferTo: z.string().optional(),
  })
  .meta({ id: 'CaseloadRow' });

export const Agenda = z.array(z.object({ meetingAt: z.string(), cases: z.array(CaseView) }));

export const Me = z.object({
  id: z.string(),
  kind: z.enum(['staff', 'integration']),
  roles: z.array(z.string()).optional(),
  teams: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
});

export const BankHolidayFeed = z.object({
  'england-and-wales': z.object({
    division: z.string().max(100).optional(),
    events: z
      .array(
        z.object({
          title: z.string().max(200),
          date: z.iso.date(),
          notes: z.string().max(200).optional(),
          bunting: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(1000),
  }),
});
