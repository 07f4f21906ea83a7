import { endOfLocalDay } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import { deadlineInWords, longDate, words, yearsBetween } from './words';

describe('deadlines in words', () => {
  const now = '2026-11-24T09:30:00Z'; // a Tuesday
  it('says the end of a day, not midnight of the next', () => {
    expect(deadlineInWords(endOfLocalDay('2026-11-30'), now, shippedHolidays).text).toBe(
      'due by end of Mon 30 Nov',
    );
  });
  it('gives the time when a deadline is at a time of day', () => {
    expect(deadlineInWords('2026-12-07T10:00:00Z', now, shippedHolidays).text).toBe(
      'due by 10:00 on Mon 7 Dec',
    );
  });
  it('counts lateness in working days, skipping weekends', () => {
    // Due by the end of Thu 19 Nov; Fri 20 and Mon 23 and Tue 24 are working days since.
    const late = deadlineInWords(endOfLocalDay('2026-11-19'), now, shippedHolidays);
    expect(late).toMatchObject({ text: 'overdue by 3 working days', overdue: true });
    expect(deadlineInWords(endOfLocalDay('2026-11-23'), now, shippedHolidays).text).toBe(
      'overdue by 1 working day',
    );
  });
  it('counts over a bank holiday', () => {
    // Due by the end of Thu 24 Dec: Fri 25 and Mon 28 Dec are bank holidays; Tue 29 is the first working day.
    expect(deadlineInWords(endOfLocalDay('2026-12-24'), '2026-12-29T10:00:00Z', shippedHolidays).text).toBe(
      'overdue by 1 working day',
    );
  });
  it('says today rather than the date', () => {
    expect(deadlineInWords(endOfLocalDay('2026-11-24'), now, shippedHolidays).text).toBe(
      'due by end of today',
    );
    expect(deadlineInWords('2026-11-24T17:00:00Z', now, shippedHolidays).text).toBe('due by 17:00 today');
    expect(deadlineInWords('2026-11-24T09:00:00Z', now, shippedHolidays).text).toBe(
      'overdue: was due by 09:00 today',
    );
  });
  it('marks what is due within a week', () => {
    expect(deadlineInWords(endOfLocalDay('2026-11-26'), now, shippedHolidays).soon).toBe(true);
    expect(deadlineInWords(endOfLocalDay('2026-12-26'), now, shippedHolidays).soon).toBe(false);
  });
  it('turns code names into words', () => {
    expect(words('domesticAbuse')).toBe('Domestic abuse');
  });
});

describe('dates and ages in words', () => {
  it('writes a date as people do, and an instant on its UK date', () => {
    expect(longDate('2026-12-04')).toBe('4 December 2026');
    expect(longDate('1995-01-31')).toBe('31 January 1995');
    // 23:30 UTC on 31 May is 00:30 on 1 June in London (summer time).
    expect(longDate('2026-05-31T23:30:00Z')).toBe('1 June 2026');
  });
  it('counts whole years of age, the birthday itself included', () => {
    expect(yearsBetween('1990-12-06', '2026-12-06')).toBe(36);
    expect(yearsBetween('1990-12-07', '2026-12-06')).toBe(35);
    expect(yearsBetween('2024-02-29', '2025-02-28')).toBe(0);
    expect(yearsBetween('2024-02-29', '2025-03-01')).toBe(1);
    expect(yearsBetween('2027-01-01', '2026-12-06')).toBeUndefined();
  });
});
