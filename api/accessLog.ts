import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Actor } from '../machines/common/envelope';

/** Every read of a case's personal data: who, when, which case, and why (append-only file). */
export class AccessLog {
  constructor(private readonly file: string) {}

  async record(entry: { caseId: string; who: Actor; why?: string }): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, JSON.stringify({ at: new Date().toISOString(), ...entry }) + '\n', {
      mode: 0o600,
    });
  }
}
