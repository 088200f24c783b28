// The hostile-input cases: what a policy URL's server does after the baseline was taken, and
// the failure the check must record. tests/hostile/README.md lists them; fetch.test.ts runs them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { policyPage } from '../app/fakes.ts';

export type Respond = (request: IncomingMessage, response: ServerResponse, fixture: { origin: string; port: number }) => void;

export interface HostileCase {
  name: string;
  group: 'address' | 'redirect' | 'size-time' | 'http' | 'validity';
  /** What the server answers for the policy URL once the baseline is stored. */
  respond: Respond;
  /** robots.txt while the case runs (the baseline was fetched with none). */
  robots?: string;
  /** The CheckRecord.reason (and PolicyFailure.reason) expected. */
  reason: string;
  /** Whether the queue should redeliver the message (a transient failure). */
  retry: boolean;
  /** A Retry-After the policy must keep (`retryAfter`), in seconds from the check. */
  retryAfterSeconds?: number;
}

const HTML = { 'content-type': 'text/html; charset=utf-8' };

const redirectTo = (location: string | ((fixture: { origin: string; port: number }) => string)): Respond => (_request, response, fixture) => {
  response.writeHead(302, { location: typeof location === 'string' ? location : location(fixture) }).end();
};
const page = (body: string | Buffer, status = 200, headers: Record<string, string> = {}): Respond => (_request, response) => {
  response.writeHead(status, { ...HTML, ...headers }).end(body);
};
const shell = (title: string, body: string) => `<!doctype html><html lang="en"><head><title>${title}</title></head><body>${body}</body></html>`;

const GERMAN_POLICY = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Acme Datenschutzerklärung</title></head><body><main>
<h1>Acme Datenschutzerklärung</h1>
<p>Diese Erklärung beschreibt, wie Acme personenbezogene Daten erhebt, verwendet und weitergibt, wenn Sie die App und die Website nutzen.</p>
<h2>Welche Daten wir erheben</h2><p>Wir erheben Ihren Namen, Ihre E-Mail-Adresse und Ihre Zahlungsdaten, wenn Sie ein Konto anlegen oder ein Abonnement kaufen.</p>
<h2>Wie wir Ihre Daten verwenden</h2><p>Wir verwenden personenbezogene Daten, um den Dienst bereitzustellen, Zahlungen abzuwickeln und Anfragen zu beantworten.</p>
<h2>Weitergabe an Dritte</h2><p>Wir geben Zahlungsdaten nur an unseren Zahlungsdienstleister weiter. Wir verkaufen keine personenbezogenen Daten.</p>
<h2>Speicherdauer</h2><p>Wir speichern Ihre Daten für dreißig Tage, nachdem Sie Ihr Konto geschlossen haben.</p>
<h2>Kinder</h2><p>Der Dienst richtet sich nicht an Kinder unter dreizehn Jahren, und wir erheben wissentlich keine Daten von ihnen.</p>
<h2>Ihre Rechte</h2><p>Sie können jederzeit eine Kopie Ihrer Daten verlangen oder verlangen, dass wir sie berichtigen oder löschen.</p>
<h2>Kontakt</h2><p>Schreiben Sie an datenschutz@acme.example, wenn Sie Fragen zu dieser Erklärung haben.</p>
</main></body></html>`;

const HOME_PAGE = `<!doctype html><html lang="en"><head><title>Acme — Home</title></head><body><main>
<h1>Welcome to Acme</h1><p>Acme makes the best widgets for your home and office, with free delivery on every order.</p>
<h2>Our products</h2><p>Browse our range of widgets, gadgets and accessories, from the classic widget to the new smart widget.</p>
<h2>Why Acme</h2><p>Thousands of customers trust Acme for quality products and friendly support every day of the year.</p>
<h2>Latest news</h2><p>Read about our new store in Berlin and the launch of the smart widget in our blog.</p>
<h2>Customer stories</h2><p>See how families and businesses use Acme widgets to make their days easier.</p>
<h2>Support</h2><p>Our support team answers questions by chat and phone from nine to five on weekdays.</p>
<h2>Careers</h2><p>We are hiring engineers, designers and support staff in three countries.</p>
</main></body></html>`;

let volatileCounter = 0;

export const HOSTILE_CASES: HostileCase[] = [
  // Addresses: every hop is checked on the resolved IP, before a socket opens.
  { name: 'redirect to the cloud metadata service 169.254.169.254', group: 'address', respond: redirectTo('http://169.254.169.254/latest/meta-data/iam/'), reason: 'refused-address', retry: false },
  { name: 'redirect to a private address 10.0.0.1', group: 'address', respond: redirectTo('http://10.0.0.1/admin'), reason: 'refused-address', retry: false },
  { name: 'redirect to a private address 192.168.1.1', group: 'address', respond: redirectTo('http://192.168.1.1/'), reason: 'refused-address', retry: false },
  { name: 'redirect to CGNAT 100.64.0.1', group: 'address', respond: redirectTo('http://100.64.0.1/'), reason: 'refused-address', retry: false },
  { name: 'redirect to multicast 224.0.0.1', group: 'address', respond: redirectTo('http://224.0.0.1/'), reason: 'refused-address', retry: false },
  { name: 'redirect to 0.0.0.0', group: 'address', respond: redirectTo('http://0.0.0.0/'), reason: 'refused-address', retry: false },
  { name: 'redirect to IPv6 loopback [::1]', group: 'address', respond: redirectTo('http://[::1]/'), reason: 'refused-address', retry: false },
  { name: 'redirect to IPv6 ULA [fd00::1]', group: 'address', respond: redirectTo('http://[fd00::1]/'), reason: 'refused-address', retry: false },
  { name: 'redirect to IPv6 link-local [fe80::1]', group: 'address', respond: redirectTo('http://[fe80::1]/'), reason: 'refused-address', retry: false },
  { name: 'redirect to IPv4-mapped metadata [::ffff:169.254.169.254]', group: 'address', respond: redirectTo('http://[::ffff:169.254.169.254]/'), reason: 'refused-address', retry: false },
  { name: 'redirect to NAT64 loopback [64:ff9b::7f00:1]', group: 'address', respond: redirectTo('http://[64:ff9b::7f00:1]/'), reason: 'refused-address', retry: false },
  { name: 'redirect to decimal IP 2852039166 (169.254.169.254)', group: 'address', respond: redirectTo('http://2852039166/'), reason: 'refused-address', retry: false },
  { name: 'redirect to octal IP 0251.0376.0251.0376', group: 'address', respond: redirectTo('http://0251.0376.0251.0376/'), reason: 'refused-address', retry: false },
  { name: 'redirect to hex IP 0xa9.0xfe.0xa9.0xfe', group: 'address', respond: redirectTo('http://0xa9.0xfe.0xa9.0xfe/'), reason: 'refused-address', retry: false },
  { name: 'redirect to short IP 10.1 (10.0.0.1)', group: 'address', respond: redirectTo('http://10.1/'), reason: 'refused-address', retry: false },
  { name: 'redirect to localhost by name', group: 'address', respond: redirectTo(({ port }) => `http://localhost:${port}/`), reason: 'refused-address', retry: false },
  { name: 'redirect to a name resolving to loopback (DNS rebinding)', group: 'address', respond: redirectTo(({ port }) => `http://rebind.test:${port}/`), reason: 'refused-address', retry: false },
  { name: 'redirect to a name resolving to a public and a loopback address', group: 'address', respond: redirectTo(({ port }) => `http://mixed.test:${port}/`), reason: 'refused-address', retry: false },

  // Redirects: scheme and count.
  { name: 'redirect to file:///etc/passwd', group: 'redirect', respond: redirectTo('file:///etc/passwd'), reason: 'bad-scheme', retry: false },
  { name: 'redirect to gopher://', group: 'redirect', respond: redirectTo(({ port }) => `gopher://127.0.0.1:${port}/_`), reason: 'bad-scheme', retry: false },
  { name: 'redirect loop', group: 'redirect', respond: (request, response) => void response.writeHead(302, { location: `${request.url ?? '/'}?again` }).end(), reason: 'too-many-redirects', retry: false },

  // Size and time caps.
  {
    name: 'Content-Length over the size cap',
    group: 'size-time',
    respond: (_request, response) => {
      // Announces 64 MiB and sends a little; the fetcher must not wait for the rest.
      response.writeHead(200, { ...HTML, 'content-length': String(64 * 1024 * 1024) });
      response.write('<!doctype html><p>');
      response.on('error', () => {});
    },
    reason: 'too-large',
    retry: false,
  },
  {
    name: 'chunked body past the size cap',
    group: 'size-time',
    respond: (_request, response) => {
      response.writeHead(200, HTML);
      const chunk = `<p>${'x'.repeat(16 * 1024)}</p>`;
      let sent = 0;
      const write = (): void => {
        while (sent < 64 && response.write(chunk)) sent++;
        if (sent < 64) response.once('drain', write);
        else response.end();
      };
      response.on('error', () => {});
      write();
    },
    reason: 'too-large',
    retry: false,
  },
  { name: 'gzip bomb (20 MiB of spaces in ~20 KB)', group: 'size-time', respond: page(gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)), 200, { 'content-encoding': 'gzip' }), reason: 'decompression-bomb', retry: false },
  { name: 'brotli bomb', group: 'size-time', respond: page(brotliCompressSync(Buffer.alloc(20 * 1024 * 1024, 0x20)), 200, { 'content-encoding': 'br' }), reason: 'decompression-bomb', retry: false },
  {
    name: '200 nested gzip layers',
    group: 'size-time',
    respond: (_request, response) => {
      let body = Buffer.from(policyPage());
      for (let layer = 0; layer < 200; layer++) body = gzipSync(body);
      response.writeHead(200, { ...HTML, 'content-encoding': Array(200).fill('gzip').join(', ') }).end(body);
    },
    reason: 'bad-encoding',
    retry: false,
  },
  {
    name: 'header flood (2,000 headers)',
    group: 'size-time',
    respond: (_request, response) => {
      const headers: Record<string, string> = { ...HTML };
      for (let index = 0; index < 2000; index++) headers[`x-junk-${index}`] = 'y'.repeat(100);
      response.on('error', () => {});
      response.writeHead(200, headers).end(policyPage());
    },
    reason: 'too-large',
    retry: false,
  },
  { name: 'corrupt gzip body', group: 'size-time', respond: page('this is not gzip at all', 200, { 'content-encoding': 'gzip' }), reason: 'bad-encoding', retry: false },
  {
    name: 'slow drip (one byte, then silence past the idle cap)',
    group: 'size-time',
    respond: (_request, response) => {
      response.writeHead(200, HTML);
      response.write('<');
      const timer = setInterval(() => response.write('p'), 1000);
      response.on('close', () => clearInterval(timer));
    },
    reason: 'idle-timeout',
    retry: true,
  },
  { name: 'headers that never come', group: 'size-time', respond: () => {}, reason: 'idle-timeout', retry: true },
  {
    name: 'never-ending trickle inside the idle cap',
    group: 'size-time',
    respond: (_request, response) => {
      response.writeHead(200, HTML);
      const timer = setInterval(() => response.write('<p>more</p>'), 20);
      response.on('close', () => clearInterval(timer));
    },
    reason: 'timeout',
    retry: true,
  },
  {
    name: 'connection closed before Content-Length is reached',
    group: 'size-time',
    respond: (_request, response) => {
      response.writeHead(200, { ...HTML, 'content-length': '50000' });
      response.write(policyPage().slice(0, 1000));
      setTimeout(() => response.destroy(), 20);
    },
    reason: 'truncated',
    retry: true,
  },

  // HTTP status and politeness.
  { name: '404 Not Found', group: 'http', respond: page(shell('Not Found', '<h1>Not Found</h1>'), 404), reason: 'http-404', retry: false },
  // The baseline was served without validators, so a 304 answers a question nobody asked.
  { name: '304 Not Modified to an unconditional request', group: 'http', respond: (_request, response) => void response.writeHead(304).end(), reason: 'http-304', retry: false },
  { name: '500 on every attempt', group: 'http', respond: page(shell('Oops', '<h1>Oops</h1>'), 500), reason: 'http-500', retry: true },
  // The wait goes to the scheduler (policy.retryAfter); the queue must not redeliver sooner.
  { name: '503 with Retry-After: 3600', group: 'http', respond: page('busy', 503, { 'retry-after': '3600' }), reason: 'http-503', retry: false, retryAfterSeconds: 3600 },
  { name: '429 with Retry-After: 7200', group: 'http', respond: page('slow down', 429, { 'retry-after': '7200' }), reason: 'http-429', retry: false, retryAfterSeconds: 7200 },
  { name: 'robots.txt now disallows the policy', group: 'http', robots: 'User-agent: *\nDisallow: /case/', respond: page(policyPage()), reason: 'robots', retry: false },

  // Validity: a 200 that is not the policy.
  {
    name: 'Cloudflare challenge behind a 403',
    group: 'validity',
    respond: page(shell('Just a moment...', '<noscript>Enable JavaScript and cookies to continue</noscript><script>window._cf_chl_opt={}</script>'), 403),
    reason: 'bot-challenge',
    retry: true,
  },
  { name: 'cf-mitigated: challenge header', group: 'validity', respond: page(policyPage(), 403, { 'cf-mitigated': 'challenge' }), reason: 'bot-challenge', retry: true },
  {
    name: 'captcha interstitial served with 200',
    group: 'validity',
    respond: page(shell('Security check', '<h1>Security check</h1><p>Please verify you are a human to continue.</p><div class="g-recaptcha" data-sitekey="x"></div>')),
    reason: 'bot-challenge',
    retry: false,
  },
  { name: 'soft 404 served with 200', group: 'validity', respond: page(shell('Page not found | Acme', '<h1>Sorry, we can\'t find that page</h1><p>Try the home page.</p>')), reason: 'error-page', retry: false },
  { name: 'maintenance page served with 200', group: 'validity', respond: page(shell('Down for maintenance', '<h1>We are down for maintenance</h1><p>Back soon.</p>')), reason: 'error-page', retry: false },
  { name: 'empty 200', group: 'validity', respond: page(''), reason: 'empty', retry: false },
  { name: 'JavaScript shell with no text', group: 'validity', respond: page(shell('Acme', '<div id="root"></div><script src="/app.js"></script>')), reason: 'empty', retry: false },
  { name: 'a PDF instead of the page', group: 'validity', respond: page('%PDF-1.7\n%âãÏÓ\n1 0 obj', 200, { 'content-type': 'application/pdf' }), reason: 'binary', retry: false },
  { name: 'body cut inside a tag', group: 'validity', respond: page(policyPage().slice(0, policyPage().indexOf('<h2>Children')) + '<a hre'), reason: 'truncated', retry: false },
  {
    name: 'page shrunk to under 30% of the baseline sections',
    group: 'validity',
    respond: page(shell('Acme Privacy Policy', '<main><h1>Acme Privacy Policy</h1><p>We care about your privacy. Our full policy is being updated and will be back soon, with every section you know.</p></main>')),
    reason: 'shrunk',
    retry: false,
  },
  {
    name: 'the URL now redirects to the home page (another document)',
    group: 'validity',
    respond: (request, response) => {
      if (request.url?.endsWith('?home')) response.writeHead(200, HTML).end(HOME_PAGE);
      else response.writeHead(301, { location: `${request.url ?? ''}?home` }).end();
    },
    reason: 'unrelated',
    retry: false,
  },
  {
    name: 'a login wall instead of the policy',
    group: 'validity',
    respond: page(shell('Sign in | Acme', '<main><h1>Sign in</h1><p>Please sign in to your Acme account to continue.</p><form><label>Email</label><input><label>Password</label><input type=password><button>Sign in</button></form><p>Forgot your password? Reset it here.</p></main>')),
    reason: 'shrunk',
    retry: false,
  },
  { name: 'the policy in another language (German vs English baseline)', group: 'validity', respond: page(GERMAN_POLICY), reason: 'language', retry: false },
  {
    name: 'a retention period that differs on every fetch (A/B test)',
    group: 'validity',
    respond: (_request, response) => {
      volatileCounter++;
      response.writeHead(200, HTML).end(policyPage({ retention: `We keep your personal data for ${40 + volatileCounter} days after you close your account.` }));
    },
    reason: 'volatile',
    retry: false,
  },
];
