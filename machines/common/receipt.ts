import { addMonths, localDateOf, startOfLocalDay } from '../../calendar/calendar';
import { frozen } from '../../validation/frozen';
import { contactEmailChecked, type ContactRoute } from './people';
import type { OpeningRule, ReferralRule } from './rules';

/**
 * [decision] How far ahead of the service's clock a referral's time of receipt may be: a
 * sender's clock a little fast, or a time typed to the minute. Anything later has not happened.
 */
export const RECEIPT_CLOCK_SKEW_MINUTES = 5;

/**
 * [decision] How long after it was received a referral may still be entered: a paper or
 * posted referral entered late. One received longer ago is a mistyped year, or too stale to
 * open a case from (its deadlines would all be long past); the referrer is asked again.
 */
export const LATE_ENTRY_MONTHS = 12;

/**
 * [decision] How far from the day a referral was received any date on it may be, before or
 * after: longer than anyone lives (the oldest person on record lived to 122), so a birth date,
 * an expected delivery or a release date further away is a mistyped year.
 */
export const LIFETIME_YEARS = 130;

/** What every referral has: when it was received, and who referred and how to reach them. */
export interface ReferralBasics {
  receivedAt: string;
  referrer: { contact: ContactRoute };
}

/** The earliest instant a referral may have been received to open a case at `now`. */
export const earliestReceipt = (now: string): string =>
  startOfLocalDay(addMonths(localDateOf(now), -LATE_ENTRY_MONTHS));

/** The rules about when a referral (or a consultation) was received, judged against the service's clock. */
export const receiptRules = frozen({
  receivedNotInFuture: {
    holds: (r: { receivedAt: string }, now: string) =>
      Date.parse(r.receivedAt) <= Date.parse(now) + RECEIPT_CLOCK_SKEW_MINUTES * 60_000,
    refusal: (r: { receivedAt: string }) =>
      `it is recorded as received at ${r.receivedAt}, which has not come yet: give the time it was received`,
  },
  receivedWithinAYear: {
    holds: (r: { receivedAt: string }, now: string) =>
      Date.parse(r.receivedAt) >= Date.parse(earliestReceipt(now)),
    refusal: (r: { receivedAt: string }) =>
      `it is recorded as received at ${r.receivedAt}, more than ${LATE_ENTRY_MONTHS} months ago: check the date, and if it is right ask the referrer to refer again`,
  },
} satisfies Record<string, OpeningRule<{ receivedAt: string }>>);

/** The rules every pathway's referral is judged by, whatever its pathway's own. */
export const everyReferralRules = frozen({
  contactEmailChecked: contactEmailChecked<ReferralBasics>((r) => r.referrer.contact, "the referrer's"),
} satisfies Record<string, ReferralRule<ReferralBasics>>);

/**
 * The referral rule of every pathway with dates on its referral: each is within a lifetime of
 * the day it was received. `datesOf` names each date the referral gives, in words.
 */
export function datesWithinALifetime<R extends { receivedAt: string }>(
  datesOf: (referral: R) => Record<string, string | undefined>,
): ReferralRule<R> {
  const outside = (r: R): string[] => {
    const received = localDateOf(r.receivedAt);
    const earliest = addMonths(received, -12 * LIFETIME_YEARS);
    const latest = addMonths(received, 12 * LIFETIME_YEARS);
    // ISO dates of four-digit years compare as text.
    return Object.entries(datesOf(r))
      .filter(([, date]) => date !== undefined && (date < earliest || date > latest))
      .map(([name]) => name);
  };
  return {
    holds: (r) => outside(r).length === 0,
    refusal: (r) =>
      `the ${outside(r).join(' and the ')} ${outside(r).length > 1 ? 'are' : 'is'} more than ${LIFETIME_YEARS} years from the day the referral was received: check the year`,
  };
}
