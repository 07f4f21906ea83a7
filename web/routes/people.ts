import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { needsToKnow, type Staff } from '../../access/rules';
import { seesTeam } from '../../auth/caller';
import { localDate } from '../../calendar/calendar';
import { peopleOfReferral } from '../../client/people';
import { searchPeople, type PersonQuery, type PersonSearchMatch } from '../../client/personSearch';
import { pathwayName } from '../../machines/plainEnglish';
import { isValidNhsNumber } from '../../machines/common/people';
import type { PathwayId } from '../../machines';
import type { Field, FormErrors, Posted } from '../forms';
import { inlineMessages, readForm } from '../forms';
import type { Me } from '../middleware/page';
import { PageError } from '../pageError';
import { renderFields } from '../render';
import { formRoute } from './formRoute';
import type { Kit } from './kit';

const ROLE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  parent: 'parent',
  baby: 'baby',
  child: 'child',
  person: 'person leaving custody',
});
const ON_NAMES: Readonly<Record<string, string>> = Object.freeze({
  nhsNumber: 'NHS number',
  birthAndFamilyName: 'name and date of birth',
  socialCareRef: 'social care reference',
});

/** A possible match as the pages show it. */
export interface ShownMatch {
  restricted: boolean;
  caseId?: string;
  reference?: string;
  pathway?: string;
  pathwayName?: string;
  role?: string;
  open?: boolean;
  on: string;
}

const shown = (m: PersonSearchMatch): ShownMatch =>
  m.restricted
    ? { restricted: true, on: m.on.map((o) => ON_NAMES[o] ?? o).join(', ') }
    : {
        restricted: false,
        caseId: m.caseId,
        ...(m.reference ? { reference: m.reference } : {}),
        pathway: m.pathway,
        pathwayName: pathwayName(m.pathway),
        role: ROLE_NAMES[m.role] ?? m.role,
        ...(m.open !== undefined ? { open: m.open } : {}),
        on: m.on.map((o) => ON_NAMES[o] ?? o).join(', '),
      };

/**
 * "Is this person known to us?" through the same search the API uses: matches in cases the
 * caller may read, and one entry (naming no case) for any they may not. Undefined without a
 * person index. Every search is logged with its reason.
 */
export async function findPeople(
  cases: Kit['cases'],
  accessLog: Kit['o']['accessLog'],
  caller: Staff,
  queries: readonly PersonQuery[],
  why: string,
): Promise<ShownMatch[] | undefined> {
  const records = cases.options.records;
  if (!records?.people) return undefined;
  const all: PersonSearchMatch[] = [];
  for (const query of queries) {
    all.push(
      ...(await searchPeople(
        {
          people: records.people,
          accessLog,
          cases,
          mayRead: (s) => seesTeam(caller, s.team) && needsToKnow(caller, s),
          ...(records.references ? { references: records.references } : {}),
          ...(records.facts ? { facts: records.facts } : {}),
        },
        caller,
        query,
        why,
      )),
    );
  }
  // One entry per case, and at most one for cases the caller may not see.
  const seen = new Set<string>();
  const out: ShownMatch[] = [];
  let restricted: ShownMatch | undefined;
  for (const m of all.map(shown)) {
    if (m.restricted) restricted ??= m;
    else if (!seen.has(m.caseId!)) {
      seen.add(m.caseId!);
      out.push(m);
    }
  }
  return restricted ? [...out, restricted] : out;
}

/** The people a referral names, as searches: an NHS number, or a name and date of birth. */
export function referralQueries(pathway: PathwayId, referral: unknown): PersonQuery[] {
  return peopleOfReferral(pathway, referral)
    .map((p) => ({
      ...(p.nhsNumber ? { nhsNumber: p.nhsNumber } : {}),
      ...(p.name && p.dateOfBirth ? { name: p.name, dateOfBirth: p.dateOfBirth } : {}),
    }))
    .filter((q) => q.nhsNumber || (q.name && q.dateOfBirth));
}

/**
 * What the referral's check step shows: possible matches the caller may see (a closed case of
 * the same pathway can be linked as a re-referral), and a word about any they may not.
 */
export async function referralMatches(
  kit: Pick<Kit, 'cases' | 'o'>,
  caller: Staff,
  pathway: PathwayId,
  referral: unknown,
) {
  const queries = referralQueries(pathway, referral);
  if (!queries.length) return undefined;
  // A search that fails never stops a referral: the check says it could not be made.
  const matches = await findPeople(
    kit.cases,
    kit.o.accessLog,
    caller,
    queries,
    'checking a new referral',
  ).catch(() => null);
  if (matches === null) return { visible: [], restricted: false, relink: [], failed: true };
  if (!matches?.length) return undefined;
  return {
    visible: matches.filter((m) => !m.restricted),
    restricted: matches.some((m) => m.restricted),
    relink: matches.filter((m) => !m.restricted && m.open === false && m.pathway === pathway),
    failed: false,
  };
}

const SEARCH_FIELDS: Field[] = [
  {
    kind: 'text',
    name: 'nhsNumber',
    label: 'NHS number',
    optional: true,
    hint: '10 digits, for example 943 476 5919',
  },
  { kind: 'text', name: 'name', label: 'Full name', optional: true },
  { kind: 'date', name: 'dateOfBirth', label: 'Date of birth', optional: true },
  { kind: 'textarea', name: 'reason', label: 'Why you are looking', optional: false },
];

/** "Is this person known to us?": the search page. */
export function peopleRoutes(web: FastifyInstance, { handle, page, nav, cases, o }: Kit): void {
  const searchPage = async (_req: FastifyRequest, reply: FastifyReply, me: Me, posted?: Posted) => {
    if (!me.caller.roles.some((r) => r === 'caseworker' || r === 'supervisor'))
      throw new PageError(403, 'Only caseworkers and supervisors search for people.');
    const errors: FormErrors = new Map();
    let matches: ShownMatch[] | undefined;
    if (posted) {
      const q = readForm(SEARCH_FIELDS, posted) as {
        nhsNumber?: string;
        name?: string;
        dateOfBirth?: string;
        reason?: string;
      };
      const nhsNumber = q.nhsNumber?.replace(/[\s-]/g, '');
      if (nhsNumber && !isValidNhsNumber(nhsNumber))
        errors.set('nhsNumber', { text: 'Enter a real NHS number, 10 digits', href: '#nhsNumber' });
      if (q.dateOfBirth && !localDate.safeParse(q.dateOfBirth).success)
        errors.set('dateOfBirth', { text: 'Date of birth must be a real date', href: '#dateOfBirth-day' });
      if (!nhsNumber && !(q.name && q.dateOfBirth) && !errors.size) {
        if (!q.name)
          errors.set('name', {
            text: 'Enter an NHS number, or a name and date of birth',
            href: '#nhsNumber',
          });
        else
          errors.set('dateOfBirth', {
            text: 'Enter the date of birth as well as the name',
            href: '#dateOfBirth-day',
          });
      }
      const reason = q.reason ?? '';
      if (reason.length < 3 || reason.length > 200)
        errors.set('reason', { text: 'Enter why you are looking (3 to 200 characters)', href: '#reason' });
      if (!errors.size) {
        const query: PersonQuery = {
          ...(nhsNumber ? { nhsNumber } : {}),
          ...(q.name && q.dateOfBirth ? { name: q.name, dateOfBirth: q.dateOfBirth } : {}),
        };
        matches = await findPeople(cases, o.accessLog, me.caller, [query], reason);
        if (!matches) throw new PageError(503, 'The person index is not available. Try again later.');
      }
    }
    return page(
      reply,
      'people-search.njk',
      {
        ...nav(me.caller, '/app/people'),
        csrf: me.csrf,
        formHtml: renderFields(SEARCH_FIELDS, posted ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        searched: !!matches,
        visible: matches?.filter((m) => !m.restricted) ?? [],
        restricted: matches?.some((m) => m.restricted) ?? false,
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/people', handle, searchPage);
}
