/**
 * Sends mail through SES v2 `SendEmail` with Simple content: HTML and text bodies plus custom
 * headers (List-Unsubscribe, List-Unsubscribe-Post), which SES v1 only allows in raw MIME.
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../core/ports.ts';

export interface SesMailerOptions {
  /** @default a client configured from the environment (AWS_REGION, AWS_ENDPOINT_URL_SESV2, …) */
  client?: SESv2Client;
  /** Sender, e.g. `Policy Monitor <alerts@example.org>`; must be an SES-verified identity. */
  from: string;
  /** SES configuration set for delivery events (bounces, complaints). */
  configurationSetName?: string;
}

/** An email that would be unsafe to send as given: a value that could inject headers. */
export class UnsafeEmailError extends Error {
  override readonly name = 'UnsafeEmailError';

  constructor(reason: string) {
    super(`Email rejected: ${reason}`);
  }
}

// CR or LF would end a header line and start another (header injection); NUL truncates in some MTAs.
const LINE_BREAK_OR_NUL = /[\r\n\0]/;
// RFC 5322 field names: printable ASCII except the colon.
const HEADER_NAME = /^[!-9;-~]+$/;

export class SesMailer implements Mailer {
  readonly #client: SESv2Client;
  readonly #from: string;
  readonly #configurationSetName: string | undefined;

  constructor(options: SesMailerOptions) {
    rejectLineBreaks('from address', options.from);
    this.#client = options.client ?? new SESv2Client({});
    this.#from = options.from;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    checkEmail(email);
    const headers = Object.entries(email.headers ?? {}).map(([Name, Value]) => ({ Name, Value }));
    const response = await this.#client.send(
      new SendEmailCommand({
        FromEmailAddress: this.#from,
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: this.#configurationSetName,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
            Headers: headers.length > 0 ? headers : undefined,
          },
        },
      }),
    );
    if (!response.MessageId) throw new Error(`SES accepted the email to ${email.to} but returned no MessageId`);
    return { messageId: response.MessageId };
  }
}

function checkEmail(email: OutgoingEmail): void {
  rejectLineBreaks('recipient', email.to);
  // One recipient per email: a list here would disclose subscribers to each other.
  if (!/^[^\s@,;<>]+@[^\s@,;<>]+$/.test(email.to)) {
    throw new UnsafeEmailError(`recipient ${JSON.stringify(email.to)} is not a single email address`);
  }
  rejectLineBreaks('subject', email.subject);
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new UnsafeEmailError(`header name ${JSON.stringify(name)} is not a valid field name`);
    rejectLineBreaks(`header ${name}`, value);
  }
}

function rejectLineBreaks(field: string, value: string): void {
  if (LINE_BREAK_OR_NUL.test(value)) {
    throw new UnsafeEmailError(`${field} contains a line break or NUL (header injection): ${JSON.stringify(value)}`);
  }
}
