import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Caller } from './caller';
import { Unauthenticated } from './unauthenticated';

/**
 * What has been ended before its time: signed-out sessions' tokens. Every API process checks
 * it on every request, so it lives where they all can read it. A later store (PostgreSQL)
 * replaces the folder behind this interface.
 */
export interface RevocationList {
  /** Ends `id` now; `until` (seconds since 1970) is when it would have expired anyway. */
  revoke(id: string, until: number): Promise<void>;
  isRevoked(id: string): Promise<boolean>;
}

const nameOf = (id: string) => createHash('sha256').update(id).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

/**
 * One file per revoked id in a folder the API processes share (the data folder's
 * `revoked/`), named by the id's SHA-256, so no token is written down. An entry is kept until
 * what it revoked has expired.
 */
export class FileRevocationList implements RevocationList {
  private lastSweep = 0;

  constructor(private readonly dir: string) {}

  async revoke(id: string, until: number): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, nameOf(id));
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, String(Math.ceil(until)), { mode: 0o600 });
    await rename(temp, file);
    if (now() - this.lastSweep > 3600) await this.sweep();
  }

  async isRevoked(id: string): Promise<boolean> {
    try {
      await readFile(join(this.dir, nameOf(id)));
      return true;
    } catch (err) {
      // Absent: not revoked. Anything else (unreadable folder) is a failure, not a yes.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Drops entries for what has expired since, so the folder does not grow for ever. */
  private async sweep(): Promise<void> {
    this.lastSweep = now();
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const file = join(this.dir, name);
      const until = Number(await readFile(file, 'utf8').catch(() => 'NaN'));
      if (until < now() - 300) await unlink(file).catch(() => undefined);
    }
  }
}

/** The list's id for a token: its hash, so the token itself is never stored. */
export const tokenId = (token: string) => `token:${createHash('sha256').update(token).digest('base64url')}`;

/**
 * A verifier that first refuses tokens revoked by this service (a workspace sign-out), as kept
 * in the list every API process shares: a provider whose tokens cannot be asked about (JWTs
 * checked on the spot) still loses a signed-out session's token here.
 */
export function refusingRevoked(
  verify: (token: string) => Promise<Caller>,
  revoked: RevocationList,
): (token: string) => Promise<Caller> {
  return async (token) => {
    if (await revoked.isRevoked(tokenId(token))) throw new Unauthenticated('the token has been revoked');
    return verify(token);
  };
}
