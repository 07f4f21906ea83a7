import { createTransport, type Transporter } from 'nodemailer';
import type { Notifier, OutboundMessage, OutboxNotifier } from './notifier';

export interface SmtpOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:port`. */
  url: string;
  from: string;
  /** Staff and team addresses are `<id>@<domain>`. */
  staffDomain: string;
}

/** The e-mail address for a message's address, or nothing when it cannot go by e-mail. */
export function emailFor(address: string, staffDomain: string): string | undefined {
  const [kind, ...rest] = address.split(':');
  const value = rest.join(':');
  switch (kind) {
    case 'email':
      return value;
    case 'worker':
    case 'team':
      return `${value}@${staffDomain}`;
    case 'supervisor':
      return `${value}-supervisors@${staffDomain}`;
    default:
      return undefined;
  }
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
    private readonly outbox: OutboxNotifier,
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
        headers: { 'X-Case-Id': message.caseId },
      });
    }
    await this.outbox.send(message);
  }

  close(): void {
    this.transport.close();
  }
}
