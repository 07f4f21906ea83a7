// Loaded once per worker and shared by every cached case (`preloadModules`), instead of once per
// case. The SDK deep-freezes what it preloads, so only libraries that keep no state in their
// exports are preloaded: luxon and xstate. zod writes to its schemas lazily and cannot be frozen.
export * as luxon from 'luxon';
export * as xstate from 'xstate';
import { frozen, isPlainData } from '../validation/frozen';

const loaded = new Map<string, unknown>();

/**
 * The case logic (`workflows/logic.ts`: schemas, machines, rules, `CaseRecord`), loaded by the
 * first case a worker runs and shared by every case after it. The map sits in this module's
 * closure, which the SDK's freeze does not reach.
 *
 * What may be shared: data deep-frozen where it is defined (`frozen`), so a write to it throws in
 * the case that tries it; functions and classes that keep no state, frozen here with their
 * prototypes; and zod schemas and XState machines that stay inside them, never handed to a case.
 * What may not: data a case could change, a schema or a machine a case could reach (neither can be
 * frozen: zod defines members lazily, and a machine's implementations are its behaviour), or
 * anything that keeps state that changes a result. What a case gets back from the logic is its
 * own data or frozen shared data. Loading refuses exports that break this.
 */
export function loadOnce<T extends object>(name: string, load: () => T): T {
  if (!loaded.has(name)) loaded.set(name, shareable(name, load()));
  return loaded.get(name) as T;
}

/** A module's exports, frozen; throws if one of them holds what must not be handed out. */
function shareable<T extends object>(name: string, exports: T): T {
  for (const [key, value] of Object.entries(exports)) {
    const found = notShareable(value, `${name}.${key}`, new WeakSet());
    if (found) throw new TypeError(`${found} cannot be shared by cases: not plain data or a function`);
    frozen(value);
  }
  return Object.freeze(exports);
}

/** The path of the first object in `value` that is neither plain data, a function nor a prototype. */
function notShareable(value: unknown, path: string, seen: WeakSet<object>): string | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) {
    return undefined;
  }
  seen.add(value);
  if (typeof value === 'object' && !isPlainData(value) && !path.endsWith('.prototype')) return path;
  for (const key of Reflect.ownKeys(value)) {
    const property = Object.getOwnPropertyDescriptor(value, key);
    const found =
      property && 'value' in property
        ? notShareable(property.value, `${path}.${String(key)}`, seen)
        : undefined;
    if (found) return found;
  }
  return undefined;
}
