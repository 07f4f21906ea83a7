import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseFacts } from './facts';

/** Where report facts are kept: one current document per case, newest sequence wins. */
export interface FactStore {
  put(facts: CaseFacts): Promise<void>;
  all(): Promise<CaseFacts[]>;
  /** When open cases were last brought up to date. */
  noteRefresh(at: string): Promise<void>;
  lastRefresh(): Promise<string | undefined>;
}

/**
 * Facts as one JSON file per case in the data folder. They hold no personal data, so they are
 * kept after a case's record is purged: years of closed cases stay countable.
 */
export class FileFactStore implements FactStore {
  constructor(private readonly dir: string) {}

  private file(caseId: string): string {
    return join(this.dir, `${caseId.replace(/[^\w.-]/g, '_')}.json`);
  }

  async put(facts: CaseFacts): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const current = await readFile(this.file(facts.caseId), 'utf8').then(
      (text) => JSON.parse(text) as CaseFacts,
      () => undefined,
    );
    // A retry or a replayed write of an older sequence never overwrites a newer one.
    if (current && current.seq > facts.seq) return;
    const tmp = `${this.file(facts.caseId)}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(facts), { mode: 0o600 });
    await rename(tmp, this.file(facts.caseId));
  }

  async noteRefresh(at: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, 'refreshed-at.txt'), at, { mode: 0o600 });
  }

  lastRefresh(): Promise<string | undefined> {
    return readFile(join(this.dir, 'refreshed-at.txt'), 'utf8').then(
      (t) => t.trim(),
      () => undefined,
    );
  }

  async all(): Promise<CaseFacts[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const docs = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map((n) => readFile(join(this.dir, n), 'utf8').then((t) => JSON.parse(t) as CaseFacts)),
    );
    return docs.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.caseId.localeCompare(b.caseId));
  }
}
