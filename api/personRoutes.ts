import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { needsToKnow } from '../access/rules';
import { seesTeam } from '../auth/caller';
import { localDate } from '../calendar/calendar';
import type { CaseClient } from '../client/cases';
import { searchPeople } from '../client/personSearch';
import { NhsNumber, PersonName } from '../machines/common/people';
import type { AccessLog } from '../store/accessLog';
import type { Records } from '../store/records';
import { staffOf } from './auth';
import { ApiProblem, problemResponses, STAFF_SECURITY } from './problems';
import { AccessReason } from './schemas';

const On = z.array(z.enum(['nhsNumber', 'birthAndFamilyName', 'socialCareRef']));

const Match = z
  .union([
    z.object({
      restricted: z.literal(false),
      caseId: z.string(),
      reference: z.string().optional(),
      pathway: z.string(),
      role: z.string(),
      on: On,
      open: z.boolean().optional(),
    }),
    z
      .object({ restricted: z.literal(true), on: On })
      .describe('A possible match in a case the caller may not see: which case, or how many, is not said'),
  ])
  .meta({ id: 'PersonMatch' });

/** "Is this person known to us?" across pathways and closed cases, for caseworkers and supervisors. */
export function registerPersonRoutes(
  base: FastifyInstance,
  cases: CaseClient,
  accessLog: AccessLog,
  /** The record store's parts; without its person index the search answers 503. */
  records: Partial<Records> | undefined,
): void {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/people/search',
    {
      config: { access: { staff: ['caseworker', 'supervisor'] } },
      schema: {
        summary: 'Is this person known to us? Possible matches across pathways and closed cases',
        description:
          'By NHS number, or by name and date of birth; identifiers travel in the body, never in the address. Matches in cases the caller may not see come back as one restricted entry that names no case. Every search is logged with its reason, naming every case it matched.',
        security: STAFF_SECURITY,
        body: z
          .object({
            nhsNumber: NhsNumber.optional(),
            name: PersonName.optional(),
            dateOfBirth: localDate.optional(),
            reason: AccessReason,
          })
          .strict()
          .refine((b) => b.nhsNumber || (b.name && b.dateOfBirth), {
            message: 'give an NHS number, or a name and date of birth',
          })
          // Stated in the contract's JSON Schema too, so what the document allows the API accepts.
          .meta({ anyOf: [{ required: ['nhsNumber'] }, { required: ['name', 'dateOfBirth'] }] }),
        response: { 200: z.object({ matches: z.array(Match) }), ...problemResponses },
      },
    },
    async (req) => {
      const caller = staffOf(req);
      const people = records?.people;
      if (!people) throw new ApiProblem('unavailable', 'the person index is not available');
      const { reason, ...query } = req.body;
      const matches = await searchPeople(
        {
          people,
          accessLog,
          cases,
          mayRead: (s) => seesTeam(caller, s.team) && needsToKnow(caller, s),
          ...(records?.references ? { references: records.references } : {}),
          ...(records?.facts ? { facts: records.facts } : {}),
        },
        caller,
        query,
        reason,
      );
      return { matches };
    },
  );
}
