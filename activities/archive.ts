import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { PathwayId } from '../machines/common/case';
import type { Actor } from '../machines/common/envelope';
import { decrypt, encrypt } from '../security/codec';
import type { KeyRing } from '../security/keys';

/** Years a closed case's record is kept after closure (timescales.md), per pathway; configurable. */
export const RETENTION_YEARS: Record<PathwayId, number> = {
  parentInfant: 20, // NHS mental health records: 20 years after treatment ends
  frontDoor: 35, // local schedule for child protection records
  reconnect: 20,
  enhancedReconnect: 20,
};

export interface ArchiveEntry {
  caseId: string;
  pathway: PathwayId;
  closedAt: string;
  retainUntil: string;
  keyId: string;
}

/**
 * Closed cases outlive the workflow history: each record is kept encrypted with its retention
 * date, and every read is logged.
 */
export class FileArchive {
  constructor(
    private readonly dir: string,
    private readonly ring: KeyRing,
  ) {}

  private path(caseId: string, ext: string): string {
    return join(this.dir, `${caseId.replace(/[^\w.-]/g, '_')}.${ext}`);
  }

  async put(caseId: string, pathway: PathwayId, closedAt: string, record: unknown): Promise<ArchiveEntry> {
    await mkdir(this.dir, { recursive: true });
    const entry: ArchiveEntry = {
      caseId,
      pathway,
      closedAt,
      retainUntil: DateTime.fromISO(closedAt)
        .plus({ years: RETENTION_YEARS[pathway] })
        .toUTC()
        .toISO() as string,
      keyId: this.ring.current,
    };
    const sealed = encrypt(Buffer.from(JSON.stringify(record)), this.ring.keys.get(this.ring.current)!);
    // Same case, same content: rewriting is harmless, so retries are safe.
    await writeFile(this.path(caseId, 'record.enc'), sealed, { mode: 0o600 });
    await writeFile(this.path(caseId, 'entry.json'), JSON.stringify(entry, null, 2), { mode: 0o600 });
    return entry;
  }

  async read(caseId: string, who: Actor, why: string): Promise<{ entry: ArchiveEntry; record: unknown }> {
    const entry = JSON.parse(await readFile(this.path(caseId, 'entry.json'), 'utf8')) as ArchiveEntry;
    const key = this.ring.keys.get(entry.keyId);
    if (!key) throw new Error(`archive key ${entry.keyId} is not in the key ring`);
    await appendFile(
      join(this.dir, 'access.log'),
      JSON.stringify({ at: new Date().toISOString(), caseId, who, why }) + '\n',
      { mode: 0o600 },
    );
    const record = JSON.parse(
      Buffer.from(decrypt(await readFile(this.path(caseId, 'record.enc')), key)).toString('utf8'),
    ) as unknown;
    return { entry, record };
  }

  /**
   * Deletes every record whose retention date is at or before `at`. The purge log keeps the
   * case id, pathway and dates only: what was deleted and when, never what it said.
   */
  async purge(at: string): Promise<{ purged: string[] }> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const purged: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.entry.json')).sort()) {
      const entry = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as ArchiveEntry;
      if (Date.parse(entry.retainUntil) > Date.parse(at)) continue;
      await rm(this.path(entry.caseId, 'record.enc'), { force: true });
      await appendFile(
        join(this.dir, 'purge.log'),
        JSON.stringify({
          at: new Date().toISOString(),
          scheduledAt: at,
          caseId: entry.caseId,
          pathway: entry.pathway,
          retainUntil: entry.retainUntil,
        }) + '\n',
        { mode: 0o600 },
      );
      // The entry goes last, so a purge interrupted midway is finished by the next run.
      await rm(join(this.dir, name), { force: true });
      purged.push(entry.caseId);
    }
    return { purged };
  }
}
