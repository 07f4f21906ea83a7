import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { initialTransition } from 'xstate';
import { isStaff, seesAllTeams, seesTeam } from '../auth/caller';
import { sameToken, type Sessions } from '../auth/session';
import type { Verify } from '../auth/verifier';
import { ZONE } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { callerEventId, CaseInputError, CaseRefusedError, type CaseClient } from '../client/cases';
import { ConsultationClient } from '../client/consultations';
import type { CaseView } from '../contract/case';
import { pathways, PATHWAYS, type PathwayId } from '../machines';
import { FREE_TEXT_FIELDS } from '../machines/common/envelope';
import { closureName, eventName, pathwayName, STATE_NAMES, stateName } from '../machines/plainEnglish';
import type { AccessLog } from '../store/accessLog';
import { actingRole, mayTake, needsToKnow, type Staff } from '../access/rules';
import { actionsFor, CallerEventId, CaseId, rolesFor } from '../access/actions';
import {
  fieldsOf,
  formErrors,
  inlineMessages,
  readForm,
  type Field,
  type FormErrors,
  type Posted,
} from './forms';
import { GOVUK_DIST, renderFields, views } from './render';
import { registerReportPages } from './reportPages';
import { registerReturnPages } from './returnPages';
import { ConsultationId, registerConsultationPages } from './consultationPages';
import { PageError } from './pageError';
import { formRoute } from './formRoute';
import type { FactStore } from '../reports/store';
import { dateTime, deadlineInWords, longDate, words } from '../calendar/words';

export interface PageOptions {
  verify: Verify;
  sessions: Sessions;
  accessLog: AccessLog;
  /** The reporting projection the service reports are computed from. */
  facts: FactStore;
  /** Form posts a minute, per signed-in person. */
  formsPerMinute: number;
  /** The local authority's code for the Children in Need census. */
  laCode: string;
}

const PAGE_SIZE = 25;

/** What a read in the access log was, in words. */
const ACCESS_WHAT: Readonly<Record<string, string>> = Object.freeze({
  details: 'Personal details and notes',
  timeline: 'Timeline with notes',
  outbox: 'Messages sent',
  'codec-decode': 'Case data in the Temporal Web UI',
  consultation: 'Consultation',
  archive: 'Archived record',
  'access-history': 'Who has read the case',
  'person-search': 'Found in a person search',
});

const ROLE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  caseworker: 'caseworker',
  supervisor: 'supervisor',
  admin: 'administrator',
});
const roleName = (r: string) => ROLE_NAMES[r] ?? r;
const pathOf = (req: FastifyRequest) => req.url.split('?')[0]!;
/** Rows read for one caseload view; counts are exact beyond it. */
const LIST_LIMIT = 2000;

/** The fields a person fills in for an action: the service adds who, when and the event id. */
function actionFields(caseId: string, type: string): Field[] | undefined {
  const union = actionsFor(caseId) as unknown as { options: { shape: { type: { value: string } } }[] };
  const schema = union.options.find((o) => o.shape.type.value === type);
  return schema ? fieldsOf(schema as never, '', ['type', 'eventId']) : undefined;
}

export async function registerPages(app: FastifyInstance, cases: CaseClient, o: PageOptions): Promise<void> {
  // GOV.UK Frontend's fonts and images where its stylesheet looks for them, and its script and styles.
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'govuk', 'assets'),
    prefix: '/assets/',
    index: false,
  });
  const file = (path: string, type: string) => {
    const body = readFileSync(path);
    return (_req: FastifyRequest, reply: FastifyReply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
  };
  app.get(
    '/assets/govuk-frontend.min.css',
    { schema: { hide: true } },
    file(join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.css'), 'text/css'),
  );
  app.get(
    '/assets/govuk-frontend.min.js',
    { schema: { hide: true } },
    file(join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.js'), 'text/javascript'),
  );
  app.get(
    '/assets/app.js',
    { schema: { hide: true } },
    file(join(__dirname, 'static', 'app.js'), 'text/javascript'),
  );
  app.get(
    '/assets/chart.umd.min.js',
    { schema: { hide: true } },
    file(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'text/javascript'),
  );
  app.get(
    '/assets/reports.js',
    { schema: { hide: true } },
    file(join(__dirname, 'static', 'reports.js'), 'text/javascript'),
  );
  app.get(
    '/assets/app.css',
    { schema: { hide: true } },
    file(join(__dirname, 'static', 'app.css'), 'text/css'),
  );
  await app.register(async (web) => {
    await web.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    registerRoutes(web, cases, o);
  });
}

function registerRoutes(web: FastifyInstance, cases: CaseClient, o: PageOptions): void {
  const consultations = new ConsultationClient(cases);
  const hide = { schema: { hide: true } };
  // One count of form posts per person across the workspace (the API's writes count per address).
  const formLimit = web.createRateLimit({
    max: o.formsPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => `workspace:${req.caller?.id ?? req.ip}`,
  });
  /** Each page's form token, for the sign-out button in its header. */
  const formTokens = new WeakMap<FastifyReply, string>();

  /** The signed-in member of staff, or a redirect to sign in (then back here). */
  async function signedIn(
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ caller: Staff; csrf: string } | undefined> {
    const session = o.sessions.read(req);
    const caller = session ? await o.verify(session.accessToken).catch(() => undefined) : undefined;
    if (!session || !caller || !isStaff(caller) || caller.id !== session.staffId) {
      // A form sent after the session ended is kept for the person whose session it was (their
      // form token says this session's page sent it), and comes back only to them.
      const body = req.method === 'POST' ? (req.body as Posted | undefined) : undefined;
      if (body && typeof body === 'object') {
        const { csrf, confirm: _confirm, ...fields } = body;
        const last = o.sessions.lastOf(req);
        const owner = last && sameToken(csrf, o.sessions.formToken(last)) ? last.staffId : undefined;
        const kept = owner ? o.sessions.keepForm(reply, pathOf(req), owner, fields) : false;
        // The page says what became of the answers; the person follows a link to sign in again.
        void page(
          reply,
          'signed-out.njk',
          {
            title: 'You have been signed out',
            kept,
            unknown: !owner,
            signIn: `/auth/login?returnTo=${encodeURIComponent(pathOf(req).slice(0, 200))}`,
          },
          401,
        );
        return undefined;
      }
      void reply.redirect(`/auth/login?returnTo=${encodeURIComponent(req.url.slice(0, 200))}`, 303);
      return undefined;
    }
    return { caller, csrf: o.sessions.formToken(session) };
  }

  // The header's sign-out form continues at the provider (browsers hold redirects to form-action).
  const formAction = ["'self'", ...(o.sessions.signOutOrigin ? [o.sessions.signOutOrigin] : [])].join(' ');
  function page(reply: FastifyReply, template: string, ctx: object, status = 200) {
    const nonce = randomBytes(16).toString('base64');
    const html = views.render(template, {
      ...ctx,
      cspNonce: nonce,
      assetPath: '/assets',
      signOutToken: formTokens.get(reply),
    });
    return reply
      .code(status)
      .header(
        'content-security-policy',
        `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'self'`,
      )
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  const nav = (caller: Staff, current: string) => ({
    caller,
    navigation: [
      { href: '/app', text: 'My work' },
      ...(caller.roles.includes('supervisor') || caller.roles.includes('admin')
        ? [{ href: '/app/caseload', text: 'Team caseload' }]
        : []),
      { href: '/app/meeting', text: 'Team meeting' },
      ...(caller.roles.some((r) => r === 'caseworker' || r === 'supervisor')
        ? [
            { href: '/app/refer', text: 'Make a referral' },
            { href: '/app/consultations', text: 'Duty line' },
          ]
        : []),
      ...(caller.roles.includes('supervisor') || caller.roles.includes('admin')
        ? [
            { href: '/app/reports', text: 'Service reports' },
            { href: '/app/returns', text: 'Statutory returns' },
          ]
        : []),
    ].map((i) => ({ ...i, active: i.href === current })),
  });

  /** Runs a page, turning refusals into GOV.UK error pages. */
  const handle =
    (
      fn: (req: FastifyRequest, reply: FastifyReply, me: { caller: Staff; csrf: string }) => Promise<unknown>,
    ) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const me = await signedIn(req, reply);
      if (!me) return reply;
      formTokens.set(reply, me.csrf);
      if (req.method === 'POST' && !sameToken((req.body as Posted | undefined)?.csrf, me.csrf)) {
        return page(
          reply,
          'error.njk',
          {
            ...nav(me.caller, ''),
            title: 'Your form has expired',
            message: 'Go back, reload the page and try again.',
          },
          403,
        );
      }
      if (req.method === 'POST') {
        req.caller = me.caller;
        const limit = await formLimit(req);
        if (!limit.isAllowed && limit.isExceeded) {
          return page(
            reply.header('retry-after', String(limit.ttlInSeconds)),
            'error.njk',
            {
              ...nav(me.caller, ''),
              title: 'Too many forms sent',
              message: `You have sent a lot of forms in the last minute. Nothing was sent this time: wait ${limit.ttlInSeconds} seconds, then go back and send it again.`,
            },
            429,
          );
        }
      }
      try {
        return await fn(req, reply, me);
      } catch (err) {
        if (err instanceof PageError || err instanceof CaseRefusedError) {
          const status =
            err instanceof PageError
              ? err.status
              : err.code === 'forbidden'
                ? 403
                : err.code === 'notFound'
                  ? 404
                  : 409;
          const title =
            status === 403
              ? 'You cannot see this'
              : status === 404
                ? 'Page not found'
                : 'That cannot be done now';
          return page(reply, 'error.njk', { ...nav(me.caller, ''), title, message: err.message }, status);
        }
        if ((err as { name?: string }).name === 'WorkflowNotFoundError') {
          return page(
            reply,
            'error.njk',
            { ...nav(me.caller, ''), title: 'Page not found', message: 'There is no such case.' },
            404,
          );
        }
        throw err;
      }
    };

  registerConsultationPages(web, { handle, page, nav, cases });
  registerReturnPages(web, { handle, page, nav, cases, accessLog: o.accessLog, lea: o.laCode });
  registerReportPages(web, {
    handle,
    page,
    nav,
    facts: o.facts,
    refresh: () => cases.temporal.schedule.getHandle('reporting-refresh').trigger(),
  });

  async function visibleCase(caller: Staff, id: string): Promise<CaseView> {
    if (!CaseId.safeParse(id).success) throw new PageError(404, 'There is no such case.');
    const view = await cases.view(id);
    if (!seesTeam(caller, view.team)) throw new PageError(403, 'This case belongs to another team.');
    return view;
  }

  const now = () => new Date().toISOString();
  const described = (v: CaseView) => ({
    ...v,
    pathwayName: pathwayName(v.pathway),
    stateName: stateName(v.state),
    // Overdue clocks first: they stand until met, then what is still to come.
    deadlines: [...(v.overdue ?? []), ...v.deadlines].map((d) => ({
      ...d,
      words: deadlineInWords(d.at, now(), shippedHolidays),
      when: dateTime(d.at),
    })),
  });

  web.get(
    '/app',
    hide,
    handle(async (_req, reply, { caller }) => {
      const rows = await cases.caseload({ namedWorker: caller.id, open: true }, 100);
      // A case that cannot be read just now never takes the page down: the rest are shown.
      const read = await cases.views(rows.map((r) => r.caseId));
      const mine = read.views.map(described);
      const deadlines = mine
        .flatMap((c) =>
          c.deadlines.map((d) => ({ ...d, caseId: c.caseId, caseLabel: `${c.pathwayName}: ${c.stateName}` })),
        )
        .sort((a, b) => a.at.localeCompare(b.at));
      const soonReleases = rows
        .filter(
          (r) =>
            r.releaseDate &&
            Date.parse(r.releaseDate) - Date.now() < 56 * 86400000 &&
            Date.parse(r.releaseDate) >= Date.now() - 86400000,
        )
        .map((r) => ({ caseId: r.caseId, date: longDate(r.releaseDate!) }));
      const unassigned = await cases.count({ teams: caller.teams, open: true, unassigned: true });
      return page(reply, 'my-work.njk', {
        ...nav(caller, '/app'),
        cases: mine,
        overdue: deadlines.filter((d) => d.words.overdue),
        thisWeek: deadlines.filter((d) => !d.words.overdue && d.words.soon),
        reminders: deadlines.filter(
          (d) => d.kind === 'reminder' && d.notify === 'namedWorker' && d.words.soon,
        ),
        releases: soonReleases,
        unassigned,
        unreadable: read.unreadable.length,
      });
    }),
  );

  web.get(
    '/app/caseload',
    hide,
    handle(async (req, reply, { caller }) => {
      const q = req.query as Record<string, string | undefined>;
      const pathway = PATHWAYS.includes(q.pathway as PathwayId) ? (q.pathway as PathwayId) : undefined;
      const state = q.state && /^[A-Za-z]{1,40}$/.test(q.state) ? q.state : undefined;
      const worker = q.worker && /^[A-Za-z0-9._-]{1,64}$/.test(q.worker) ? q.worker : undefined;
      const dueBy = q.dueBy && /^\d{4}-\d{2}-\d{2}$/.test(q.dueBy) ? q.dueBy : undefined;
      const sort = q.sort === 'release' ? 'release' : 'deadline';
      const pageNo = Math.max(1, Math.min(1000, Number.parseInt(q.page ?? '1', 10) || 1));
      const filter = {
        open: true,
        ...(seesAllTeams(caller) ? {} : { teams: caller.teams }),
        ...(pathway ? { pathway } : {}),
        ...(state ? { state } : {}),
        ...(worker ? { namedWorker: worker } : {}),
        ...(dueBy ? { nextDeadlineTo: `${dueBy}T23:59:59Z` } : {}),
      };
      const [all, total] = await Promise.all([cases.caseload(filter, LIST_LIMIT), cases.count(filter)]);
      if (sort === 'release') all.sort((a, b) => (a.releaseDate ?? '~').localeCompare(b.releaseDate ?? '~'));
      const counts = new Map<string, number>();
      if (total <= all.length) for (const r of all) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
      else {
        // More than a page of rows: each state counted by visibility, not from the rows listed.
        const states = state ? [state] : Object.keys(STATE_NAMES);
        const byState = await Promise.all(
          states.map(async (s) => [s, await cases.count({ ...filter, state: s })] as const),
        );
        for (const [s, n] of byState) if (n > 0) counts.set(s, n);
      }
      const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
      const shown = all.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE).map((r) => ({
        ...r,
        pathwayName: pathwayName(r.pathway),
        stateName: stateName(r.state),
        due: r.nextDeadline ? deadlineInWords(r.nextDeadline, now(), shippedHolidays) : undefined,
        release: r.releaseDate ? longDate(r.releaseDate) : undefined,
      }));
      const query = (extra: Record<string, string | number>) =>
        '?' +
        new URLSearchParams(
          Object.entries({ pathway, state, worker, dueBy, sort, ...extra }).filter(
            ([, v]) => v !== undefined,
          ) as [string, string][],
        ).toString();
      return page(reply, 'caseload.njk', {
        ...nav(caller, '/app/caseload'),
        caseRows: shown,
        total,
        listed: all.length,
        counts: [...counts.entries()].map(([s, n]) => ({ state: s, name: stateName(s), n })),
        filters: { pathway, state, worker, dueBy, sort },
        pathways: PATHWAYS.map((p) => ({ value: p, text: pathwayName(p) })),
        pageNo,
        pages,
        prev: pageNo > 1 ? query({ page: pageNo - 1 }) : undefined,
        next: pageNo < pages ? query({ page: pageNo + 1 }) : undefined,
        sortByDeadline: query({ sort: 'deadline' }),
        sortByRelease: query({ sort: 'release' }),
      });
    }),
  );

  web.get(
    '/app/meeting',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const { meetings, unreadable } = await cases.agenda(
        undefined,
        seesAllTeams(caller) ? undefined : caller.teams,
      );
      const done = (req.query as { done?: string }).done;
      const agenda = await Promise.all(
        meetings.map(async (m) => ({
          when: dateTime(m.meetingAt),
          cases: await Promise.all(
            m.cases.map(async (v) => {
              const canRead = needsToKnow(caller, v);
              const details = canRead ? await cases.details(v.caseId) : undefined;
              if (canRead)
                await o.accessLog.record({
                  who: caller,
                  caseId: v.caseId,
                  what: 'details',
                  why: 'team meeting agenda',
                });
              const eligibility = details?.eligibility as { met?: string[]; unmet?: string[] } | undefined;
              const timeline = await cases.timeline(v.caseId);
              const carried = timeline.filter(
                (e) =>
                  e.type === 'MEETING_DECISION_OVERDUE' ||
                  (e.type === 'TEAM_MEETING_DECISION' &&
                    (e.data as { decision?: string } | undefined)?.decision === 'defer'),
              );
              const fields = v.allowedActions.includes('TEAM_MEETING_DECISION')
                ? actionFields(v.caseId, 'TEAM_MEETING_DECISION')
                : undefined;
              return {
                ...described(v),
                met: eligibility?.met ?? [],
                unmet: eligibility?.unmet ?? [],
                carriedOver: carried.map(
                  (e) =>
                    `${dateTime(e.at)}: ${e.type === 'MEETING_DECISION_OVERDUE' ? 'no decision recorded, carried over' : 'deferred'}`,
                ),
                form:
                  fields && actingRole(caller, rolesFor(v.caseId, 'TEAM_MEETING_DECISION'))
                    ? { html: renderFields(fields, {}, new Map()), eventId: randomUUID() }
                    : undefined,
              };
            }),
          ),
        })),
      );
      return page(reply, 'meeting.njk', {
        ...nav(caller, '/app/meeting'),
        agenda,
        csrf,
        done: done === '1',
        unreadable: unreadable.length,
      });
    }),
  );

  web.get(
    '/app/cases/:id',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = described(await visibleCase(caller, id));
      const timeline = (await cases.timeline(id)).map((e) => ({
        ...e,
        what: eventName(e.type),
        when: dateTime(e.at),
        restricted:
          e.reason !== undefined ||
          Object.keys(e.data ?? {}).some((k) => (FREE_TEXT_FIELDS as readonly string[]).includes(k)),
      }));
      const actions = view.allowedActions
        .filter((t) => actingRole(caller, rolesFor(id, t)) && mayTake(caller, view, t))
        .map((t) => ({ type: t, name: eventName(t) }));
      const machine = pathways[view.pathway].machine;
      const path = view.statePath.split('.');
      const leaves = (node: typeof machine.root): (typeof machine.root)[] =>
        Object.values(node.states).flatMap((s) => (Object.keys(s.states).length ? leaves(s) : [s]));
      const stateMap = leaves(machine.root).map((s) => ({
        name: stateName(s.key),
        current: path.includes(s.key),
      }));
      return page(reply, 'case.njk', {
        ...nav(caller, ''),
        view,
        closureName: view.closure ? closureName(view.closure.reason) : undefined,
        timeline: timeline.reverse(),
        actions,
        stateMap,
        csrf,
        done: (req.query as { done?: string }).done
          ? eventName((req.query as { done: string }).done)
          : undefined,
        canReadDetails: needsToKnow(caller, view),
        canSeeReads: answersForReads(caller, view),
      });
    }),
  );

  web.get(
    '/app/cases/:id/details',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(caller, id);
      return page(reply, 'details-reason.njk', { ...nav(caller, ''), view: described(view), csrf });
    }),
  );

  web.post(
    '/app/cases/:id/details',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(caller, id);
      if (!needsToKnow(caller, view))
        throw new PageError(
          403,
          "Only the named worker or a supervisor of the team may read this case's details.",
        );
      const reason = String((req.body as Posted).reason ?? '').trim();
      if (reason.length < 3 || reason.length > 200) {
        return page(
          reply,
          'details-reason.njk',
          {
            ...nav(caller, ''),
            view: described(view),
            csrf,
            error: 'Enter why you need to see the details (3 to 200 characters)',
          },
          400,
        );
      }
      await o.accessLog.record({ who: caller, caseId: id, what: 'details', why: reason });
      const details = await cases.details(id);
      const timeline = (await cases.timeline(id)).map((e) => ({
        ...e,
        what: eventName(e.type),
        when: dateTime(e.at),
      }));
      return page(reply, 'details.njk', {
        ...nav(caller, ''),
        view: described(view),
        rows: flatten(details).slice(0, 200),
        timeline: timeline.reverse(),
      });
    }),
  );

  /** Supervisors of the case's team and administrators answer for who has read it. */
  const answersForReads = (caller: Staff, view: { team: string }) =>
    caller.roles.includes('admin') ||
    (caller.roles.includes('supervisor') && caller.teams.includes(view.team));

  web.get(
    '/app/cases/:id/access',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(caller, id);
      if (!answersForReads(caller, view))
        throw new PageError(
          403,
          "Only a supervisor of the case's team or an administrator may see who has read it.",
        );
      return page(reply, 'access-reason.njk', { ...nav(caller, ''), view: described(view), csrf });
    }),
  );

  web.post(
    '/app/cases/:id/access',
    hide,
    handle(async (req, reply, { caller, csrf }) => {
      const id = (req.params as { id: string }).id;
      const view = await visibleCase(caller, id);
      if (!answersForReads(caller, view))
        throw new PageError(
          403,
          "Only a supervisor of the case's team or an administrator may see who has read it.",
        );
      const reason = String((req.body as Posted).reason ?? '').trim();
      if (reason.length < 3 || reason.length > 200)
        return page(
          reply,
          'access-reason.njk',
          {
            ...nav(caller, ''),
            view: described(view),
            csrf,
            error: 'Enter why you need to see who has read this case (3 to 200 characters)',
          },
          400,
        );
      await o.accessLog.record({ who: caller, caseId: id, what: 'access-history', why: reason });
      const entries = await o.accessLog.find({ caseId: id, limit: 5000 });
      return page(reply, 'access.njk', {
        ...nav(caller, ''),
        view: described(view),
        entries: entries.reverse().map((e) => ({
          when: dateTime(e.at),
          who: e.who.id,
          roles: e.who.roles.map((r) => roleName(r)).join(', '),
          what: ACCESS_WHAT[e.what] ?? e.what,
          why: e.why,
        })),
      });
    }),
  );

  const actionPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    me: { caller: Staff; csrf: string },
    posted?: Posted,
  ) => {
    const { id, type } = req.params as { id: string; type: string };
    const view = await visibleCase(me.caller, id);
    const fields = /^[A-Z_]{1,40}$/.test(type) ? actionFields(id, type) : undefined;
    if (!fields) throw new PageError(404, 'There is no such action.');
    const role = actingRole(me.caller, rolesFor(id, type));
    if (!role) throw new PageError(403, `${eventName(type)} is not yours to do.`);
    if (!mayTake(me.caller, view, type))
      throw new PageError(403, 'Only the named worker or a supervisor of the team may close this case.');
    let errors: FormErrors = new Map();
    // Answers sent just as the session ended come back once, with the same event id.
    const kept = posted
      ? undefined
      : (o.sessions.takeForm(req, reply, pathOf(req), me.caller.id) as Posted | undefined);
    const eventId = CallerEventId.safeParse((posted ?? kept)?.eventId).data;
    if (posted) {
      const parsed = actionsFor(id).safeParse({ type, ...readForm(fields, posted) });
      if (parsed.success) {
        try {
          await cases.act(
            id,
            {
              ...parsed.data,
              eventId: callerEventId(me.caller.id, eventId),
              actor: { id: me.caller.id, role },
            },
            seesAllTeams(me.caller) ? { allTeams: true } : { teams: me.caller.teams },
          );
          const back =
            posted.returnTo === '/app/meeting' ? '/app/meeting?done=1' : `/app/cases/${id}?done=${type}`;
          return reply.redirect(back, 303);
        } catch (err) {
          if (!(err instanceof CaseRefusedError) || err.code === 'forbidden') throw err;
          errors.set('', { text: err.message, href: '#main-content' });
        }
      } else errors = formErrors(fields, parsed.error.issues, posted);
    }
    return page(
      reply,
      'action.njk',
      {
        ...nav(me.caller, ''),
        view: described(view),
        type,
        title: eventName(type),
        formHtml: renderFields(fields, posted ?? kept ?? {}, inlineMessages(errors)),
        errors: [...errors.values()],
        csrf: me.csrf,
        restored: !!kept,
        eventId: eventId ?? randomUUID(),
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/cases/:id/act/:type', handle, actionPage);

  web.get(
    '/app/refer',
    hide,
    handle(async (_req, reply, { caller }) =>
      page(reply, 'refer-choose.njk', {
        ...nav(caller, '/app/refer'),
        pathways: PATHWAYS.map((p) => ({ id: p, name: pathwayName(p), notice: pathways[p].notice })),
      }),
    ),
  );

  const referralPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    me: { caller: Staff; csrf: string },
    posted?: Posted,
  ) => {
    const pathwayId = (req.params as { pathway: string }).pathway as PathwayId;
    if (!PATHWAYS.includes(pathwayId)) throw new PageError(404, 'There is no such pathway.');
    const role = actingRole(me.caller, ['caseworker', 'supervisor']);
    if (!role) throw new PageError(403, 'Only caseworkers and supervisors make referrals.');
    const pathway = pathways[pathwayId];
    const fields = fieldsOf(pathway.referral);
    // A referral made from a duty-line call or consultation request becomes that one case.
    const fromConsultation = ConsultationId.safeParse(
      (req.query as { consultation?: string }).consultation,
    ).data;
    let errors: FormErrors = new Map();
    let check: { met: string[]; unmet: string[]; outcome?: string } | undefined;
    const kept = posted
      ? undefined
      : (o.sessions.takeForm(req, reply, pathOf(req), me.caller.id) as Posted | undefined);
    const values: Posted = posted ?? kept ?? defaultsFor(fields);
    if (posted) {
      const referral = readForm(fields, posted);
      const parsed = pathway.referral.safeParse(referral);
      if (!parsed.success) errors = formErrors(fields, parsed.error.issues, posted);
      else if (posted.confirm === 'yes') {
        try {
          const team = me.caller.teams[0];
          if (!team) throw new PageError(403, 'You are not in a team.');
          const actor = { id: me.caller.id, role };
          const opened = fromConsultation
            ? (await consultations.refer(fromConsultation, parsed.data, actor, me.caller.teams)).case
            : await cases.refer(pathwayId, parsed.data, actor, team);
          return reply.redirect(`/app/cases/${opened.caseId}?done=REFERRAL_RECEIVED`, 303);
        } catch (err) {
          if (!(err instanceof CaseRefusedError || err instanceof CaseInputError)) throw err;
          errors.set('', { text: err.message, href: '#main-content' });
        }
      } else {
        check = eligibilityOf(pathwayId, parsed.data as Record<string, unknown>);
      }
    }
    return page(
      reply,
      'refer.njk',
      {
        ...nav(me.caller, '/app/refer'),
        pathway: { id: pathwayId, name: pathwayName(pathwayId), notice: pathway.notice },
        formHtml: renderFields(fields, values, inlineMessages(errors)),
        hidden: check
          ? Object.entries(values)
              .flatMap(([k, v]) =>
                [v]
                  .flat()
                  .filter((x): x is string => typeof x === 'string')
                  .map((x) => ({ name: k, value: x })),
              )
              .filter((h) => h.name !== 'csrf' && h.name !== 'confirm')
          : [],
        check,
        fromConsultation,
        restored: !!kept,
        errors: [...errors.values()],
        csrf: me.csrf,
      },
      errors.size ? 400 : 200,
    );
  };
  formRoute(web, '/app/refer/:pathway', handle, referralPage);
}

/** The referral form opens with the time now, in UK time, as when it was received. */
function defaultsFor(fields: Field[]): Posted {
  const t = DateTime.now().setZone(ZONE);
  const received = fields.find((f) => f.kind === 'dateTime' && f.name === 'receivedAt');
  if (!received) return {};
  return {
    'receivedAt-day': String(t.day),
    'receivedAt-month': String(t.month),
    'receivedAt-year': String(t.year),
    'receivedAt-time': t.toFormat('HH:mm'),
  };
}

/** What the pathway would decide about this referral, before it is sent: the machine's own rules. */
function eligibilityOf(
  pathwayId: PathwayId,
  referral: Record<string, unknown>,
): { met: string[]; unmet: string[]; outcome?: string } {
  const p = pathways[pathwayId];
  const refusals = p.referralRefusals(referral);
  try {
    const [snapshot] = initialTransition(
      p.machine,
      p.input({
        caseId: `${pathwayId}-check`,
        referral: referral,
        calendar: shippedHolidays,
        team: 'check',
      }),
    );
    const e = (snapshot.context as { eligibility?: { met: string[]; unmet: string[]; outcome: string } })
      .eligibility;
    return {
      met: e?.met ?? [],
      unmet: [...refusals, ...(e?.unmet ?? [])],
      ...(e ? { outcome: e.outcome } : {}),
    };
  } catch {
    return { met: [], unmet: refusals };
  }
}

/** A record's fields as label–value rows, nested fields joined with a dash. */
function flatten(value: unknown, prefix = ''): { key: string; value: string }[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value))
    return value.length && typeof value[0] !== 'object'
      ? [{ key: prefix, value: value.join(', ') }]
      : value.flatMap((v, i) => flatten(v, `${prefix} ${i + 1}`));
  if (typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      flatten(v, prefix ? `${prefix} – ${words(k).toLowerCase()}` : words(k)),
    );
  return [{ key: prefix, value: typeof value === 'string' ? value : JSON.stringify(value) }];
}
