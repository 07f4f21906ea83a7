import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../test/support/service';
import type { OutboundMessage } from './notifier';
import { openRecords } from '../store/records';
import { testKeys } from '../test/support/temporal';
import { emailFor, SmtpNotifier } from './smtpNotifier';

interface Received {
  to: string[];
  body: string;
}

describe('the SMTP notifier, against a real SMTP server on loopback', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        let body = '';
        stream.on('data', (c: Buffer) => (body += c.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(resolve)));

  const message = (id: string, address: string): OutboundMessage => ({
    id,
    caseId: 'parentInfant-1',
    kind: 'notification',
    to: 'referrer',
    address,
    subject: 'Referral accepted at team meeting',
    createdAt: '2026-11-23T10:00:00.000Z',
  });

  it('e-mails the referrer and staff once per message id, and keeps every message in the outbox', async () => {
    const records = await openRecords(
      { kind: 'embedded', dir: join(mkdtempSync(join(tmpdir(), 'smtp-')), 'store') },
      testKeys(),
    );
    const outbox = records.outbox;
    const smtp = new SmtpNotifier(
      { url: `smtp://127.0.0.1:${port}`, from: 'cases@bucks.example', staffDomain: 'bucks.example' },
      outbox,
    );
    await smtp.send(message('m1', 'email:harriet.visitor@example.nhs.uk'));
    await smtp.send(message('m1', 'email:harriet.visitor@example.nhs.uk'));
    await smtp.send(message('m2', 'worker:cw-amira'));
    await smtp.send(message('m3', 'phone:01234 567890'));
    smtp.close();

    expect(received.map((r) => r.to)).toEqual([
      ['harriet.visitor@example.nhs.uk'],
      ['cw-amira@bucks.example'],
    ]);
    expect(received[0]?.body).toContain('Subject: Referral accepted at team meeting');
    expect(received[0]?.body).toMatch(/X-Case-Id: parentInfant-1/i);
    // The Message-ID comes from the effect id, so a resend after a crash can be recognised.
    expect(received[0]?.body).toMatch(/Message-ID: <m1@reconnect-cases>/i);
    expect((await outbox.list()).map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    await records.db.destroy();
  });

  it('maps addresses to e-mail where it can', () => {
    expect(emailFor('supervisor:bucks-reconnect', 'bucks.example')).toBe(
      'bucks-reconnect-supervisors@bucks.example',
    );
    expect(emailFor('service:Leeds RECONNECT', 'bucks.example')).toBeUndefined();
  });

  it('never turns a value into more than one recipient, or into an address it did not name', () => {
    expect(emailFor('email:harriet.visitor@example.nhs.uk', 'bucks.example')).toBe(
      'harriet.visitor@example.nhs.uk',
    );
    for (const address of [
      'worker:a@evil.example,x',
      'team:x,boss@evil.example',
      'email:a@b.example, c@evil.example',
      'email:"Boss" <boss@evil.example>',
      'email:a@b.example\nBcc: c@evil.example',
      'email:undisclosed-recipients:;',
      'supervisor:team;x@evil.example',
    ]) {
      expect({ address, to: emailFor(address, 'bucks.example') }).toEqual({ address, to: undefined });
    }
  });
});
