import { z } from 'zod';
import { pathways, PATHWAYS, type Pathway, type PathwayId } from '..';
import { custodyReferral, enhancedReferral } from '../../test/support/custodyReferrals';
import { parentInfantReferral } from '../../test/support/referrals';
import { frontDoorReferralSample } from '../../test/support/sampleEvents';
import { Consultation, consultationRefusals } from '../consultation';
import { isEmailAddress } from './people';
import { LATE_ENTRY_MONTHS, LIFETIME_YEARS, RECEIPT_CLOCK_SKEW_MINUTES } from './receipt';

// The rules every pathway's referral is judged by before a case opens, whatever the pathway:
// when it was received (against the service's clock), how to reach the referrer, its dates, and
// an NHS number wherever a referral has one. Fixed dates: the clock is passed in, never read.

const RECEIVED_AT = '2026-11-23T10:00:00Z';

/** Each pathway's sample referral, received at `receivedAt`, with its dates relative to that. */
const SAMPLES: Record<PathwayId, (receivedAt: string) => Record<string, unknown>> = {
  parentInfant: (receivedAt) => parentInfantReferral({ receivedAt }),
  frontDoor: (receivedAt) => frontDoorReferralSample({ receivedAt }),
  reconnect: (receivedAt) => custodyReferral({ receivedAt }),
  enhancedReconnect: (receivedAt) => enhancedReferral({ receivedAt }),
};

/** Every reason the pathway refuses a referral that would open its case at `now`. */
const refusals = (p: Pathway, referral: unknown, now: string) =>
  p.refusalsOnOpening(p.referral.parse(referral), now);

const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();
const withReferrerContact = (
  referral: Record<string, unknown>,
  contact: { route: string; value: string },
) => ({
  ...referral,
  referrer: { ...(referral.referrer as object), contact },
});

describe.each(PATHWAYS)('every referral, on the %s pathway', (id) => {
  const p = pathways[id];
  const sample = SAMPLES[id];

  it('opens a case when received now, with every rule met', () => {
    expect(refusals(p, sample(RECEIVED_AT), RECEIVED_AT)).toEqual([]);
  });

  it(`receivedNotInFuture: a referral received after now (beyond ${RECEIPT_CLOCK_SKEW_MINUTES} minutes of clock skew) is refused`, () => {
    const now = RECEIVED_AT;
    expect(refusals(p, sample(minutes(now, RECEIPT_CLOCK_SKEW_MINUTES)), now)).toEqual([]);
    const ahead = minutes(now, RECEIPT_CLOCK_SKEW_MINUTES + 1);
    expect(refusals(p, sample(ahead), now)).toEqual([
      `it is recorded as received at ${ahead}, which has not come yet: give the time it was received`,
    ]);
    const monthAhead = minutes(now, 30 * 24 * 60);
    expect(refusals(p, sample(monthAhead), now)).toEqual([
      `it is recorded as received at ${monthAhead}, which has not come yet: give the time it was received`,
    ]);
  });

  it(`receivedWithinAYear: a referral received more than ${LATE_ENTRY_MONTHS} months before now (by the UK date) is refused`, () => {
    // Now is 23 November 2026, 10:00: one received from 00:00 on 23 November 2025 may be entered.
    expect(refusals(p, sample('2025-11-23T00:00:00Z'), RECEIVED_AT)).toEqual([]);
    expect(refusals(p, sample('2025-11-22T23:59:00Z'), RECEIVED_AT)).toEqual([
      expect.stringMatching(/^it is recorded as received at 2025-11-22T23:59:00Z, more than 12 months ago/),
    ]);
    expect(refusals(p, sample('2024-11-23T10:00:00Z'), RECEIVED_AT)).toEqual([
      expect.stringMatching(/^it is recorded as received at 2024-11-23T10:00:00Z, more than 12 months ago/),
    ]);
    // In summer, 00:00 UK time is 23:00 UTC the day before.
    expect(refusals(p, sample('2026-06-30T23:00:00Z'), '2027-07-01T09:00:00Z')).toEqual([]);
    expect(refusals(p, sample('2026-06-30T22:59:00Z'), '2027-07-01T09:00:00Z')).toHaveLength(1);
  });

  it("contactEmailChecked: the referrer's e-mail contact is an e-mail address", () => {
    const referral = sample(RECEIVED_AT);
    for (const value of [
      'Harriet Visitor',
      '01296 000000',
      'harriet.visitor',
      'a@evil.example,x',
      'a@localhost',
    ]) {
      expect(refusals(p, withReferrerContact(referral, { route: 'email', value }), RECEIVED_AT)).toEqual([
        "the referrer's e-mail contact is not an e-mail address: give one address, like name@example.nhs.uk",
      ]);
    }
    expect(
      refusals(
        p,
        withReferrerContact(referral, { route: 'email', value: 'h.visitor+ref@bucks.nhs.uk' }),
        RECEIVED_AT,
      ),
    ).toEqual([]);
    // A phone contact is a phone contact.
    expect(
      refusals(p, withReferrerContact(referral, { route: 'phone', value: '01296 000000' }), RECEIVED_AT),
    ).toEqual([]);
  });

  it(`datesWithinALifetime: a date on the referral more than ${LIFETIME_YEARS} years from its receipt is refused`, () => {
    const referral = sample(RECEIVED_AT);
    const dates = datesIn(referral);
    expect(dates.length).toBeGreaterThan(0);
    for (const path of dates) {
      for (const date of ['1896-11-22', '2156-11-24']) {
        const [reason] = refusals(p, setAt(referral, path, date), RECEIVED_AT).filter((r) =>
          r.includes('130 years'),
        );
        expect({ path, date, reason }).toEqual({
          path,
          date,
          reason: expect.stringMatching(
            /^the .+ is more than 130 years from the day the referral was received: check the year$/,
          ),
        });
      }
      expect(
        refusals(p, setAt(referral, path, '1896-11-23'), RECEIVED_AT).filter((r) => r.includes('130 years')),
      ).toEqual([]);
    }
  });

  it('is judged without throwing whatever instants and dates the schema lets through', () => {
    for (const receivedAt of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
      expect(refusals(p, { ...sample(RECEIVED_AT), receivedAt }, RECEIVED_AT).length).toBeGreaterThan(0);
    }
    for (const path of datesIn(sample(RECEIVED_AT))) {
      for (const date of ['0001-01-01', '9999-12-31']) {
        expect(refusals(p, setAt(sample(RECEIVED_AT), path, date), RECEIVED_AT).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('nhsNumberChecked on every pathway whose referral has an NHS number', () => {
  /** Where a pathway's referral schema has an NHS number, as paths. */
  function nhsNumberPaths(schema: z.ZodType): string[][] {
    const found: string[][] = [];
    const walk = (node: unknown, path: string[]) => {
      if (!node || typeof node !== 'object') return;
      const n = node as { properties?: Record<string, unknown>; anyOf?: unknown[]; oneOf?: unknown[] };
      for (const [key, child] of Object.entries(n.properties ?? {})) {
        if (key === 'nhsNumber') found.push([...path, key]);
        walk(child, [...path, key]);
      }
      for (const branch of [...(n.anyOf ?? []), ...(n.oneOf ?? [])]) walk(branch, path);
    };
    walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), []);
    return found;
  }

  it('finds an NHS number on the parent–infant and custody pathways, and none on the front door', () => {
    expect(Object.fromEntries(PATHWAYS.map((id) => [id, nhsNumberPaths(pathways[id].referral)]))).toEqual({
      parentInfant: [['parent', 'nhsNumber']],
      frontDoor: [],
      reconnect: [['person', 'nhsNumber']],
      enhancedReconnect: [['person', 'nhsNumber']],
    });
  });

  it.each(PATHWAYS)('%s: 0000000000 and a wrong check digit are refused wherever the number goes', (id) => {
    const p = pathways[id];
    for (const path of nhsNumberPaths(p.referral)) {
      const referral = SAMPLES[id](RECEIVED_AT);
      expect(refusals(p, setAt(referral, path, '0000000000'), RECEIVED_AT)).toEqual([
        'the NHS number is one digit repeated, which is never a real NHS number',
      ]);
      expect(refusals(p, setAt(referral, path, '9434765918'), RECEIVED_AT)).toEqual([
        "the NHS number's check digit is wrong",
      ]);
    }
  });
});

describe('a duty-line call or consultation request', () => {
  const call = (overrides: object = {}) =>
    Consultation.parse({
      pathway: 'parentInfant',
      route: 'dutyLine',
      receivedAt: RECEIVED_AT,
      professional: {
        name: 'Grace Okafor',
        role: 'health visitor',
        contact: { route: 'email', value: 'grace.okafor@example.nhs.uk' },
      },
      concern: 'Asks whether a referral is right for a mother low in mood.',
      ...overrides,
    });

  it('receivedNotInFuture, receivedWithinAYear and contactEmailChecked: is judged as a referral is', () => {
    expect(consultationRefusals(call(), RECEIVED_AT)).toEqual([]);
    expect(
      consultationRefusals(call({ receivedAt: minutes(RECEIVED_AT, 30 * 24 * 60) }), RECEIVED_AT),
    ).toEqual([expect.stringMatching(/which has not come yet/)]);
    expect(consultationRefusals(call({ receivedAt: '2024-11-23T10:00:00Z' }), RECEIVED_AT)).toEqual([
      expect.stringMatching(/more than 12 months ago/),
    ]);
    const professional = {
      name: 'Grace Okafor',
      role: 'health visitor',
      contact: { route: 'email', value: 'Grace' },
    };
    expect(consultationRefusals(call({ professional }), RECEIVED_AT)).toEqual([
      "the professional's e-mail contact is not an e-mail address: give one address, like name@example.nhs.uk",
    ]);
  });
});

describe('an e-mail address', () => {
  it('is one address with a dotted domain, without names, lists or spaces', () => {
    for (const good of [
      'a@b.co',
      'first.last@bucks.nhs.uk',
      "o'neil+x@example.org",
      'A_B-C@sub.example.co.uk',
    ]) {
      expect(isEmailAddress(good)).toBe(true);
    }
    for (const bad of [
      '',
      'constructor',
      'a@b',
      '@example.org',
      'a@.example.org',
      'a@example..org',
      'a b@example.org',
      'Harriet <h@example.org>',
      'a@example.org,b@example.org',
      'a@example.org\nBcc: b@example.org',
      'a@-example.org',
    ]) {
      expect(isEmailAddress(bad)).toBe(false);
    }
  });
});

/** The paths of every date (not instant) in a referral. */
function datesIn(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? [path] : [];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => datesIn(v, [...path, k]));
}

/** A copy of `value` with `path` set to `to`. */
function setAt(value: Record<string, unknown>, path: string[], to: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  return { ...value, [head]: rest.length ? setAt(value[head] as Record<string, unknown>, rest, to) : to };
}
