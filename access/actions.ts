import { z } from 'zod';
import { REPORT_TYPES } from '../auth/caller';
import { pathways, PATHWAYS, type Pathway, type PathwayId } from '../machines';
import type { Role } from '../machines/common/envelope';
import { own } from '../validation/lookup';

/**
 * What callers may send a case, per pathway, from the machines' own schemas and role tables: the
 * API validates with it and the workspace builds its forms from it.
 */

export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A case id: the pathway, a dash and a UUID. */
export const CaseId = z.string().regex(new RegExp(`^(${PATHWAYS.join('|')})-${UUID}$`), 'not a case id');
/** A case id of one pathway. */
export const caseIdOf = (pathway: PathwayId) =>
  z.string().regex(new RegExp(`^${pathway}-${UUID}$`), `a ${pathway} case id`);

/** A caller's own event id, for idempotent retries; the service keeps it apart from its own ids. */
export const CallerEventId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,48}$/, '8 to 48 letters, digits, dash or underscore');

/** A case's pathway from its id; an id is the caller's, so only the table's own entries count. */
const pathwayOf = (caseId: string): Pathway | undefined => own(pathways, caseId.split('-')[0]!);
/** Who may send an event type, from a pathway's role table; a type that is not an entry has no one. */
const rolesOf = (p: Pathway, type: string): readonly Role[] => own(p.roles, type) ?? [];

type EventUnion = z.ZodDiscriminatedUnion<z.ZodObject[]>;
const optionsOf = (p: Pathway) => (p.events as unknown as EventUnion).options;
const typeOf = (o: z.ZodObject) => (o.shape.type as z.ZodLiteral<string>).value;

/** Events people may send: those whose role table names a caseworker or supervisor. */
const STAFF_ROLES: readonly Role[] = ['caseworker', 'supervisor'];
const byStaff = (p: Pathway, type: string) =>
  type !== 'REFERENCE_DATA_UPDATED' && rolesOf(p, type).some((r) => STAFF_ROLES.includes(r));
const bySystem = (p: Pathway, type: string) =>
  (REPORT_TYPES as readonly string[]).includes(type) && rolesOf(p, type).includes('system');

/** An event as a caller sends it: no actor and no time (the service adds them), unknown fields refused. */
const asSent = (o: z.ZodObject) =>
  o.omit({ at: true, actor: true, eventId: true }).extend({ eventId: CallerEventId.optional() }).strict();

function commandsOf(p: Pathway, keep: (p: Pathway, type: string) => boolean) {
  const sent = optionsOf(p)
    .filter((o) => keep(p, typeOf(o)))
    .map(asSent);
  return z.discriminatedUnion('type', sent as [(typeof sent)[number], ...typeof sent]);
}

/** One pathway's commands, as a discriminated union on `type`. */
export type CommandUnion = ReturnType<typeof commandsOf>;

export const ACTIONS = Object.fromEntries(
  PATHWAYS.map((id) => [id, commandsOf(pathways[id], byStaff)]),
) as Record<PathwayId, ReturnType<typeof commandsOf>>;
export const REPORTS = Object.fromEntries(
  PATHWAYS.map((id) => [id, commandsOf(pathways[id], bySystem)]),
) as Record<PathwayId, ReturnType<typeof commandsOf>>;

/** The action schema and role table for a case, from its id. */
export const actionsFor = (caseId: string) => ACTIONS[pathwayOf(caseId)!.id];
export const reportsFor = (caseId: string) => REPORTS[pathwayOf(caseId)!.id];
export const rolesFor = (caseId: string, type: string): readonly Role[] => {
  const pathway = pathwayOf(caseId);
  return pathway ? rolesOf(pathway, type) : [];
};
