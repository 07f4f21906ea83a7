import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Recipient } from '../machines/common/case';
import type { Recipients } from './types';

export interface OutboundMessage {
  /** The effect id: sending the same id twice delivers once. */
  id: string;
  /** The case it is about; none for agendas and digests, which list cases. */
  caseId?: string;
  kind: 'notification' | 'signposting' | 'handover' | 'agenda' | 'digest';
  to: Recipient | 'receivingService' | 'person';
  address: string;
  subject: string;
  detail?: string;
  createdAt: string;
}

/** The one way messages leave the service. */
export interface Notifier {
  send(message: OutboundMessage): Promise<void>;
}

/** Where a message for a recipient role goes. */
export function addressFor(to: Recipient, r: Recipients): string {
  switch (to) {
    case 'namedWorker':
      return r.namedWorker ? `worker:${r.namedWorker}` : `team:${r.team}`;
    case 'supervisor':
      return `supervisor:${r.team}`;
    case 'team':
      return `team:${r.team}`;
    case 'referrer':
      return r.referrer ? `${r.referrer.route}:${r.referrer.value}` : `team:${r.team}`;
  }
}

/** The default adapter: one file per message in an outbox folder that supervisors can read. */
export class OutboxNotifier implements Notifier {
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id.replace(/[^\w.-]/g, '_')}.json`);
  }

  async send(message: OutboundMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    try {
      await writeFile(this.file(message.id), JSON.stringify(message, null, 2), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }

  has(id: string): Promise<boolean> {
    return access(this.file(id)).then(
      () => true,
      () => false,
    );
  }

  async list(filter: { caseId?: string } = {}): Promise<OutboundMessage[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const all = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map(async (n) => JSON.parse(await readFile(join(this.dir, n), 'utf8')) as OutboundMessage),
    );
    return all
      .filter((m) => !filter.caseId || m.caseId === filter.caseId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}
