import type { RefusalCode } from './case';

/**
 * A case's refusals and the HTTP status each is answered with, by the API and by the workspace's
 * pages alike (the compiler checks the list is complete).
 */
export const REFUSAL_STATUS = {
  invalid: 400,
  forbidden: 403,
  notFound: 404,
  notAllowed: 409,
  closed: 409,
} as const satisfies Record<RefusalCode, number>;
