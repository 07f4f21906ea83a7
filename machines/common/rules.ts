/**
 * Preconditions of an event, by event type: each returns why the event is refused now, or
 * nothing. The machine guards on them and the workflow quotes them, so the rule and its
 * explanation are one piece of code.
 */
export type Rules<C, E extends { type: string }> = {
  [K in E['type']]?: (context: C, event: Extract<E, { type: K }>) => string | undefined;
};

export function refusalFrom<C, E extends { type: string }>(
  rules: Rules<C, E>,
  context: C,
  event: E,
): string | undefined {
  const rule = rules[event.type as E['type']] as ((c: C, e: E) => string | undefined) | undefined;
  return rule?.(context, event);
}
