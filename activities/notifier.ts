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

/** Where every message is kept, for supervisors to read (store/outbox.ts); also a Notifier. */
export interface Outbox extends Notifier {
  has(id: string): Promise<boolean>;
  list(filter?: { caseId?: string }): Promise<OutboundMessage[]>;
}
