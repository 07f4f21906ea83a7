import { frozen } from '../../validation/frozen';
import type { EventObject } from 'xstate';

/**
 * The edition of the services' rules a new case opens under. A case keeps the edition it opened
 * under, so a rule that would change what a running case does applies from its edition on
 * (the workflow chooses the edition behind a patch, so old histories replay).
 *   1: as first built;
 *   2: the rules read from the sources pathway by pathway (README: "Rules from the sources");
 *   3: a contact on temporary licence recorded before any release date is known, and only
 *      contacts in the pre-release window counted towards those before release (004); the
 *      referrer contacted to agree next steps from acceptance on receipt (003).
 */
export const RULES_VERSION = 3;

/** Does a case follow rules of `edition` or later? */
export const underRules = (context: { rules?: number }, edition: number) => (context.rules ?? 1) >= edition;

/** The guard every machine has for transitions new in edition 2. */
export const editionGuards = frozen({
  underSourceRules: ({ context }: { context: { rules?: number } }) => underRules(context, 2),
});

/**
 * A rule of a pathway about one event: when it holds, and in words why the event is refused
 * when it does not. The machine guards on it by name, and a refusal quotes it.
 */
export interface Rule<C, E extends EventObject> {
  /** The event type the rule is about. */
  on: string;
  holds(context: C, event: E): boolean;
  refusal(context: C, event: E): string;
}

type Guard<C, E> = (args: { context: C; event: E }) => boolean;

/**
 * Builds a pathway's rules (each sees its own event's fields), and from them the guards for its
 * machine's `setup`: one per rule, named for it.
 */
export function ruleOn<C, E extends EventObject>() {
  const rule = <K extends E['type']>(
    on: K,
    holds: (context: C, event: Extract<E, { type: K }>) => boolean,
    refusal: (context: C, event: Extract<E, { type: K }>) => string,
  ): Rule<C, E> => {
    const isOn = (e: E): e is Extract<E, { type: K }> => e.type === on;
    return {
      on,
      holds: (c, e) => !isOn(e) || holds(c, e),
      refusal: (c, e) => (isOn(e) ? refusal(c, e) : ''),
    };
  };
  const guards = <N extends string>(rules: Record<N, Rule<C, E>>): Record<N, Guard<C, E>> => {
    const out = {} as Record<N, Guard<C, E>>;
    for (const name of Object.keys(rules) as N[]) {
      const r = rules[name];
      out[name] = ({ context, event }) => r.holds(context, event);
    }
    return out;
  };
  return Object.assign(rule, { guards });
}

/** Why an event is refused now: the first of its rules that does not hold, in words. */
export function refusalOf<C, E extends EventObject>(
  rules: Record<string, Rule<C, E>>,
  context: C,
  event: E,
): string | undefined {
  for (const rule of Object.values(rules)) {
    if (rule.on === event.type && !rule.holds(context, event)) return rule.refusal(context, event);
  }
  return undefined;
}

/**
 * A rule about a referral as a whole, judged before any case opens: a referral that breaks one
 * is refused with the reason (a date that cannot be true, a source the pathway does not take).
 * Eligibility, by contrast, opens a case and decides on it.
 */
export interface ReferralRule<R> {
  holds(referral: R): boolean;
  refusal(referral: R): string;
}

/** Every reason a referral is refused, in words; empty when it may open a case. */
export function referralRefusals<R>(rules: Record<string, ReferralRule<R>>, referral: R): string[] {
  return Object.values(rules)
    .filter((r) => !r.holds(referral))
    .map((r) => r.refusal(referral));
}

/**
 * A rule about a referral judged against the instant its case would open (`now`, by the
 * service's clock), such as when it was received. Like every referral rule it is judged once,
 * before the case opens, and never again: the case itself never knows "now" but as its events'
 * times, so a replayed history is never judged against a later clock.
 */
export interface OpeningRule<R> {
  holds(referral: R, now: string): boolean;
  refusal(referral: R, now: string): string;
}

/** Every reason a referral cannot open a case at `now`, in words; empty when it may. */
export function openingRefusals<R>(
  rules: Record<string, OpeningRule<R>>,
  referral: R,
  now: string,
): string[] {
  return Object.values(rules)
    .filter((r) => !r.holds(referral, now))
    .map((r) => r.refusal(referral, now));
}
