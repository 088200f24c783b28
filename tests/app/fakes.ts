// Fakes for the use-case tests: a web page to fetch and a mailer that records what it sent.
import type { FetchOutcome, FetchRequest, Mailer, OutgoingEmail, PolicyFetcher, PolicyRecord } from '../../functions/core/ports.ts';
import { sha256Hex } from '../../functions/core/text.ts';

/** Serves one HTML page with an ETag and honours If-None-Match, like a well-behaved site. */
export class FakePage implements PolicyFetcher {
  html: string;
  /** Thrown by the next fetch instead of answering. */
  failWith: Error | undefined;
  readonly requests: FetchRequest[] = [];

  constructor(html: string) {
    this.html = html;
  }

  async fetch(request: FetchRequest): Promise<FetchOutcome> {
    this.requests.push(request);
    if (this.failWith) {
      const error = this.failWith;
      this.failWith = undefined;
      throw error;
    }
    const etag = `"${sha256Hex(this.html).slice(0, 16)}"`;
    if (request.etag === etag) return { status: 'not-modified' };
    const body = new TextEncoder().encode(this.html);
    return { status: 'ok', url: request.url, body, text: this.html, contentType: 'text/html; charset=utf-8', etag };
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  /** Recipients whose next send throws (once each). */
  readonly failNextFor = new Set<string>();

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (this.failNextFor.delete(email.to)) throw new Error(`SES throttled the send to ${email.to}`);
    this.sent.push(email);
    return { messageId: `message-${this.sent.length}` };
  }
}

/** A policy page with enough sections to pass the validity checks; `retention` is the retention sentence. */
export function policyPage(options: { retention?: string; contactEmail?: string; extra?: string } = {}): string {
  const retention = options.retention ?? 'We keep your personal data for 30 days after you close your account.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Privacy Policy</title></head>
<body><nav>Home · Products · Blog</nav>
<main>
<h1>Acme Privacy Policy</h1>
<p>Last updated: March 1, 2024</p>
<p>This policy explains how Acme collects, uses and shares personal data when you use the Acme app and website.</p>
<h2>Information we collect</h2>
<p>We collect your name, email address and payment details when you create an account or buy a subscription.</p>
<p>We also collect device identifiers and usage data when you open the app.</p>
<h2>How we use your information</h2>
<p>We use personal data to provide the service, to process payments and to answer support requests.</p>
<h2>Sharing with third parties</h2>
<p>We share payment details with our payment processor only to complete your purchases. We do not sell personal data.</p>
<h2>Data retention</h2>
<p>${retention}</p>
<h2>Children</h2>
<p>The service is not directed to children under 13, and we do not knowingly collect their personal data.</p>
<h2>Your rights</h2>
<p>You may ask us for a copy of your personal data, or ask us to correct or delete it, at any time.</p>
${options.extra ?? ''}
<h2>Contact us</h2>
<p>Write to ${options.contactEmail ?? 'privacy@acme.example'} with any question about this policy.</p>
</main>
<footer>© Acme</footer>
</body></html>
`;
}

/** The tracked policy the check use-case tests fetch: an HTML page, nothing failing yet. */
export const CHECKED_POLICY: PolicyRecord = {
  policyId: 'acme-privacy',
  name: 'Acme Privacy Policy',
  url: 'https://acme.example/privacy',
  format: 'html',
  intervalHours: 12,
  createdAt: '2024-01-01T00:00:00.000Z',
  consecutiveFailures: 0,
  status: 'ok',
};
