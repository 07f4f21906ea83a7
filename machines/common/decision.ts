/** A rule's answer with its reasons, so a refusal can tell the referrer why. */
export interface Decision {
  outcome: 'eligible' | 'ineligible' | 'teamDecision';
  /** Criteria met, in words. */
  met: string[];
  /** Criteria not met, in words: the reasons given to the referrer. */
  unmet: string[];
}

/** [holds, what it means when it holds, what it means when it does not]. */
export type Criterion = readonly [holds: boolean, met: string, unmet: string];

/** All criteria must hold. */
export function decide(criteria: readonly Criterion[]): Decision {
  const met = criteria.filter(([holds, m]) => holds && m).map(([, m]) => m);
  const unmet = criteria.filter(([holds]) => !holds).map(([, , u]) => u);
  return { outcome: unmet.length === 0 ? 'eligible' : 'ineligible', met, unmet };
}
