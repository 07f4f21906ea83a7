import type { Migration, MigrationProvider } from 'kysely';
import { accessLog } from './001_accessLog';

/**
 * Every migration, in order, listed here rather than found on disk so a bundle carries them.
 * Names sort in the order they run; a migration once released is never edited, only followed.
 */
const MIGRATIONS: Record<string, Migration> = {
  '001_access_log': accessLog,
};

export const migrations: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
