/** A value and everything in it read-only, for the compiler as `frozen` makes it at run time. */
export type Frozen<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/** Plain data: an array, or an object made by a literal (or with no prototype). */
export function isPlainData(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const isObject = (value: unknown): value is object =>
  typeof value === 'function' || (typeof value === 'object' && value !== null);

function freeze(value: unknown, seen: WeakSet<object>, prototype = false): void {
  if (!isObject(value) || !(typeof value === 'function' || prototype || isPlainData(value))) return;
  if (seen.has(value)) return;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const property = Object.getOwnPropertyDescriptor(value, key);
    // Getters are not called: on a class's prototype they would read an instance's fields.
    if (property && 'value' in property) {
      freeze(property.value, seen, typeof value === 'function' && key === 'prototype');
    }
  }
  Object.freeze(value);
}

/**
 * Deep-freezes plain data and functions: arrays, object literals, functions and a class's
 * prototype, and whatever of those they hold. Anything else (a zod schema, which defines its
 * members lazily; an XState machine; a Map) is left as it is, so must not be handed out.
 */
export function frozen<T>(value: T): Frozen<T> {
  freeze(value, new WeakSet());
  return value as Frozen<T>;
}
