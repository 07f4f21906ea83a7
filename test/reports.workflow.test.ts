import { DateTime } from 'luxon';
import { addDays, subtractWorkingDays, ZONE } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import type { CaseFacts } from '../reports/facts';
import { assembleReport, buildReport, reportCsv, type ServiceReport } from '../reports/report';
import { eventually } from './support/cluster';
import { caseworker, parentInfantReferral } from './support/referrals';
import { useHarness } from './support/temporal';
import { realClock } from './support/clock';

// On the dev server: open cases' facts are read by the refresh job through visibility.
const h = useHarness('dev');

const figures = (r: ServiceReport, id: string) => {
  const t = r.tables.find((x) => x.id === id)!;
  return { ...Object.fromEntries(t.rows.map((row) => [row.key, row.value])), total: t.total };
};

describe('service reports from the reporting projection', () => {
  it('counts a set of parent–infant cases with known answers, suppressing counts under 5', async () => {
    const store = h.records.facts;
    const now = new Date().toISOString();
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    // The three left undecided were received a week ago: their screening clock is missed.
    const weekAgo = `${subtractWorkingDays(today, 5, shippedHolidays)}T10:00:00Z`;
    const roles = [...Array(8).fill('healthVisitor'), 'gp', 'gp', 'midwife', 'midwife'] as const;
    const ids: string[] = [];
    for (const [i, role] of roles.entries()) {
      const referral = parentInfantReferral({ receivedAt: i < 9 ? now : weekAgo });
      const { caseId } = await h.cases.refer(
        'parentInfant',
        { ...referral, referrer: { ...referral.referrer, role } },
        caseworker,
      );
      ids.push(caseId);
    }
    // 7 accepted at screening, 2 declined, 3 with no decision.
    const act = (i: number, command: object) => h.cases.act(ids[i]!, { actor: caseworker, ...command });
    for (let i = 0; i < 7; i++) await act(i, { type: 'ACCEPT_FOR_ASSESSMENT' });
    for (const i of [7, 8])
      await act(i, { type: 'DECLINE_AT_SCREENING', signposting: ['Talking Therapies'] });
    // Of the accepted, 5 withdraw consent, 1 disengages and 1 stays open.
    for (let i = 0; i < 5; i++) await act(i, { type: 'CLOSE', closureReason: 'withdrewConsent' });
    await act(5, { type: 'CLOSE', closureReason: 'disengaged' });

    // Closed cases wrote their facts as they closed; the refresh job reads the 4 still open.
    await eventually(async () => ((await h.cases.caseload({ open: true })).length === 4 ? true : undefined));
    const refreshed = await h.env.client.workflow.execute('reportingRefreshWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `reporting-refresh-${Date.now()}`,
    });
    expect((refreshed as { done: string[] }).done).toEqual([ids[6], ids[9], ids[10], ids[11]].sort());
    const views = await Promise.all(ids.map((id) => h.cases.view(id)));
    const facts = await eventually(async () => {
      const all = await store.all();
      const current = views.every((v) => all.find((f) => f.caseId === v.caseId)?.seq === v.lastSeq);
      return current ? all : undefined;
    });
    expect(facts).toHaveLength(12);
    // The projection holds codes and dates, never the referral's personal data.
    const text = JSON.stringify(facts);
    for (const secret of ['Jane Testparent', '9434765919', 'BCS-000123', 'Harriet', 'Talking Therapies'])
      expect(text).not.toContain(secret);

    const options = {
      pathway: 'parentInfant' as const,
      from: addDays(today, -10),
      to: today,
      now: new Date().toISOString(),
    };
    // Counted in the record store's SQL, as the reports page counts, and the same from the facts.
    const report = assembleReport(await store.tallies(options), options);
    expect(report).toEqual(buildReport(facts, options));
    expect(report.cases).toBe(12);
    expect(figures(report, 'referralsBySource')).toEqual({
      healthVisitor: 8,
      gp: null,
      midwife: null,
      total: 12,
    });
    expect(figures(report, 'firstDecisions')).toEqual({
      accepted: 7,
      declined: null,
      awaitingDecision: null,
      total: 12,
    });
    // 9 in time and 3 missed: the 3 are suppressed, and so are the 9, or the total would give them away.
    expect(figures(report, 'decisionAgainstStandard')).toEqual({ metInTime: null, missed: null, total: 12 });
    expect(figures(report, 'closuresByReason')).toEqual({
      withdrewConsent: 5,
      declinedAtScreening: null,
      disengaged: null,
      total: 8,
    });
    expect(figures(report, 'socialCareAtClosure')).toEqual({ childProtectionPlan: 8, total: 8 });
    expect(figures(report, 'caseloadByState')).toEqual({ screening: null, assessment: null, total: null });

    const csv = reportCsv(report);
    expect(csv).toContain('Parent–infant ReConnect,');
    expect(csv).toMatch(/Referrals by source,referrals received in the period,Health visitor,8\r\n/);
    expect(csv).toMatch(/Referrals by source,referrals received in the period,GP,\[c\]\r\n/);
    expect(csv).not.toMatch(/,[1-4]\r\n/);

    // Another team sees none of them.
    expect(
      buildReport(facts, {
        pathway: 'parentInfant',
        from: today,
        to: today,
        now,
        teams: ['other'],
      }).cases,
    ).toBe(0);
  });

  it('an older write never replaces a newer one', async () => {
    const store = h.records.facts;
    const base: CaseFacts = {
      caseId: 'parentInfant-x',
      pathway: 'parentInfant',
      team: 't',
      seq: 5,
      receivedAt: realClock().now,
      source: 'gp',
      fromConsultation: false,
      state: 'assessment',
      open: true,
      clocks: [],
    };
    await store.put(base);
    await store.put({ ...base, seq: 3, state: 'screening' });
    const kept = (await store.all()).filter((f) => f.caseId === 'parentInfant-x');
    expect(kept).toEqual([expect.objectContaining({ seq: 5, state: 'assessment' })]);
  });
});
