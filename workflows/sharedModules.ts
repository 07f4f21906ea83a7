// Loaded once per worker and shared by every cached case (`preloadModules`), instead of once per
// case. The SDK freezes what is shared, so only libraries that keep no state in their exports
// belong here; zod does (its global config, regexes and lazy properties), so each case loads it.
export * as luxon from 'luxon';
export * as xstate from 'xstate';
