import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * The development identity provider's store: its sessions, grants and tokens, one owner-only
 * file each under the data folder, so a token (opaque, asked about on every use) outlives a
 * restart of the service and a revocation is seen by every lookup. File names are the SHA-256
 * of the record's id. Fine for a handful of fictional people; not a production store.
 */
interface Stored {
  payload: AdapterPayload;
  /** Milliseconds since 1970; absent: kept until destroyed. */
  expiresAt?: number;
}

export function fileAdapterFactory(dir: string): (model: string) => Adapter {
  return (model) => new FileAdapter(join(dir, model));
}

class FileAdapter implements Adapter {
  private lastSweep = Date.now();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private file(id: string): string {
    return join(this.dir, `${createHash('sha256').update(id).digest('hex')}.json`);
  }

  private async read(file: string): Promise<AdapterPayload | undefined> {
    let stored: Stored;
    try {
      stored = JSON.parse(await readFile(file, 'utf8')) as Stored;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    if (stored.expiresAt !== undefined && stored.expiresAt <= Date.now()) {
      await unlink(file).catch(() => undefined);
      return undefined;
    }
    return stored.payload;
  }

  private async write(id: string, stored: Stored): Promise<void> {
    const file = this.file(id);
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, JSON.stringify(stored), { mode: 0o600 });
    await rename(temp, file);
  }

  /** Every live record of this model, for the lookups that are not by id. */
  private async all(): Promise<AdapterPayload[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    const found = await Promise.all(names.map((n) => this.read(join(this.dir, n))));
    return found.filter((p): p is AdapterPayload => p !== undefined);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.write(id, {
      payload,
      ...(typeof expiresIn === 'number' ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
    });
    // Reading every record drops the expired ones: now and then, so the folder does not grow.
    if (Date.now() - this.lastSweep > 3600_000) {
      this.lastSweep = Date.now();
      await this.all();
    }
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.read(this.file(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return (await this.all()).find((p) => p.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return (await this.all()).find((p) => p.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const file = this.file(id);
    const raw = JSON.parse(await readFile(file, 'utf8')) as Stored;
    raw.payload.consumed = Math.floor(Date.now() / 1000);
    await this.write(id, raw);
  }

  async destroy(id: string): Promise<void> {
    await unlink(this.file(id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    await Promise.all(
      names.map(async (name) => {
        const file = join(this.dir, name);
        const payload = await this.read(file);
        if (payload?.grantId === grantId) await unlink(file).catch(() => undefined);
      }),
    );
  }
}
