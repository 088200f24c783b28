import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertAllowedHost, isRefusedAddress, normalizeAllowHosts, refusedRange } from '../../functions/adapters/address-policy.ts';
import { FetchError, type FetchReason } from '../../functions/adapters/errors.ts';
import {
  DEFAULT_USER_AGENT,
  FETCHER_DEFAULTS,
  HttpPolicyFetcher,
  decodeBody,
  fetcherOptionsFromEnv,
  type HttpFetcherOptions,
  type ResolvedAddress,
} from '../../functions/adapters/http-fetcher.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A local fixture server: routes by path, records every request, counts TCP connections. */
let server: Server;
let origin: string;
let port: number;
const routes = new Map<string, Handler>();
const requests: { path: string; headers: IncomingMessage['headers']; at: number }[] = [];
let connections = 0;

/**
 * Tripwire: every client socket in this file passes through here. An IP literal that is not
 * loopback is stopped before a packet leaves, so a regression fails the test instead of
 * reaching 10.0.0.1 or 169.254.169.254. Names are let through only when they end in `.test`:
 * the stub resolvers below answer those with loopback addresses and nothing else.
 */
const socketTargets: string[] = [];
const originalConnect = Socket.prototype.connect;

function isSafeTarget(host: string): boolean {
  return host === '127.0.0.1' || host.endsWith('.test');
}

beforeAll(() => {
  Socket.prototype.connect = function tripwire(this: Socket, ...args: unknown[]) {
    const [first, second] = args;
    const options = (Array.isArray(first) ? first[0] : typeof first === 'object' ? first : { host: second }) as { host?: string };
    const host = options.host ?? 'localhost';
    socketTargets.push(host);
    if (!isSafeTarget(host)) {
      process.nextTick(() => this.destroy(new Error(`tripwire: this test must not connect to ${host}`)));
      return this;
    }
    return (originalConnect as (...connectArgs: unknown[]) => Socket).apply(this, args);
  } as typeof Socket.prototype.connect;
});

afterAll(() => {
  Socket.prototype.connect = originalConnect;
});

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, headers: request.headers, at: Date.now() });
    const handler = routes.get(path.split('?')[0] ?? path);
    if (handler === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    handler(request, response);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const fetchers: HttpPolicyFetcher[] = [];
afterEach(async () => {
  const unsafeTargets = socketTargets.filter((host) => !isSafeTarget(host));
  socketTargets.length = 0;
  routes.clear();
  requests.length = 0;
  connections = 0;
  server.closeAllConnections();
  await Promise.all(fetchers.splice(0).map((fetcher) => fetcher.close()));
  expect(unsafeTargets).toEqual([]);
});

/** The recorded sleeps (backoff, Retry-After) of the last fetcher made; tests never really wait for them. */
let sleeps: number[] = [];

function makeFetcher(options: HttpFetcherOptions = {}): HttpPolicyFetcher {
  sleeps = [];
  const fetcher = new HttpPolicyFetcher({
    allowHosts: ['127.0.0.1'],
    perHostDelayMs: 0,
    retryBaseDelayMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  fetchers.push(fetcher);
  return fetcher;
}

async function failure(promise: Promise<unknown>, reason: FetchReason): Promise<FetchError> {
  const error = await promise.then(
    () => new Error('expected the fetch to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FetchError);
  const fetchError = error as FetchError;
  expect(fetchError.name).toBe('FetchError');
  expect(fetchError.message).toMatch(new RegExp(`^Fetch failed: ${reason}: `));
  expect(fetchError.reason).toBe(reason);
  return fetchError;
}

function hits(path: string): number {
  return requests.filter((request) => request.path === path).length;
}

const POLICY_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Privacy Policy | Acme</title></head>
<body><main><h1>Privacy Policy</h1>
<h2>1. Information we collect</h2><p>We collect the information you give us when you create an account, such as your name and email address, and information about how you use the service.</p>
<h2>2. How we use information</h2><p>We use it to provide and improve the service, to keep it secure, and to tell you about changes.</p>
<h2>3. Sharing</h2><p>We share information with service providers who process it on our behalf, under contracts that protect it.</p>
</main></body></html>`;

function html(body: string, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  };
}

function redirect(to: string, status = 302): Handler {
  return (_request, response) => {
    response.writeHead(status, { location: to }).end();
  };
}

describe('HttpPolicyFetcher on a local fixture server (allowHosts 127.0.0.1)', () => {
  it('fetches a page and turns a repeat with its validators into not-modified', async () => {
    // Prepare
    routes.set('/policy', (request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"v1"', 'last-modified': 'Tue, 01 Oct 2024 10:00:00 GMT' }).end(POLICY_HTML);
    });
    const fetcher = makeFetcher();

    // Act
    const first = await fetcher.fetch({ url: `${origin}/policy` });
    const second = await fetcher.fetch({ url: `${origin}/policy`, etag: '"v1"', lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT' });

    // Assess
    expect(first).toMatchObject({ status: 'ok', url: `${origin}/policy`, contentType: 'text/html; charset=utf-8', etag: '"v1"', lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT' });
    expect(first.status === 'ok' && first.text).toBe(POLICY_HTML);
    expect(first.status === 'ok' && Buffer.from(first.body).toString('utf8')).toBe(POLICY_HTML);
    expect(second).toEqual({ status: 'not-modified' });
    const policyRequests = requests.filter((request) => request.path === '/policy');
    expect(policyRequests[0]?.headers['if-none-match']).toBeUndefined();
    expect(policyRequests[1]?.headers).toMatchObject({
      'if-none-match': '"v1"',
      'if-modified-since': 'Tue, 01 Oct 2024 10:00:00 GMT',
      'user-agent': DEFAULT_USER_AGENT,
      'accept-encoding': 'gzip, deflate, br',
    });
  });

  it('follows a redirect chain within the limit and reports the final URL', async () => {
    routes.set('/r1', redirect('/r2', 301));
    routes.set('/r2', redirect(`${origin}/r3`, 307));
    routes.set('/r3', redirect('final#section', 308));
    routes.set('/final', html(POLICY_HTML));

    const outcome = await makeFetcher({ maxRedirects: 3 }).fetch({ url: `${origin}/r1` });

    expect(outcome).toMatchObject({ status: 'ok', url: `${origin}/final` });
    expect(requests.map((request) => request.path).filter((path) => path !== '/robots.txt')).toEqual(['/r1', '/r2', '/r3', '/final']);
  });

  it('refuses a redirect to the metadata service, a private address or a rebinding name, before connecting', async () => {
    routes.set('/to-metadata', redirect('http://169.254.169.254/latest/meta-data/iam/'));
    routes.set('/to-private', redirect('http://10.0.0.1/admin'));
    routes.set('/to-rebind', redirect(`http://rebind.test:${port}/policy`));
    routes.set('/policy', html(POLICY_HTML));
    const resolved: string[] = [];
    const fetcher = makeFetcher({
      resolver: async (hostname) => {
        resolved.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });

    const metadata = await failure(fetcher.fetch({ url: `${origin}/to-metadata` }), 'refused-address');
    const privateHop = await failure(fetcher.fetch({ url: `${origin}/to-private` }), 'refused-address');
    const rebind = await failure(fetcher.fetch({ url: `${origin}/to-rebind` }), 'refused-address');

    expect(metadata.message).toBe('Fetch failed: refused-address: 169.254.169.254 is linkLocal (http://169.254.169.254/latest/meta-data/iam/)');
    expect(metadata.transient).toBe(false);
    expect(privateHop.detail).toBe('10.0.0.1 is private (http://10.0.0.1/admin)');
    expect(rebind.detail).toBe('rebind.test resolves to 127.0.0.1 (loopback)');
    expect(resolved).toEqual(['rebind.test']);
    expect(hits('/policy')).toBe(0);
  });

  it('connects an allow-listed name to the address its single lookup returned', async () => {
    routes.set('/policy', html(POLICY_HTML));
    const resolved: string[] = [];
    const fetcher = makeFetcher({
      allowHosts: ['policy.test'],
      respectRobots: false,
      resolver: async (hostname) => {
        resolved.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });

    const outcome = await fetcher.fetch({ url: `http://policy.test:${port}/policy` });

    expect(outcome).toMatchObject({ status: 'ok', url: `http://policy.test:${port}/policy` });
    expect(requests[0]?.headers.host).toBe(`policy.test:${port}`);
    expect(resolved).toEqual(['policy.test']);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    routes.set('/to-file', redirect('file:///etc/passwd'));

    const error = await failure(makeFetcher().fetch({ url: `${origin}/to-file` }), 'bad-scheme');

    expect(error.detail).toBe('file: URLs are not fetched (file:///etc/passwd)');
  });

  it('stops after maxRedirects redirects', async () => {
    routes.set('/loop', redirect('/loop'));

    await failure(makeFetcher({ maxRedirects: 3 }).fetch({ url: `${origin}/loop` }), 'too-many-redirects');

    expect(hits('/loop')).toBe(4);
  });

  it('refuses a body over maxBytes, streamed or announced', async () => {
    routes.set('/streamed', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (let index = 0; index < 10; index++) response.write('x'.repeat(1000));
      response.end();
    });
    routes.set('/announced', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10000' }).end('x'.repeat(10_000));
    });
    const fetcher = makeFetcher({ maxBytes: 4096 });

    const streamed = await failure(fetcher.fetch({ url: `${origin}/streamed` }), 'too-large');
    const announced = await failure(fetcher.fetch({ url: `${origin}/announced` }), 'too-large');

    expect(streamed.detail).toBe(`body exceeds 4096 bytes at ${origin}/streamed`);
    expect(announced.detail).toBe(`Content-Length 10000 exceeds 4096 bytes at ${origin}/announced`);
  });

  it('decodes gzip, raw deflate and brotli bodies', async () => {
    const encoded: Record<string, [string, Buffer]> = {
      '/gzip': ['gzip', gzipSync(POLICY_HTML)],
      '/deflate': ['deflate', deflateRawSync(POLICY_HTML)],
      '/br': ['br', brotliCompressSync(POLICY_HTML)],
    };
    for (const [path, [encoding, body]] of Object.entries(encoded)) {
      routes.set(path, (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': encoding }).end(body);
      });
    }
    const fetcher = makeFetcher();

    const texts = await Promise.all(Object.keys(encoded).map(async (path) => {
      const outcome = await fetcher.fetch({ url: `${origin}${path}` });
      return outcome.status === 'ok' ? outcome.text : outcome.status;
    }));

    expect(texts).toEqual([POLICY_HTML, POLICY_HTML, POLICY_HTML]);
  });

  it('stops inflating a gzip bomb at maxDecompressedBytes', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
    routes.set('/bomb', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
    });

    const started = Date.now();
    const error = await failure(makeFetcher({ maxDecompressedBytes: 1024 * 1024 }).fetch({ url: `${origin}/bomb` }), 'decompression-bomb');

    expect(bomb.length).toBeLessThan(20 * 1024);
    expect(error.detail).toBe(`gzip body inflates past 1048576 bytes (${bomb.length} bytes compressed) at ${origin}/bomb`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up on a slow drip after idleTimeoutMs of silence', async () => {
    routes.set('/drip', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<');
      const timer = setInterval(() => response.write('p'), 300);
      response.on('close', () => clearInterval(timer));
    });

    const started = Date.now();
    const error = await failure(makeFetcher({ idleTimeoutMs: 200, retries: 0 }).fetch({ url: `${origin}/drip` }), 'idle-timeout');

    expect(error.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up on a never-ending response after totalTimeoutMs', async () => {
    routes.set('/endless', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => response.write('<p>more</p>'), 20);
      response.on('close', () => clearInterval(timer));
    });

    const started = Date.now();
    const error = await failure(makeFetcher({ totalTimeoutMs: 300, idleTimeoutMs: 1000 }).fetch({ url: `${origin}/endless` }), 'timeout');

    expect(error.transient).toBe(true);
    expect(error.detail).toBe(`no complete response within 300 ms from ${origin}/endless`);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('waits out a 429 Retry-After and succeeds on the retry', async () => {
    let calls = 0;
    routes.set('/busy', (_request, response) => {
      calls++;
      if (calls === 1) response.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
      else html(POLICY_HTML)(_request, response);
    });

    const outcome = await makeFetcher().fetch({ url: `${origin}/busy` });

    expect(outcome.status).toBe('ok');
    expect(calls).toBe(2);
    expect(sleeps).toEqual([1000]);
  });

  it('fails at once when Retry-After exceeds maxRetryAfterMs, passing the wait on', async () => {
    routes.set('/later', (_request, response) => {
      response.writeHead(503, { 'retry-after': '120', 'content-type': 'text/plain' }).end('maintenance');
    });

    const error = await failure(makeFetcher({ maxRetryAfterMs: 5000 }).fetch({ url: `${origin}/later` }), 'http-status');

    expect(error).toMatchObject({ status: 503, retryAfterMs: 120_000, transient: true });
    expect(hits('/later')).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a persistent 503 exactly `retries` times with full-jitter backoff', async () => {
    routes.set('/down', (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>');
    });

    const error = await failure(makeFetcher({ retries: 2, random: () => 0.5 }).fetch({ url: `${origin}/down` }), 'http-status');

    expect(error).toMatchObject({ status: 503, transient: true });
    expect(error.message).toBe(`Fetch failed: http-status: 503 Service Unavailable from ${origin}/down`);
    expect(hits('/down')).toBe(3);
    // Full jitter: random · min(max, base · 2^attempt) with base 100.
    expect(sleeps).toEqual([50, 100]);
  });

  it('retries a refused connection and reports it as network', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');

    const error = await failure(makeFetcher({ retries: 2, random: () => 1 }).fetch({ url: `http://127.0.0.1:${closedPort}/privacy` }), 'network');

    expect(error.transient).toBe(true);
    expect(error.detail).toBe(`ECONNREFUSED at http://127.0.0.1:${closedPort}/robots.txt`);
    expect(sleeps).toEqual([100, 200]);
  });

  it('does not retry a permanent status', async () => {
    routes.set('/gone', (_request, response) => {
      response.writeHead(410, { 'content-type': 'text/plain' }).end('gone');
    });

    const error = await failure(makeFetcher().fetch({ url: `${origin}/gone` }), 'http-status');

    expect(error).toMatchObject({ status: 410, transient: false });
    expect(hits('/gone')).toBe(1);
  });

  it('recognises a challenge page behind a 403 and the cf-mitigated header', async () => {
    routes.set('/challenge', (_request, response) => {
      response.writeHead(403, { 'content-type': 'text/html; charset=UTF-8' })
        .end('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript><script>window._cf_chl_opt={cType:"managed"}</script></body></html>');
    });
    routes.set('/mitigated', (_request, response) => {
      response.writeHead(403, { 'cf-mitigated': 'challenge', 'content-type': 'text/html' }).end('<html></html>');
    });
    const fetcher = makeFetcher();

    const page = await failure(fetcher.fetch({ url: `${origin}/challenge` }), 'bot-challenge');
    const header = await failure(fetcher.fetch({ url: `${origin}/mitigated` }), 'bot-challenge');

    expect(page).toMatchObject({ status: 403, transient: true });
    expect(header.status).toBe(403);
    expect(hits('/challenge')).toBe(1);
  });

  it('refuses empty, binary and truncated 200 responses', async () => {
    routes.set('/empty', html('   \n'));
    routes.set('/pdf', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj');
    });
    routes.set('/cut', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'content-length': '5000' });
      response.write(POLICY_HTML.slice(0, 200));
      setTimeout(() => response.destroy(), 20);
    });
    const fetcher = makeFetcher({ retries: 0 });

    await failure(fetcher.fetch({ url: `${origin}/empty` }), 'empty');
    const pdf = await failure(fetcher.fetch({ url: `${origin}/pdf` }), 'binary');
    const cut = await failure(fetcher.fetch({ url: `${origin}/cut` }), 'truncated');

    expect(pdf.detail).toBe(`content type application/pdf is not text at ${origin}/pdf`);
    expect(cut.transient).toBe(true);
  });

  it('decodes windows-1252 named by the header, by <meta charset> and by <meta http-equiv>', async () => {
    const text = (head: string) => Buffer.from(`<html><head>${head}<title>Caf\u00e9</title></head><body><p>The caf\u00e9\u2019s \u201cpolicy\u201d costs \u20ac0.</p></body></html>`.replace(/[\u2019\u201c\u201d\u20ac]/g, (char) => ({ '\u2019': '\x92', '\u201c': '\x93', '\u201d': '\x94', '\u20ac': '\x80' })[char] ?? char), 'latin1');
    routes.set('/header', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' }).end(text(''));
    });
    routes.set('/meta', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(text('<meta charset="windows-1252">'));
    });
    routes.set('/http-equiv', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(text('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'));
    });
    const fetcher = makeFetcher();

    for (const path of ['/header', '/meta', '/http-equiv']) {
      const outcome = await fetcher.fetch({ url: `${origin}${path}` });
      expect(outcome.status === 'ok' && outcome.text).toContain('The caf\u00e9\u2019s \u201cpolicy\u201d costs \u20ac0.');
    }
  });

  it('decodes UTF-16 by its byte-order mark', async () => {
    const page = '<html><body><p>Datenschutzerkl\u00e4rung \u2014 \u00fcbersicht</p></body></html>';
    routes.set('/utf16le', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page, 'utf16le')]));
    });
    routes.set('/utf16be', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(page, 'utf16le').swap16()]));
    });
    const fetcher = makeFetcher();

    const little = await fetcher.fetch({ url: `${origin}/utf16le` });
    const big = await fetcher.fetch({ url: `${origin}/utf16be` });

    expect(little.status === 'ok' && little.text).toBe(page);
    expect(big.status === 'ok' && big.text).toBe(page);
  });

  it('obeys robots.txt for its user agent, reads it once per origin, and lets a policy opt out', async () => {
    routes.set('/robots.txt', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
        .end('User-agent: *\nDisallow: /\n\nUser-agent: policy-monitor\nDisallow: /legal/private\nAllow: /\n');
    });
    routes.set('/legal/private', html(POLICY_HTML));
    routes.set('/legal/public', html(POLICY_HTML));
    const fetcher = makeFetcher();

    const refused = await failure(fetcher.fetch({ url: `${origin}/legal/private` }), 'robots');
    const allowed = await fetcher.fetch({ url: `${origin}/legal/public` });
    const optedOut = await fetcher.fetch({ url: `${origin}/legal/private`, respectRobots: false });

    expect(refused.detail).toBe(`robots.txt disallows /legal/private for policy-monitor at ${origin}`);
    expect(refused.transient).toBe(false);
    expect(allowed.status).toBe('ok');
    expect(optedOut.status).toBe('ok');
    expect(hits('/robots.txt')).toBe(1);
    expect(hits('/legal/private')).toBe(1);
  });

  it('reads only the first 512 KiB of a huge robots.txt', async () => {
    routes.set('/robots.txt', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
        .end(`User-agent: *\nDisallow: /legal/private\n${'#'.repeat(600 * 1024)}\nDisallow: /legal/late\n`);
    });
    routes.set('/legal/late', html(POLICY_HTML));
    routes.set('/legal/private', html(POLICY_HTML));
    const fetcher = makeFetcher();

    await failure(fetcher.fetch({ url: `${origin}/legal/private` }), 'robots');
    const late = await fetcher.fetch({ url: `${origin}/legal/late` });

    expect(late.status).toBe('ok');
  });

  it('treats a missing robots.txt as allow-all and an erroring one as a transient robots failure', async () => {
    routes.set('/policy', html(POLICY_HTML));
    const missing = await makeFetcher().fetch({ url: `${origin}/policy` });
    routes.set('/robots.txt', (_request, response) => {
      response.writeHead(500).end();
    });

    const error = await failure(makeFetcher({ retries: 0 }).fetch({ url: `${origin}/policy` }), 'robots');

    expect(missing.status).toBe('ok');
    expect(error.transient).toBe(true);
    expect(hits('/policy')).toBe(1);
  });

  it('spaces requests to one host perHostDelayMs apart, one at a time', async () => {
    routes.set('/a', html(POLICY_HTML));
    routes.set('/b', html(POLICY_HTML));
    const fetcher = new HttpPolicyFetcher({ allowHosts: ['127.0.0.1'], perHostDelayMs: 150, respectRobots: false });
    fetchers.push(fetcher);

    await Promise.all([fetcher.fetch({ url: `${origin}/a` }), fetcher.fetch({ url: `${origin}/b` })]);

    const [first, second] = requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(145);
  });

  it('refuses non-http schemes and non-URLs', async () => {
    const fetcher = makeFetcher();

    await failure(fetcher.fetch({ url: 'file:///etc/passwd' }), 'bad-scheme');
    await failure(fetcher.fetch({ url: 'ftp://ftp.example.com/privacy.txt' }), 'bad-scheme');
    await failure(fetcher.fetch({ url: 'javascript:alert(1)' }), 'bad-scheme');
    await failure(fetcher.fetch({ url: 'not a url' }), 'bad-url');
  });
});

describe('the default (production) configuration', () => {
  // Stub DNS: hostile names answer with loopback only, so even a broken fetcher stays on this machine.
  const resolverCalls: string[] = [];
  const resolver = async (hostname: string): Promise<ResolvedAddress[]> => {
    resolverCalls.push(hostname);
    const answers: Record<string, ResolvedAddress[]> = {
      'rebind.test': [{ address: '127.0.0.1', family: 4 }],
      'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
      'loopback6.test': [{ address: '::1', family: 6 }],
    };
    const answer = answers[hostname];
    if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  };

  it('refuses loopback, private, link-local and disguised IP literals without opening a socket', async () => {
    const fetcher = new HttpPolicyFetcher({ resolver });
    fetchers.push(fetcher);
    routes.set('/', html(POLICY_HTML));
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://2130706433:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://0x7f.0.0.1:${port}/`,
      `http://127.1:${port}/`,
    ];

    const details = [];
    for (const url of urls) details.push((await failure(fetcher.fetch({ url }), 'refused-address')).detail);

    expect(details).toEqual([
      `127.0.0.1 is loopback (http://127.0.0.1:${port}/)`,
      `localhost is loopback (http://localhost:${port}/)`,
      '169.254.169.254 is linkLocal (http://169.254.169.254/latest/meta-data/)',
      '10.0.0.1 is private (http://10.0.0.1/)',
      `::1 is loopback (http://[::1]:${port}/)`,
      `::ffff:7f00:1 is IPv4-mapped loopback (http://[::ffff:7f00:1]:${port}/)`,
      `127.0.0.1 is loopback (http://127.0.0.1:${port}/)`,
      `127.0.0.1 is loopback (http://127.0.0.1:${port}/)`,
      `127.0.0.1 is loopback (http://127.0.0.1:${port}/)`,
      `127.0.0.1 is loopback (http://127.0.0.1:${port}/)`,
    ]);
    expect(socketTargets).toEqual([]);
    expect(resolverCalls).toEqual([]);
  });

  it('refuses names that resolve to loopback (DNS rebinding) in the connect lookup, before connecting', async () => {
    const fetcher = new HttpPolicyFetcher({ resolver });
    fetchers.push(fetcher);
    resolverCalls.length = 0;

    const details = [];
    for (const name of ['rebind.test', 'mapped.test', 'loopback6.test']) {
      details.push((await failure(fetcher.fetch({ url: `http://${name}:${port}/privacy` }), 'refused-address')).detail);
    }

    expect(details).toEqual([
      'rebind.test resolves to 127.0.0.1 (loopback)',
      'mapped.test resolves to ::ffff:127.0.0.1 (IPv4-mapped loopback)',
      'loopback6.test resolves to ::1 (loopback)',
    ]);
    // Refused while fetching robots.txt, the first request to each origin.
    expect(resolverCalls).toEqual(['rebind.test', 'mapped.test', 'loopback6.test']);
    expect(connections).toBe(0);
    expect(requests).toEqual([]);
  });

  it('refuses a rebinding name on the page request itself, with robots.txt off', async () => {
    const fetcher = new HttpPolicyFetcher({ resolver, respectRobots: false });
    fetchers.push(fetcher);

    const error = await failure(fetcher.fetch({ url: `http://rebind.test:${port}/` }), 'refused-address');

    expect(error.detail).toBe('rebind.test resolves to 127.0.0.1 (loopback)');
    expect(connections).toBe(0);
  });

  it('reports an unresolvable name as dns', async () => {
    const fetcher = new HttpPolicyFetcher({ resolver, respectRobots: false });
    fetchers.push(fetcher);

    const error = await failure(fetcher.fetch({ url: 'https://nowhere.test/privacy' }), 'dns');

    expect(error.transient).toBe(false);
  });

  it('has the documented defaults', () => {
    expect(FETCHER_DEFAULTS).toMatchObject({
      userAgent: 'policy-monitor/0.1 (+https://github.com/policy-monitor/policy-monitor)',
      maxBytes: 5 * 1024 * 1024,
      maxDecompressedBytes: 10 * 1024 * 1024,
      totalTimeoutMs: 20_000,
      idleTimeoutMs: 10_000,
      maxRedirects: 5,
      retries: 2,
      perHostDelayMs: 1000,
      respectRobots: true,
    });
  });

  it('reads the allow-list from POLICY_MONITOR_ALLOW_HOSTS', () => {
    expect(fetcherOptionsFromEnv({ POLICY_MONITOR_ALLOW_HOSTS: ' 127.0.0.1, localhost ,' })).toEqual({ allowHosts: ['127.0.0.1', 'localhost'] });
    expect(fetcherOptionsFromEnv({})).toEqual({});
  });
});

describe('address policy', () => {
  it('relies on the WHATWG URL parser to normalize decimal, octal, hex and short IPv4 spellings', () => {
    expect(new URL('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0177.0.0.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0x7f.0.0.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://017700000001/').hostname).toBe('127.0.0.1');
    expect(new URL('http://[0:0:0:0:0:ffff:7f00:1]/').hostname).toBe('[::ffff:7f00:1]');
  });

  it('refuses every special-purpose range and allows public unicast', () => {
    const refused = [
      '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '255.255.255.255', '224.0.0.251', '240.0.0.1', '192.0.2.10', '198.18.0.1', '::', '::1', 'fe80::1', 'fe80::1%eth0',
      'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::1', '2002:7f00:1::1', '2001:0:4136:e378::1', '2001:db8::1', 'ff02::1', '::7f00:1', 'fec0::1', 'not-an-ip',
    ];
    const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];

    expect(refused.filter((ip) => !isRefusedAddress(ip))).toEqual([]);
    expect(allowed.filter((ip) => isRefusedAddress(ip))).toEqual([]);
    expect(refusedRange('::ffff:169.254.169.254')).toBe('IPv4-mapped linkLocal');
    expect(refusedRange('64:ff9b::7f00:1')).toBe('NAT64 loopback');
    expect(refusedRange('2002:7f00:1::1')).toBe('6to4');
    expect(refusedRange('2001:0:4136:e378::1')).toBe('teredo');
  });

  it('matches the allow-list on the host as written, not on what a name resolves to', () => {
    const allow = normalizeAllowHosts(['127.0.0.1', 'LOCALHOST', '[::1]']);

    expect(() => assertAllowedHost('127.0.0.1', allow)).not.toThrow();
    expect(() => assertAllowedHost('localhost', allow)).not.toThrow();
    expect(() => assertAllowedHost('[::1]', allow)).not.toThrow();
    expect(() => assertAllowedHost('[0:0:0:0:0:0:0:1]', allow)).not.toThrow();
    expect(() => assertAllowedHost('127.0.0.2', allow)).toThrow('Fetch failed: refused-address: 127.0.0.2 is loopback');
    expect(() => assertAllowedHost('rebind.test', allow, ['127.0.0.1'])).toThrow('Fetch failed: refused-address: rebind.test resolves to 127.0.0.1 (loopback)');
    expect(() => assertAllowedHost('app.localhost', new Set())).toThrow('Fetch failed: refused-address: app.localhost is loopback');
    expect(() => assertAllowedHost('metadata.test', allow, ['169.254.169.254'])).toThrow('Fetch failed: refused-address: metadata.test resolves to 169.254.169.254 (linkLocal)');
    // Every answer counts: the client could connect to any of them.
    expect(() => assertAllowedHost('mixed.test', allow, ['93.184.216.34', '10.1.2.3'])).toThrow('Fetch failed: refused-address: mixed.test resolves to 10.1.2.3 (private)');
    expect(() => assertAllowedHost('example.com', new Set(), ['93.184.216.34', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])).not.toThrow();
  });
});

describe('decodeBody', () => {
  it('falls back to windows-1252 when undeclared bytes are not UTF-8, and prefers a BOM over the header', () => {
    expect(decodeBody(Buffer.from('caf\xe9 \x93ok\x94', 'latin1'), 'text/plain')).toBe('caf\u00e9 \u201cok\u201d');
    expect(decodeBody(Buffer.from('caf\u00e9', 'utf8'), 'text/plain')).toBe('caf\u00e9');
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\u00fc', 'utf8')]), 'text/html; charset=windows-1252')).toBe('\u00fc');
    expect(decodeBody(Buffer.from('<meta charset="utf-16"><p>\u00e9</p>', 'utf8'), 'text/html')).toBe('<meta charset="utf-16"><p>\u00e9</p>');
    expect(decodeBody(Buffer.from('x', 'utf8'), 'text/html; charset=no-such-charset')).toBe('x');
  });
});
