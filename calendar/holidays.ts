import feed from './data/bank-holidays.json';
import { parseBankHolidayFeed, type HolidayCalendar } from './calendar';

/** The bank holidays shipped with this release (England and Wales, public feed format). */
export const shippedHolidays: HolidayCalendar = parseBankHolidayFeed(feed);
