import feed from './data/bank-holidays.json';
import { frozen, type Frozen } from '../validation/frozen';
import { parseBankHolidayFeed, type HolidayCalendar } from './calendar';

/** The bank holidays shipped with this release (England and Wales, public feed format). */
export const shippedHolidays: Frozen<HolidayCalendar> = frozen(parseBankHolidayFeed(feed));
