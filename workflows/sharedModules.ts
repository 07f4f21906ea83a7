// Loaded once per worker and shared by every cached case (`preloadModules`), instead of once per
// case. The SDK deep-freezes what it preloads, so only libraries that keep no state in their
// exports are preloaded: luxon and xstate. zod writes to its schemas lazily and cannot be frozen.
export * as luxon from 'luxon';
export * as xstate from 'xstate';

const loaded = new Map<string, unknown>();

/**
 * The case logic (zod schemas, machines, rules) is loaded by the first case a worker runs and then
 * shared, unfrozen, by every case after it: `workflows/logic.ts` says what may live there.
 * The map sits in this module's closure, which the SDK's freeze does not reach.
 */
export function loadOnce<T>(name: string, load: () => T): T {
  if (!loaded.has(name)) loaded.set(name, load());
  return loaded.get(name) as T;
}
