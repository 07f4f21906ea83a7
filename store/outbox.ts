import type { OutboundMessage, Outbox } from '../activities/notifier';
import type { KeyRing } from '../security/keys';
import { seal, unseal } from './sealed';
import type { Store } from './store';

const binding = (id: string) => `outbox_message\u0000${id}`;

/**
 * The default way messages leave the service: each kept in the record store, sealed (addresses
 * and subjects can be personal), for supervisors to read. Sending the same id twice keeps one.
 */
export class StoreOutbox implements Outbox {
  constructor(
    private readonly db: Store,
    private readonly ring: KeyRing,
  ) {}

  async send(message: OutboundMessage): Promise<void> {
    const { keyId, sealed } = seal(this.ring, message, binding(message.id));
    await this.db
      .insertInto('outbox_message')
      .values({
        id: message.id,
        case_id: message.caseId ?? null,
        kind: message.kind,
        created_at: new Date(message.createdAt),
        key_id: keyId,
        message: sealed,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async has(id: string): Promise<boolean> {
    return !!(await this.db
      .selectFrom('outbox_message')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst());
  }

  async list(filter: { caseId?: string } = {}): Promise<OutboundMessage[]> {
    let q = this.db.selectFrom('outbox_message').select(['id', 'key_id', 'message']);
    if (filter.caseId) q = q.where('case_id', '=', filter.caseId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => unseal<OutboundMessage>(this.ring, r.key_id, r.message, binding(r.id)));
  }
}
