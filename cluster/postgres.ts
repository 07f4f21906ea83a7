import { randomBytes } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from './process';

export interface PostgresOptions {
  /** Debian's server binaries, e.g. /usr/lib/postgresql/15/bin. */
  bin: string;
  /** The cluster's data folder; PostgreSQL's own files go in `postgres/` inside it. */
  dir: string;
  port: number;
  logDir: string;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` account Debian creates. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A generated password kept in a file only its owner may read, made on first use. */
export function readOrCreatePassword(file: string): string {
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * A PostgreSQL server for the cluster, on loopback only, with password (SCRAM) authentication.
 * The first start creates it; later starts reuse it.
 */
export class LocalPostgres {
  readonly user = 'temporal';
  readonly password: string;
  private readonly process: ManagedProcess;
  private readonly pgdata: string;

  constructor(private readonly o: PostgresOptions) {
    this.pgdata = join(o.dir, 'postgres');
    const account = serverAccount();
    this.password = readOrCreatePassword(join(o.dir, 'postgres-password'));
    // The folders above stay closed to everyone but their owner; the server's account may pass through.
    if (account) for (const d of [join(o.dir, '..'), o.dir]) chmodSync(d, 0o711);
    if (!existsSync(join(this.pgdata, 'PG_VERSION'))) this.init(account);
    this.process = new ManagedProcess(
      'postgresql',
      join(o.bin, 'postgres'),
      ['-D', this.pgdata, '-p', String(o.port), '-c', 'listen_addresses=127.0.0.1', '-k', this.pgdata],
      { logFile: join(o.logDir, 'postgresql.log'), ...(account ?? {}) },
    );
  }

  private init(account: { uid: number; gid: number } | undefined): void {
    rmSync(this.pgdata, { recursive: true, force: true });
    mkdirSync(this.pgdata, { mode: 0o700 });
    const pwfile = join(this.o.dir, '.postgres-password-init');
    writeFileSync(pwfile, this.password, { mode: 0o600 });
    if (account) {
      chownSync(this.pgdata, account.uid, account.gid);
      chownSync(pwfile, account.uid, account.gid);
    }
    execFileSync(
      join(this.o.bin, 'initdb'),
      [
        '-D',
        this.pgdata,
        '--username',
        this.user,
        '--pwfile',
        pwfile,
        '--auth',
        'scram-sha-256',
        '--encoding',
        'UTF8',
        '--locale',
        'C',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(account ?? {}) },
    );
    rmSync(pwfile);
  }

  /** Debian's server binaries (psql, pg_dump and pg_restore among them). */
  get bin(): string {
    return this.o.bin;
  }

  get port(): number {
    return this.o.port;
  }

  get running(): boolean {
    return this.process.running;
  }

  start(): Promise<void> {
    const ready = () =>
      new Promise<void>((resolve, reject) =>
        execFile(
          join(this.o.bin, 'pg_isready'),
          ['-q', '-h', '127.0.0.1', '-p', String(this.o.port)],
          (err) => (err ? reject(new Error(`PostgreSQL not ready: ${err.message}`)) : resolve()),
        ),
      );
    return this.process.start({ check: ready, timeoutMs: 60_000 });
  }

  /** Fast shutdown: open transactions roll back, nothing committed is lost. */
  stop(): Promise<void> {
    return this.process.stop('SIGINT');
  }
}
