import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AccessEntry {
  who: { id: string; roles: readonly string[] };
  /** The case (or consultation) read: every read names one, codec decodes included. */
  caseId: string;
  what: 'details' | 'timeline' | 'outbox' | 'codec-decode' | 'consultation';
  why: string;
}

/** Every read of personal data: who, when, which case, what and why (append-only, owner-only file). */
export class AccessLog {
  constructor(private readonly file: string) {}

  async record(entry: AccessEntry): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const line = {
      at: new Date().toISOString(),
      ...entry,
      who: { id: entry.who.id, roles: entry.who.roles },
    };
    await appendFile(this.file, JSON.stringify(line) + '\n', {
      mode: 0o600,
    });
  }
}
