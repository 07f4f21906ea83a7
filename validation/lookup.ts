/**
 * A table's entry for a key that may come from a caller. Only the table's own entries count:
 * `constructor`, `toString`, `__proto__` and the rest of the object prototype are not entries,
 * so they read as missing instead of as a function.
 */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Is `key` one of the table's own entries (never one the object prototype lends it)? */
export function isOwnKey<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(table, key);
}
