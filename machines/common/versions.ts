import type { StateValue } from 'xstate';

/** A machine snapshot as a case carries it between runs (continue-as-new, archive): plain data. */
export interface PersistedSnapshot {
  value: StateValue;
  context: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Moves a snapshot saved by one version of a pathway's machine to the next. A pathway's
 * `migrations[k]` takes version k + 1 to k + 2, so its current version is their count plus one.
 * A machine change that alters what an old snapshot means adds a migration here, instead of
 * keeping the old meaning alive behind a patch.
 */
export type SnapshotMigration = (snapshot: PersistedSnapshot) => PersistedSnapshot;

export const versionOf = (migrations: readonly SnapshotMigration[]) => migrations.length + 1;

export function isPersistedSnapshot(v: unknown): v is PersistedSnapshot {
  return (
    typeof v === 'object' &&
    v !== null &&
    'value' in v &&
    'context' in v &&
    typeof v.context === 'object' &&
    v.context !== null
  );
}

/** Runs the migrations from the snapshot's version to the current one, in order. */
export function migrateSnapshot(
  snapshot: PersistedSnapshot,
  migrations: readonly SnapshotMigration[],
  fromVersion: number,
): PersistedSnapshot {
  if (!Number.isInteger(fromVersion) || fromVersion < 1 || fromVersion > versionOf(migrations)) {
    throw new RangeError(`no migration path from machine version ${fromVersion} to ${versionOf(migrations)}`);
  }
  return migrations.slice(fromVersion - 1).reduce((s, migrate) => migrate(s), snapshot);
}
