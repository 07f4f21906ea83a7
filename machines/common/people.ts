import { z } from '../../validation/zod';
import type { ReferralRule } from './rules';

/** A person's name as recorded on a referral. */
export const PersonName = z.string().trim().min(1).max(200);

/** An NHS number as people write it: 10 digits, together or as 3, 3 and 4 with single spaces. */
const NHS_NUMBER_AS_WRITTEN = /^(?:\d{10}|\d{3} \d{3} \d{4})$/;

/** What is wrong with an NHS number as written, if anything. */
export type NhsNumberFault = 'format' | 'oneDigitRepeated' | 'checkDigit';

export function nhsNumberFault(written: string): NhsNumberFault | undefined {
  if (!NHS_NUMBER_AS_WRITTEN.test(written)) return 'format';
  const digits = [...written.replace(/ /g, '')].map(Number);
  // One digit repeated passes the check (0000000000 does), but is never an NHS number.
  if (digits.every((d) => d === digits[0])) return 'oneDigitRepeated';
  // Modulus 11: the first nine digits weighted 10 down to 2; the check digit is 11 less the
  // remainder, 11 meaning 0. A result of 10 belongs to no NHS number.
  const sum = digits.slice(0, 9).reduce((total, d, i) => total + d * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === digits[9] ? undefined : 'checkDigit';
}

/** Is this an NHS number (943 476 5919 or 9434765919): 10 digits whose last is their check digit? */
export const isValidNhsNumber = (written: string): boolean => nhsNumberFault(written) === undefined;

/**
 * An NHS number as people write it (943 476 5919 or 9434765919), kept without its spaces. The
 * check digit is a referral rule (`nhsNumberChecked`), as every rule the contract's schema
 * cannot state is: a referral with a wrong one opens no case and says why.
 */
export const NhsNumber = z
  .string()
  .regex(NHS_NUMBER_AS_WRITTEN, 'an NHS number is 10 digits, written together or as 3, 3 and 4 digits')
  .overwrite((written) => written.replace(/ /g, ''))
  .meta({ description: '10 digits, for example 485 777 3456' });

/** The referral rule of every pathway that takes an NHS number: one given is a real one. */
export function nhsNumberChecked<R>(numberOf: (referral: R) => string | undefined): ReferralRule<R> {
  return {
    holds: (r) => {
      const given = numberOf(r);
      return given === undefined || isValidNhsNumber(given);
    },
    refusal: (r) =>
      nhsNumberFault(numberOf(r) ?? '') === 'oneDigitRepeated'
        ? 'the NHS number is one digit repeated, which is never a real NHS number'
        : "the NHS number's check digit is wrong",
  };
}

/**
 * An e-mail address a message can go to: one address, with no display name, list or spaces, and
 * a domain with at least one dot (the HTML form's rule for an address, made stricter so that a
 * name, a phone number or `a@evil.example,x` is not one).
 */
const EMAIL_ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Is this one e-mail address, like name@example.nhs.uk? */
export const isEmailAddress = (written: string): boolean => EMAIL_ADDRESS.test(written);

/** How to reach someone: by phone or by e-mail, and the number or address. */
export interface ContactRoute {
  route: string;
  value: string;
}

/**
 * The referral rule of every contact route: an e-mail contact is an e-mail address (the outcome
 * is sent to it). A rule, not the schema, so cases already open are not checked again.
 */
export function contactEmailChecked<R>(
  contactOf: (referral: R) => ContactRoute,
  whose: string,
): ReferralRule<R> {
  return {
    holds: (r) => {
      const { route, value } = contactOf(r);
      return route !== 'email' || isEmailAddress(value);
    },
    refusal: () =>
      `${whose} e-mail contact is not an e-mail address: give one address, like name@example.nhs.uk`,
  };
}

/** Who referred, and how to reach them: they are told the outcome. Each pathway lists its roles. */
export function referrerOf<R extends z.ZodType<string>>(role: R) {
  return z.object({
    role,
    name: PersonName,
    organisation: z.string().trim().max(200).optional(),
    /** What the referrer does, when their role is not one of the named ones. */
    roleDescription: z.string().trim().min(1).max(120).optional(),
    contact: z.object({ route: z.enum(['phone', 'email']), value: z.string().trim().min(3).max(200) }),
  });
}

const REFERRAL_WITH_REFERRER = z.object({ referral: z.object({ referrer: referrerOf(z.string()) }) });

/** The referrer and their contact route, if the case's referral names one (every pathway's does). */
export function referrerIn(
  context: Record<string, unknown>,
): { name: string; contact: { route: string; value: string } } | undefined {
  const parsed = REFERRAL_WITH_REFERRER.safeParse(context);
  return parsed.success ? parsed.data.referral.referrer : undefined;
}
