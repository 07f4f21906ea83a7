import { z } from '../../validation/zod';

/** A person's name as recorded on a referral. */
export const PersonName = z.string().trim().min(1).max(200);

export const NhsNumber = z.string().regex(/^\d{10}$/, 'an NHS number is 10 digits');

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
