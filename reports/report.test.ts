import { DateTime } from 'luxon';
import { localDateOf, subtractWorkingDays, addDays, ZONE } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { pathways } from '../machines';
import type { CaseContext } from '../machines/common/case';
import { start } from '../test/support/machines';
import { parentInfantReferral } from '../test/support/referrals';
import type { CaseFacts } from './facts';
import { buildReport } from './report';

// Reports measured against the clock they are read at: run on every day of the week and year
// (the date-instant runs fix the clock at weekends, bank holidays, clock changes and year ends).

const figures = (facts: CaseFacts[], from: string, to: string, now: string) => {
  const report = buildReport(facts, { pathway: 'parentInfant', from, to, now });
  const t = report.tables.find((x) => x.id === 'decisionAgainstStandard')!;
  return { cases: report.cases, ...Object.fromEntries(t.rows.map((r) => [r.key, r.value])), total: t.total };
};

/** A parent–infant case's facts, its screening clock set by the machine itself. */
function caseFacts(id: string, receivedAt: string, decidedAt?: string): CaseFacts {
  const s = start(pathways.parentInfant, parentInfantReferral({ receivedAt }));
  const due = (s.context as CaseContext).workingDayDue?.['screeningDue'];
  if (!due) throw new Error('no screening clock');
  return {
    caseId: id,
    pathway: 'parentInfant',
    team: 't',
    seq: 1,
    receivedAt,
    source: 'gp',
    fromConsultation: false,
    state: decidedAt ? 'assessment' : 'screening',
    open: true,
    clocks: [{ name: 'screeningDue', due, ...(decidedAt ? { metAt: decidedAt } : {}) }],
  };
}

describe('service reports, read at any time', () => {
  it("counts today's referrals in a period ending today, and a week-old undecided one as missed", () => {
    const now = new Date().toISOString();
    const today = localDateOf(now);
    const weekAgo = DateTime.fromISO(`${subtractWorkingDays(today, 5, shippedHolidays)}T10:00`, {
      zone: ZONE,
    })
      .toUTC()
      .toISO()!;
    const facts = [
      ...[1, 2, 3, 4, 5].map((i) => caseFacts(`met-${i}`, now, now)),
      ...[1, 2, 3, 4, 5].map((i) => caseFacts(`missed-${i}`, weekAgo)),
      ...[1, 2, 3, 4, 5].map((i) => caseFacts(`running-${i}`, now)),
    ];
    expect(figures(facts, addDays(today, -10), today, now)).toEqual({
      cases: 15,
      metInTime: 5,
      missed: 5,
      running: 5,
      total: 15,
    });
    // A period that ended yesterday holds none of today's referrals.
    expect(figures(facts, addDays(today, -10), addDays(today, -1), now)).toMatchObject({
      missed: 5,
      total: 5,
    });
  });
});
