import { DateTime } from 'luxon';
import {
  addDays,
  addMonths,
  addWorkingDays,
  ageOn,
  daysBetween,
  endOfLocalDay,
  localDateOf,
  startOfLocalDay,
  subtractWorkingDays,
  ZONE,
  inboxSeenAt,
  isWorkingDay,
  nextTeamMeeting,
  parseBankHolidayFeed,
  type HolidayCalendar,
} from './calendar';
import { shippedHolidays as cal } from './holidays';

describe('inbox hours (09:00–17:00 UK time, working days)', () => {
  it.each([
    [
      'a referral on Friday at 17:01 before a bank-holiday Monday is seen on Tuesday at 09:00',
      '2026-08-28T16:01:00Z',
      '2026-09-01T08:00:00.000Z',
    ],
    ['a referral on Friday at 16:59 is seen at once', '2026-08-28T15:59:00Z', '2026-08-28T15:59:00.000Z'],
    [
      'a referral at 17:00 exactly waits for the next opening',
      '2026-11-20T17:00:00Z',
      '2026-11-23T09:00:00.000Z',
    ],
    ['a referral at 08:30 is seen at 09:00 the same day', '2026-11-24T08:30:00Z', '2026-11-24T09:00:00.000Z'],
    [
      'a Saturday referral before the clocks go forward is seen on Monday at 09:00 BST',
      '2026-03-28T12:00:00Z',
      '2026-03-30T08:00:00.000Z',
    ],
    [
      'a Saturday referral before the clocks go back is seen on Monday at 09:00 GMT',
      '2026-10-24T12:00:00Z',
      '2026-10-26T09:00:00.000Z',
    ],
    [
      'a referral on Christmas Eve evening is seen on Tuesday 29 December',
      '2026-12-24T18:00:00Z',
      '2026-12-29T09:00:00.000Z',
    ],
    ['08:30 BST is 07:30 UTC: still before opening', '2026-06-01T07:30:00Z', '2026-06-01T08:00:00.000Z'],
  ])('%s', (_name, receivedAt, seenAt) => {
    expect(inboxSeenAt(receivedAt, cal)).toBe(seenAt);
  });
});

describe('the Monday team meeting (10:00; next working day when Monday is a bank holiday)', () => {
  it.each([
    ['triaged on Monday at 09:59 waits for that morning', '2026-11-23T09:59:00Z', '2026-11-23T10:00:00.000Z'],
    ['triaged once the meeting has started waits a week', '2026-11-23T10:00:00Z', '2026-11-30T10:00:00.000Z'],
    [
      'triaged on Friday before the August bank holiday goes to Tuesday',
      '2026-08-28T12:00:00Z',
      '2026-09-01T09:00:00.000Z',
    ],
    [
      'the substitute Boxing Day on Monday 28 December moves the meeting to Tuesday',
      '2026-12-22T12:00:00Z',
      '2026-12-29T10:00:00.000Z',
    ],
    [
      'a Tuesday meeting (the holiday week) is still ahead on Monday evening',
      '2026-08-31T18:00:00Z',
      '2026-09-01T09:00:00.000Z',
    ],
  ])('%s', (_name, after, meeting) => {
    expect(nextTeamMeeting(after, cal)).toBe(meeting);
  });

  it('can meet on another weekday and time', () => {
    expect(nextTeamMeeting('2026-11-23T12:00:00Z', cal, { weekday: 3, time: '14:30' })).toBe(
      '2026-11-25T14:30:00.000Z',
    );
  });
});

describe('working days and calendar months', () => {
  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2026-12-28', cal)).toBe(false);
    expect(addWorkingDays('2026-12-24T10:00:00Z', 1, cal)).toBe('2026-12-29');
    expect(addWorkingDays('2026-11-20T10:00:00Z', 1, cal)).toBe('2026-11-23');
    // From Monday 2 November 2026: 20 working days left in November, 21 in December
    // (25 and 28 December are holidays), then 1 January is one too: the 45th is 7 January.
    expect(addWorkingDays('2026-11-02T10:00:00Z', 45, cal)).toBe('2027-01-07');
  });

  it('clamps to the month end: 31 August + 6 months is 28 or 29 February', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-08-30', 6)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});

describe('bank holiday reference data', () => {
  it('ships England and Wales from 2025 to 2028 in the public feed format', () => {
    expect(cal.holidays).toContain('2027-12-27');
    expect(cal.holidays).toHaveLength(32);
    expect(cal.version).toBe('2025-01-01..2028-12-26#32');
  });

  it('is replaceable: a newly proclaimed holiday applies to deadlines computed with the new data', () => {
    const proclaimed: HolidayCalendar = parseBankHolidayFeed({
      'england-and-wales': {
        events: [
          ...cal.holidays.map((date) => ({ title: 'x', date })),
          { title: 'Proclaimed', date: '2027-06-07' },
        ],
      },
    });
    expect(nextTeamMeeting('2027-06-04T12:00:00Z', cal)).toBe('2027-06-07T09:00:00.000Z');
    expect(nextTeamMeeting('2027-06-04T12:00:00Z', proclaimed)).toBe('2027-06-08T09:00:00.000Z');
  });

  it('refuses a feed that is not in the expected shape', () => {
    expect(() =>
      parseBankHolidayFeed({ 'england-and-wales': { events: [{ title: 'x', date: '7 June' }] } }),
    ).toThrow();
    expect(() => parseBankHolidayFeed({ scotland: { events: [] } })).toThrow();
  });
});

describe('calendar arithmetic on whole dates agrees with UK local time', () => {
  // The oracle: the same arithmetic done in Europe/London, through every day of four years,
  // both changes of the clocks included.
  const inZone = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
  const zoneWorkingDays = (from: string, n: number, step: 1 | -1) => {
    let d = inZone(from).startOf('day');
    for (let left = n; left > 0;) {
      d = d.plus({ days: step });
      if (d.weekday <= 5 && !cal.holidays.includes(d.toISODate()!)) left--;
    }
    return d.toISODate();
  };
  const days = Array.from({ length: 4 * 365 + 1 }, (_, i) =>
    DateTime.fromISO('2025-01-01', { zone: 'utc' }).plus({ days: i }).toISODate()!,
  );

  it('local dates of instants either side of midnight, UTC and UK', () => {
    for (const date of days) {
      for (const time of ['T00:30:00Z', 'T12:00:00Z', 'T23:30:00Z', 'T23:59:59.999+01:00']) {
        const instant = `${date}${time}`;
        expect(localDateOf(instant)).toBe(inZone(instant).toISODate());
      }
    }
  });

  it('days, months, working days, the end of a day and ages', () => {
    for (const date of days) {
      expect(addDays(date, 14)).toBe(inZone(date).plus({ days: 14 }).toISODate());
      expect(addMonths(date, 6)).toBe(inZone(date).plus({ months: 6 }).toISODate());
      expect(addWorkingDays(date, 15, cal)).toBe(zoneWorkingDays(date, 15, 1));
      expect(addWorkingDays(`${date}T23:30:00Z`, 1, cal)).toBe(zoneWorkingDays(`${date}T23:30:00Z`, 1, 1));
      expect(subtractWorkingDays(date, 5, cal)).toBe(zoneWorkingDays(date, 5, -1));
      expect(endOfLocalDay(date)).toBe(inZone(date).plus({ days: 1 }).toUTC().toISO());
      expect(startOfLocalDay(date)).toBe(inZone(date).toUTC().toISO());
      expect(daysBetween('2025-01-01', date)).toBe(days.indexOf(date));
      expect(ageOn('2008-02-29', date)).toBe(
        Math.floor(inZone(date).diff(inZone('2008-02-29'), 'years').years),
      );
    }
  });

  it('refuses what is not a date, every time it is asked', () => {
    expect(() => localDateOf('not a date')).toThrow(RangeError);
    expect(() => localDateOf('not a date')).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});
