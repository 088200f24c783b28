import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '../../functions/core/ports.ts';
import { SesMailer, UnsafeEmailError } from '../../functions/adapters/ses-mailer.ts';
import { startEmulators, type Emulators } from '../../scripts/local/emulators.ts';

/** An email as aws-ses-v2-local keeps it (GET /store). */
interface CapturedEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  replyTo: string[];
  attachments: unknown[];
  /** Epoch seconds. */
  at: number;
}

let emulators: Emulators;
let mailer: SesMailer;

beforeAll(async () => {
  emulators = await startEmulators();
  mailer = new SesMailer({ client: emulators.clients.sesv2, from: 'Policy Monitor <alerts@policy-monitor.test>' });
});

afterAll(async () => {
  await emulators?.stop();
});

async function capturedEmails(): Promise<CapturedEmail[]> {
  const response = await fetch(emulators.ses.storeUrl);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: 'reader@example.org',
    subject: 'IMVU Privacy Notice: retention changed (30 days → 1 year)',
    html: '<p>We keep logs for <del>30 days</del> <ins>1 year</ins>.</p>',
    text: 'We keep logs for [-30 days-] {+1 year+}.',
    headers: {
      'List-Unsubscribe': '<https://monitor.example.org/unsubscribe?token=abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...overrides,
  };
}

describe('SesMailer on aws-ses-v2-local', () => {
  it('sends one email with both bodies and the unsubscribe headers', async () => {
    // Prepare
    const before = (await capturedEmails()).length;
    // Act
    const { messageId } = await mailer.send(email());
    // Assess
    const emails = await capturedEmails();
    expect(emails).toHaveLength(before + 1);
    const sent = emails.find((captured) => captured.messageId === messageId);
    expect(sent).toEqual({
      messageId,
      from: 'Policy Monitor <alerts@policy-monitor.test>',
      destination: { to: ['reader@example.org'], cc: [], bcc: [] },
      subject: 'IMVU Privacy Notice: retention changed (30 days → 1 year)',
      body: { html: '<p>We keep logs for <del>30 days</del> <ins>1 year</ins>.</p>', text: 'We keep logs for [-30 days-] {+1 year+}.' },
      headers: [
        { name: 'List-Unsubscribe', value: '<https://monitor.example.org/unsubscribe?token=abc>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
      replyTo: [],
      attachments: [],
      at: expect.any(Number),
    });
  });

  it.each([
    ['a line break in the subject', { subject: 'Changed\r\nBcc: victim@example.org' }, 'subject contains a line break'],
    ['a line feed in the recipient', { to: 'reader@example.org\nBcc: victim@example.org' }, 'recipient contains a line break'],
    ['a line break in a header value', { headers: { 'List-Unsubscribe': '<https://x.test>\r\nBcc: victim@example.org' } }, 'header List-Unsubscribe contains a line break'],
    ['a colon in a header name', { headers: { 'Bcc: victim@example.org\r\nX': 'y' } }, 'is not a valid field name'],
    ['two recipients', { to: 'reader@example.org, other@example.org' }, 'is not a single email address'],
  ] as const)('rejects %s and sends nothing', async (_case, overrides, message) => {
    // Prepare
    const before = (await capturedEmails()).length;
    // Act
    const send = mailer.send(email(overrides));
    // Assess
    await expect(send).rejects.toThrow(UnsafeEmailError);
    await expect(send).rejects.toThrow(message);
    expect(await capturedEmails()).toHaveLength(before);
  });

  it('rejects a from address with a line break when created', () => {
    // Prepare
    const from = 'alerts@policy-monitor.test\r\nBcc: victim@example.org';
    // Act
    const create = () => new SesMailer({ client: emulators.clients.sesv2, from });
    // Assess
    expect(create).toThrow(UnsafeEmailError);
  });
});
