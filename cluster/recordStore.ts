import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { readOrCreatePassword, type LocalPostgres } from './postgres';

/**
 * The record store's database and roles on the cluster's PostgreSQL, as cluster/store/setup.sql
 * makes them (the compose file's store-setup runs the same script).
 */
export const RECORD_STORE = {
  database: 'reconnect_records',
  /** Owns the database and its schema; runs the migrations (STORE_MIGRATION_URL). */
  owner: 'records_owner',
  /** What the service's processes sign in as (STORE_URL): rows only, the access log append-only. */
  service: 'records_service',
  setupScript: join(__dirname, 'store', 'setup.sql'),
} as const;

/** The record store beside Temporal's databases, with its roles' passwords in files (0600) in `dir`. */
export class RecordStoreDatabase {
  private readonly ownerPassword: string;
  private readonly servicePassword: string;

  constructor(
    private readonly postgres: LocalPostgres,
    dir: string,
  ) {
    this.ownerPassword = readOrCreatePassword(join(dir, 'store-owner-password'));
    this.servicePassword = readOrCreatePassword(join(dir, 'store-service-password'));
  }

  private urlFor(role: string, password: string): string {
    return `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${this.postgres.port}/${RECORD_STORE.database}`;
  }

  /** The service's connection (STORE_URL). */
  get url(): string {
    return this.urlFor(RECORD_STORE.service, this.servicePassword);
  }

  /** The owner's, for migrations only (STORE_MIGRATION_URL). */
  get migrationUrl(): string {
    return this.urlFor(RECORD_STORE.owner, this.ownerPassword);
  }

  /** Makes the database and roles, or brings them back to what the script says; the server is running. */
  create(): Promise<void> {
    return new Promise((resolve, reject) =>
      execFile(
        join(this.postgres.bin, 'psql'),
        [
          '-X',
          '-q',
          '-h',
          '127.0.0.1',
          '-p',
          String(this.postgres.port),
          '-U',
          this.postgres.user,
          '-d',
          'postgres',
          '-f',
          RECORD_STORE.setupScript,
        ],
        {
          env: {
            PATH: process.env.PATH,
            PGPASSWORD: this.postgres.password,
            STORE_OWNER_PASSWORD: this.ownerPassword,
            STORE_SERVICE_PASSWORD: this.servicePassword,
          },
        },
        (err, _stdout, stderr) =>
          err
            ? reject(new Error(`the record store's database could not be set up: ${stderr || err.message}`))
            : resolve(),
      ),
    );
  }
}
