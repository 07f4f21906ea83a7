import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { csrfCheck } from './middleware/csrf';
import { pageErrors } from './middleware/errors';
import { nav } from './middleware/nav';
import { meOf, pageRenderer } from './middleware/page';
import { formRateLimit } from './middleware/rateLimit';
import { signedIn } from './middleware/signedIn';
import { actionRoutes } from './routes/actions';
import { caseloadRoutes } from './routes/caseload';
import { caseRoutes } from './routes/cases';
import { registerConsultationPages } from './routes/consultations';
import type { Handle, Kit, PageOptions } from './routes/kit';
import { meetingRoutes } from './routes/meeting';
import { myWorkRoutes } from './routes/myWork';
import { recordPages } from './routes/recordPages';
import { referralRoutes } from './routes/referrals';
import { reopenRoutes } from './routes/reopen';
import { registerReportPages } from './routes/reports';
import { registerReturnPages } from './routes/returns';
import type { CaseClient } from '../client/cases';

/** The staff workspace's pages, behind the middleware every page goes through. */
export async function registerWorkspace(
  app: FastifyInstance,
  cases: CaseClient,
  o: PageOptions,
): Promise<void> {
  await app.register(async (web) => {
    await web.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    const page = pageRenderer(o.sessions.signOutOrigin);
    // Each concern once, in order: who is signed in, their form's token, their count of forms.
    web.addHook('preHandler', signedIn(o, page));
    web.addHook('preHandler', csrfCheck(page));
    web.addHook('preHandler', formRateLimit(web, o.formsPerMinute, page));
    web.setErrorHandler(pageErrors(page));
    const handle: Handle = (fn) => (req, reply) => fn(req, reply, meOf(req)!);
    const kit: Kit = { handle, page, nav, cases, o };
    myWorkRoutes(web, kit);
    caseloadRoutes(web, kit);
    meetingRoutes(web, kit);
    caseRoutes(web, kit);
    actionRoutes(web, kit);
    referralRoutes(web, kit);
    recordPages(web, kit);
    reopenRoutes(web, kit);
    registerConsultationPages(web, { handle, page, nav, cases });
    registerReturnPages(web, { handle, page, nav, cases, accessLog: o.accessLog, lea: o.laCode });
    registerReportPages(web, {
      handle,
      page,
      nav,
      facts: o.facts,
      refresh: () => cases.temporal.schedule.getHandle('reporting-refresh').trigger(),
    });
  });
}
