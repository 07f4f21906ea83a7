import type { Migration, MigrationProvider } from 'kysely';
import { accessLog } from './001_accessLog';
import { records } from './002_records';
import { accessLogLists } from './003_accessLogLists';
import { oversight } from './004_oversight';

/**
 * Every migration, in order, listed here rather than found on disk so a bundle carries them.
 * Names sort in the order they run; a migration once released is never edited, only followed.
 */
const MIGRATIONS: Record<string, Migration> = {
  '001_access_log': accessLog,
  '002_records': records,
  '003_access_log_lists': accessLogLists,
  '004_oversight': oversight,
};

export const migrations: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
