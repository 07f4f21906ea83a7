import { addDays } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { CaseRecord } from '../workflows/caseRecord';
import { custodyReferral } from '../test/support/custodyReferrals';
import { caseworker, prisonSystem } from '../test/support/referrals';
import type { CaseFacts } from './facts';
import { buildReport, reportCsv, type ServiceReport } from './report';

// Continuity of care after custody, counted from cases driven through the RECONNECT pathway
// itself, each with a known answer. Fixed dates: a pure test, with no clock but the events'.

interface Person {
  releasedOn: string;
  /** Days before release of each contact. */
  before: number[];
  /** Days after release of each community contact. */
  after: number[];
  handoverBeforeRelease?: boolean;
  closed?: 'needsMet' | 'disengaged' | 'sixMonthLimitReached';
}

const at = (day: string, hour = 10) => `${day}T${String(hour).padStart(2, '0')}:00:00Z`;

/** A person referred 8 weeks before release, seen as given, released, and perhaps closed. */
function casePerson(i: number, p: Person): CaseFacts {
  const caseId = `reconnect-${i}`;
  const received = addDays(p.releasedOn, -56);
  const { record } = CaseRecord.open({
    caseId,
    pathway: 'reconnect',
    referral: custodyReferral({ receivedAt: at(received) }, p.releasedOn),
    team: 't',
    calendar: shippedHolidays,
    at: at(received),
    actor: caseworker,
  });
  let n = 0;
  const act = (type: string, day: string, fields: object, actor: object = caseworker) =>
    record.apply(record.check({ type, eventId: `${caseId}:${++n}`, at: at(day, 12), actor, ...fields }));
  act('ASSESSMENT_COMPLETED', addDays(received, 1), { appropriate: true, consent: true });
  for (const d of p.before)
    act('RECORD_CONTACT', addDays(p.releasedOn, -d), {
      mode: 'faceToFace',
      occurredAt: at(addDays(p.releasedOn, -d)),
    });
  if (p.handoverBeforeRelease) {
    act('SET_RECEIVING_SERVICE', addDays(p.releasedOn, -3), { service: 'Community mental health team' });
    act('HANDOVER_COMPLETED', addDays(p.releasedOn, -2), {});
  }
  act('RELEASED', p.releasedOn, { releasedOn: p.releasedOn }, prisonSystem);
  for (const d of p.after)
    // Recorded two days late: a contact counts on the day it happened.
    act('RECORD_CONTACT', addDays(p.releasedOn, d + 2), {
      mode: 'faceToFace',
      occurredAt: at(addDays(p.releasedOn, d)),
    });
  if (p.closed) act('CLOSE', addDays(p.releasedOn, 60), { closureReason: p.closed });
  return record.facts();
}

const row = (r: ServiceReport, id: string) => {
  const t = r.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return { ...Object.fromEntries(t.rows.map((x) => [x.key, x.value])), total: t.total };
};

describe('continuity of care after custody, from cases with known answers', () => {
  // April to June 2027: seven people. First community contact on days 0, 3, 10, 21 (within 21
  // days: four), 22 and 40 (not within), and one not yet seen (no first contact).
  const spring: Person[] = [
    {
      releasedOn: '2027-04-12',
      before: [20, 10],
      after: [0],
      handoverBeforeRelease: true,
      closed: 'needsMet',
    },
    {
      releasedOn: '2027-04-20',
      before: [14, 7, 1],
      after: [3, 9],
      handoverBeforeRelease: true,
      closed: 'needsMet',
    },
    { releasedOn: '2027-05-03', before: [5], after: [10], closed: 'disengaged' },
    { releasedOn: '2027-05-17', before: [30, 2], after: [21], handoverBeforeRelease: true },
    { releasedOn: '2027-06-01', before: [], after: [22] },
    { releasedOn: '2027-06-14', before: [9, 8], after: [40], closed: 'needsMet' },
    { releasedOn: '2027-06-30', before: [1], after: [] },
  ];
  // July to September 2027: five people, every one seen within 21 days (days 1, 2, 2, 5, 7).
  const summer: Person[] = [
    { releasedOn: '2027-07-05', before: [3, 2], after: [1] },
    { releasedOn: '2027-07-19', before: [3, 2], after: [2] },
    { releasedOn: '2027-08-02', before: [3, 2], after: [2] },
    { releasedOn: '2027-08-16', before: [3, 2], after: [5] },
    { releasedOn: '2027-09-13', before: [4, 3], after: [7] },
  ];
  const facts = [...spring, ...summer].map((p, i) => casePerson(i, p));
  const report = buildReport(facts, {
    pathway: 'reconnect',
    from: '2027-04-01',
    to: '2027-09-30',
    now: '2027-12-01T12:00:00Z',
  });

  it('derives each person’s release, contacts before it and days to the first community contact', () => {
    expect(
      facts.map((f) => [
        f.outcome?.releasedOn,
        f.outcome?.contactsBeforeRelease,
        f.outcome?.daysToFirstCommunityContact,
      ]),
    ).toEqual([
      ['2027-04-12', 2, 0],
      ['2027-04-20', 3, 3],
      ['2027-05-03', 1, 10],
      ['2027-05-17', 2, 21],
      ['2027-06-01', 0, 22],
      ['2027-06-14', 2, 40],
      ['2027-06-30', 1, undefined],
      ['2027-07-05', 2, 1],
      ['2027-07-19', 2, 2],
      ['2027-08-02', 2, 2],
      ['2027-08-16', 2, 5],
      ['2027-09-13', 2, 7],
    ]);
  });

  it('counts the continuity-of-care measure and its companions by quarter of release', () => {
    expect(row(report, 'continuityReleased')).toEqual({ '2027-04': 7, '2027-07': 5, total: 12 });
    // Four of seven within 21 days in the spring: under 5, so hidden, and the summer's 5 with it.
    expect(row(report, 'continuityFirstContact')).toEqual({ '2027-04': null, '2027-07': null, total: 9 });
    // Medians: spring (10 + 21) / 2 of six seen = 15.5; summer 2; the whole period, the sixth of eleven, 5.
    expect(row(report, 'continuityMedianDays')).toEqual({ '2027-04': 15.5, '2027-07': 2, total: 5 });
    expect(row(report, 'continuityTwoContacts')).toEqual({ '2027-04': null, '2027-07': null, total: 9 });
    expect(row(report, 'continuityHandover')).toEqual({ '2027-04': null, total: null });
    expect(row(report, 'supportEnded')).toEqual({
      '2027-04|needsMet': null,
      '2027-07|disengaged': null,
      '2027-07|needsMet': null,
      total: null,
    });
  });

  it('labels quarters in words and keeps them in time order, in the CSV too', () => {
    const t = report.tables.find((x) => x.id === 'continuityReleased')!;
    expect(t.rows.map((r) => r.label)).toEqual(['April to June 2027', 'July to September 2027']);
    const csv = reportCsv(report);
    expect(csv).toContain('Days from release to first community contact (median),');
    expect(csv).toMatch(/,July to September 2027,2\r\n/);
    expect(csv).toMatch(/,Whole period,5\r\n/);
  });
});
