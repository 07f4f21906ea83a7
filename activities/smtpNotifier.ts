import { createTransport, type Transporter } from 'nodemailer';
import type { Notifier, OutboundMessage, Outbox } from './notifier';

export interface SmtpOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:port`. */
  url: string;
  from: string;
  /** Staff and team addresses are `<id>@<domain>`. */
  staffDomain: string;
}

/** One plain address: no display names, lists, groups or comments that a mail parser would split. */
const SINGLE_ADDRESS = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$/;
const STAFF_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The e-mail address for a message's address, or nothing when it cannot go by e-mail (then it
 * waits in the outbox for staff). Never more than one recipient, whatever a value contains.
 */
export function emailFor(address: string, staffDomain: string): string | undefined {
  const [kind, ...rest] = address.split(':');
  const value = rest.join(':');
  const email = (() => {
    switch (kind) {
      case 'email':
        return value;
      case 'worker':
      case 'team':
        return STAFF_ID.test(value) ? `${value}@${staffDomain}` : undefined;
      case 'supervisor':
        return STAFF_ID.test(value) ? `${value}-supervisors@${staffDomain}` : undefined;
      default:
        return undefined;
    }
  })();
  return email && SINGLE_ADDRESS.test(email) ? email : undefined;
}

/**
 * Sends by e-mail what can go by e-mail, and records every message in the outbox, which also
 * keeps what cannot (phone contacts, other services) for staff to act on. A message whose id
 * is already in the outbox is not sent again.
 */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;

  constructor(
    private readonly o: SmtpOptions,
    private readonly outbox: Outbox,
  ) {
    this.transport = createTransport(o.url);
  }

  async send(message: OutboundMessage): Promise<void> {
    if (await this.outbox.has(message.id)) return;
    const to = emailFor(message.address, this.o.staffDomain);
    if (to) {
      await this.transport.sendMail({
        from: this.o.from,
        to,
        subject: message.subject,
        text: message.detail ?? message.subject,
        messageId: `<${message.id.replace(/[^\w.-]/g, '.')}@reconnect-cases>`,
        headers: message.caseId ? { 'X-Case-Id': message.caseId } : {},
      });
    }
    await this.outbox.send(message);
  }

  close(): void {
    this.transport.close();
  }
}
