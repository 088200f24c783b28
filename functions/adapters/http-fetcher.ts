/**
 * The safe, polite HTTP fetcher behind `PolicyFetcher` (Lambdas and the CLI alike).
 *
 * Safe: policy URLs are user input, so the fetcher is an SSRF surface. Only http/https; IP
 * literals are checked before connecting; names are resolved inside the `lookup` that the
 * transport's agents give every socket (http-transport.ts), every resolved address is checked,
 * and the socket connects only to those checked addresses (no second lookup an attacker's DNS
 * could answer differently). Redirects are followed by hand so each hop gets the same checks.
 * Bodies are capped on the wire and after decompression (body-decoding.ts), and bounded in time
 * twice over: per byte (idle) and per attempt (total).
 *
 * Polite: a User-Agent naming the project, robots.txt, one request at a time per host with a
 * delay between them, conditional GET, bounded retries with full jitter, Retry-After honoured.
 */
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import PQueue from 'p-queue';
import robotsParserModule from 'robots-parser';
import type { FetchOutcome, FetchRequest, PolicyFetcher } from '../core/ports.ts';
import { assertAllowedHost, normalizeAllowHosts } from './address-policy.ts';
import { contentEncodings, decodeBody, decompress } from './body-decoding.ts';
import { FetchError, type FetchReason } from './errors.ts';
import { HttpTransport, IdleWatch, asFetchError, discard, firstHeader, readCapped } from './http-transport.ts';

// Part of this module's API since before the body decoding had a file of its own.
export { decodeBody } from './body-decoding.ts';

// Page checks parse HTML and guess languages: loaded when a body is first
// assessed, so a Lambda cold start that only meets unchanged pages (304) never pays for them.
const loadPageValidity = () => import('../core/page-validity.ts');

// robots-parser is CommonJS and its typings claim an ES default export; under NodeNext the
// default import is already `module.exports`, the parser function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type Robots = ReturnType<typeof robotsParser>;

/** One resolved address, as `dns.lookup(host, { all: true })` returns them. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution; injected in tests to simulate hostile DNS (e.g. a name resolving to 127.0.0.1). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface HttpFetcherOptions {
  /** Hosts (names or IPs, as written in URLs) exempt from the address checks. Never set in production. @default [] */
  allowHosts?: readonly string[];
  /** @default DEFAULT_USER_AGENT */
  userAgent?: string;
  /** Cap on the body as sent (compressed). @default 5 MiB */
  maxBytes?: number;
  /** Cap on the body after Content-Encoding is undone; defeats decompression bombs. @default 10 MiB */
  maxDecompressedBytes?: number;
  /** One attempt (robots.txt, every redirect hop and the body) must finish within this. @default 20 s */
  totalTimeoutMs?: number;
  /** Longest silence while waiting for headers or between body chunks; also the connect timeout. @default 10 s */
  idleTimeoutMs?: number;
  /** @default 5 */
  maxRedirects?: number;
  /** Extra attempts after a 408/429/5xx or a network error. @default 2 */
  retries?: number;
  /** Full-jitter backoff: a delay uniform in [0, min(max, base · 2^attempt)). @default 500 */
  retryBaseDelayMs?: number;
  /** @default 8000 */
  retryMaxDelayMs?: number;
  /**
   * Longest Retry-After (429/503) waited for in-process. A longer one ends the fetch at once
   * with `retryAfterMs` set, for the scheduler to honour: a Lambda should not sleep for minutes.
   * @default 10 s
   */
  maxRetryAfterMs?: number;
  /** Pause between the end of one request and the start of the next to the same host. @default 1000 */
  perHostDelayMs?: number;
  /** Obey robots.txt (RFC 9309); a request may opt out per policy. @default true */
  respectRobots?: boolean;
  /** Refuse bot challenges, error pages, empty/binary/truncated bodies (see core/page-validity.ts). @default true */
  validatePage?: boolean;
  /** @default dns.lookup with all addresses */
  resolver?: Resolver;
  /** Source of jitter. @default Math.random */
  random?: () => number;
  /** Waits for backoff, Retry-After and per-host pacing. @default timers/promises setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** A FetchRequest; `respectRobots: false` is the per-policy robots opt-out. */
export type HttpFetchRequest = FetchRequest;

export const DEFAULT_USER_AGENT = 'policy-monitor/0.1 (+https://github.com/policy-monitor/policy-monitor)';

export const FETCHER_DEFAULTS = {
  userAgent: DEFAULT_USER_AGENT,
  maxBytes: 5 * 1024 * 1024,
  maxDecompressedBytes: 10 * 1024 * 1024,
  totalTimeoutMs: 20_000,
  idleTimeoutMs: 10_000,
  maxRedirects: 5,
  retries: 2,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 8_000,
  maxRetryAfterMs: 10_000,
  perHostDelayMs: 1_000,
  respectRobots: true,
  validatePage: true,
} as const;

/** Reads `POLICY_MONITOR_ALLOW_HOSTS` (comma-separated), the same switch as the CLI's `--allow-host`. */
export function fetcherOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpFetcherOptions {
  const allowHosts = (env.POLICY_MONITOR_ALLOW_HOSTS ?? '').split(',').map((host) => host.trim()).filter((host) => host !== '');
  return allowHosts.length > 0 ? { allowHosts } : {};
}

// RFC 9309: crawlers must parse at least 500 KiB and should not cache for more than 24 hours.
const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_CACHE_MS = 24 * 60 * 60 * 1000;
// Of an error response, only enough to recognise a challenge page is read.
const ERROR_BODY_MAX_BYTES = 64 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527, 530]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const TRANSPORT_REASONS = new Set<FetchReason>(['refused-address', 'dns', 'network', 'tls', 'timeout', 'idle-timeout']);

type Headers = Record<string, string>;

interface HopLimits {
  maxBytes: number;
  /** Past maxBytes: fail with 'too-large' (pages) or keep what was read (robots.txt, RFC 9309). */
  overflow: 'fail' | 'truncate';
  signal: AbortSignal;
}

type HopResult =
  | { kind: 'redirect'; location: URL }
  | { kind: 'not-modified' }
  | { kind: 'ok'; wire: Buffer; encodings: string[]; contentType: string; etag?: string; lastModified?: string };

export class HttpPolicyFetcher implements PolicyFetcher {
  readonly #options: Required<Omit<HttpFetcherOptions, 'allowHosts'>>;
  readonly #allowHosts: ReadonlySet<string>;
  readonly #transport: HttpTransport;
  readonly #hostQueues = new Map<string, PQueue>();
  readonly #hostLastDone = new Map<string, number>();
  readonly #robots = new Map<string, { robots: Promise<Robots | undefined>; expiresAt: number }>();

  constructor(options: HttpFetcherOptions = {}) {
    this.#options = {
      ...FETCHER_DEFAULTS,
      resolver: defaultResolver,
      random: Math.random,
      sleep: (ms) => delay(ms),
      ...withoutUndefined(options),
    };
    this.#allowHosts = normalizeAllowHosts(options.allowHosts ?? []);
    this.#transport = new HttpTransport(this.#checkedLookup);
  }

  /** Fetches a policy; throws FetchError on any refusal or failure (see errors.ts for reasons). */
  async fetch(request: HttpFetchRequest): Promise<FetchOutcome> {
    const url = parseFetchUrl(request.url);
    const respectRobots = request.respectRobots ?? this.#options.respectRobots;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(url, request, respectRobots);
      } catch (error) {
        const failure = asFetchError(error, 'headers', url.href);
        const wait = this.#retryDelay(failure, attempt);
        if (wait === undefined) throw failure;
        await this.#options.sleep(wait);
      }
    }
  }

  /** Closes pooled connections (tests, CLI exit); the fetcher is unusable afterwards. */
  async close(): Promise<void> {
    this.#transport.close();
  }

  async #attempt(url: URL, request: HttpFetchRequest, respectRobots: boolean): Promise<FetchOutcome> {
    const signal = AbortSignal.timeout(this.#options.totalTimeoutMs);
    const conditional: Headers = {};
    if (request.etag !== undefined) conditional['if-none-match'] = request.etag;
    if (request.lastModified !== undefined) conditional['if-modified-since'] = request.lastModified;
    try {
      const { result, finalUrl } = await this.#follow(url, conditional, { maxBytes: this.#options.maxBytes, overflow: 'fail', signal }, respectRobots);
      if (result.kind === 'not-modified') {
        if (Object.keys(conditional).length === 0) {
          throw new FetchError('http-status', `304 without a conditional request from ${finalUrl.href}`, { status: 304, url: finalUrl.href });
        }
        return { status: 'not-modified' };
      }
      const body = await decompress(result.wire, result.encodings, this.#options.maxDecompressedBytes, finalUrl.href);
      const text = decodeBody(body, result.contentType);
      if (this.#options.validatePage) {
        const { assessPage } = await loadPageValidity();
        const assessment = assessPage(text, result.contentType);
        if (!assessment.ok) throw new FetchError(assessment.reason, `${assessment.detail} at ${finalUrl.href}`, { url: finalUrl.href });
      }
      return {
        status: 'ok',
        url: finalUrl.href,
        body,
        text,
        contentType: result.contentType,
        ...(result.etag === undefined ? {} : { etag: result.etag }),
        ...(result.lastModified === undefined ? {} : { lastModified: result.lastModified }),
      };
    } catch (error) {
      // Whatever surfaced (an abort, a socket error, a queue rejection), the deadline caused it.
      if (signal.aborted) {
        throw new FetchError('timeout', `no complete response within ${this.#options.totalTimeoutMs} ms from ${url.href}`, { url: url.href, cause: error });
      }
      throw error;
    }
  }

  /** Follows redirects by hand, re-checking scheme, host and robots.txt on every hop. */
  async #follow(start: URL, headers: Headers, limits: HopLimits, respectRobots: boolean): Promise<{ result: Exclude<HopResult, { kind: 'redirect' }>; finalUrl: URL }> {
    let current = start;
    for (let redirects = 0; ; redirects++) {
      assertFetchableUrl(current, this.#allowHosts);
      if (respectRobots) await this.#assertRobotsAllow(current, limits.signal);
      const result = await this.#paced(current.hostname, limits.signal, () => this.#hop(current, headers, limits));
      if (result.kind !== 'redirect') return { result, finalUrl: current };
      if (redirects >= this.#options.maxRedirects) {
        throw new FetchError('too-many-redirects', `more than ${this.#options.maxRedirects} redirects from ${start.href}`, { url: current.href });
      }
      current = result.location;
    }
  }

  /**
   * One request/response. The body is read here so the host's slot is held until it is done.
   * The idle limit is one timer, started before the connect and restarted by every body chunk:
   * connecting, waiting for headers and each gap in the body all count against it, so neither a
   * silent server nor a drip of one byte per 300 ms gets past a 200 ms limit.
   */
  async #hop(url: URL, extraHeaders: Headers, limits: HopLimits): Promise<HopResult> {
    const idle = new IdleWatch(this.#options.idleTimeoutMs);
    try {
      return await this.#exchange(url, extraHeaders, { ...limits, signal: AbortSignal.any([limits.signal, idle.signal]) }, idle);
    } catch (error) {
      if (idle.expired) {
        throw new FetchError('idle-timeout', `nothing received for ${this.#options.idleTimeoutMs} ms from ${url.href}`, { url: url.href, cause: error });
      }
      throw error;
    } finally {
      idle.stop();
    }
  }

  async #exchange(url: URL, extraHeaders: Headers, limits: HopLimits, idle: IdleWatch): Promise<HopResult> {
    let body: IncomingMessage;
    try {
      body = await this.#transport.get(url, {
        'user-agent': this.#options.userAgent,
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
        ...extraHeaders,
      }, limits.signal);
    } catch (error) {
      throw asFetchError(error, 'headers', url.href);
    }
    const { headers } = body;
    const status = body.statusCode ?? 0;
    const contentType = firstHeader(headers, 'content-type') ?? '';
    const encodings = contentEncodings(firstHeader(headers, 'content-encoding'));

    if (firstHeader(headers, 'cf-mitigated') === 'challenge') {
      discard(body);
      throw new FetchError('bot-challenge', `Cloudflare challenge (cf-mitigated) at ${url.href}`, { status, url: url.href });
    }
    if (REDIRECT_STATUSES.has(status)) {
      discard(body);
      const location = firstHeader(headers, 'location');
      if (location === undefined) throw new FetchError('http-status', `${status} without Location from ${url.href}`, { status, url: url.href });
      let next: URL;
      try {
        next = new URL(location, url);
      } catch (error) {
        throw new FetchError('bad-url', `redirect to an invalid URL ${JSON.stringify(location)} from ${url.href}`, { status, url: url.href, cause: error });
      }
      next.hash = '';
      return { kind: 'redirect', location: next };
    }
    if (status === 304) {
      discard(body);
      return { kind: 'not-modified' };
    }
    if (status < 200 || status >= 300) {
      throw await this.#statusError(url, status, headers, body, contentType, encodings, idle);
    }

    const declaredLength = Number(firstHeader(headers, 'content-length'));
    if (limits.overflow === 'fail' && Number.isFinite(declaredLength) && declaredLength > limits.maxBytes) {
      discard(body);
      throw new FetchError('too-large', `Content-Length ${declaredLength} exceeds ${limits.maxBytes} bytes at ${url.href}`, { status, url: url.href });
    }
    const wire = await readCapped(body, limits.maxBytes, url.href, limits.overflow, idle);
    const etag = firstHeader(headers, 'etag');
    const lastModified = firstHeader(headers, 'last-modified');
    return {
      kind: 'ok',
      wire,
      contentType,
      encodings,
      ...(etag === undefined ? {} : { etag }),
      ...(lastModified === undefined ? {} : { lastModified }),
    };
  }

  /** Builds the error for a non-2xx response; a challenge page behind a 403/503 says so. */
  async #statusError(
    url: URL,
    status: number,
    headers: IncomingHttpHeaders,
    body: IncomingMessage,
    contentType: string,
    encodings: string[],
    idle: IdleWatch,
  ): Promise<FetchError> {
    const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(firstHeader(headers, 'retry-after')) : undefined;
    const common = { status, url: url.href, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    try {
      const wire = await readCapped(body, ERROR_BODY_MAX_BYTES, url.href, 'truncate', idle);
      const text = decodeBody(await decompress(wire, encodings, 4 * ERROR_BODY_MAX_BYTES, url.href, { partial: true }), contentType);
      const { assessPage } = await loadPageValidity();
      const assessment = assessPage(text, contentType);
      if (!assessment.ok && assessment.reason === 'bot-challenge') {
        return new FetchError('bot-challenge', `${status} with ${assessment.detail} at ${url.href}`, common);
      }
    } catch {
      // The status alone is the finding; an unreadable error body adds nothing.
    }
    const statusText = STATUS_CODES[status] === undefined ? `${status}` : `${status} ${STATUS_CODES[status]}`;
    return new FetchError('http-status', `${statusText} from ${url.href}`, {
      ...common,
      transient: TRANSIENT_STATUSES.has(status),
    });
  }

  /** Runs one request in the host's queue: one at a time, `perHostDelayMs` apart. */
  async #paced<T>(host: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    let queue = this.#hostQueues.get(host);
    if (queue === undefined) {
      queue = new PQueue({ concurrency: 1 });
      this.#hostQueues.set(host, queue);
    }
    return queue.add(async () => {
      const wait = (this.#hostLastDone.get(host) ?? -Infinity) + this.#options.perHostDelayMs - Date.now();
      if (wait > 0) await this.#options.sleep(wait);
      try {
        return await task();
      } finally {
        this.#hostLastDone.set(host, Date.now());
      }
    }, { signal, throwOnTimeout: true });
  }

  async #assertRobotsAllow(url: URL, signal: AbortSignal): Promise<void> {
    let entry = this.#robots.get(url.origin);
    if (entry === undefined || entry.expiresAt < Date.now()) {
      const loading = { robots: this.#loadRobots(url, signal), expiresAt: Date.now() + ROBOTS_CACHE_MS };
      this.#robots.set(url.origin, loading);
      // A failed load is not cached: the next fetch tries again.
      loading.robots.catch(() => {
        if (this.#robots.get(url.origin) === loading) this.#robots.delete(url.origin);
      });
      entry = loading;
    }
    const robots = await entry.robots;
    if (robots?.isAllowed(url.href, this.#options.userAgent) === false) {
      throw new FetchError('robots', `robots.txt disallows ${url.pathname} for ${this.#options.userAgent.split('/')[0]} at ${url.origin}`, { url: url.href });
    }
  }

  /**
   * RFC 9309: 4xx means no rules (allow all); a 5xx or 429 means "assume complete disallow",
   * reported as a transient 'robots' failure. Transport failures (DNS, refused address, network,
   * timeouts) are the origin's, not robots.txt's, and surface as themselves. Fetched through
   * the same safe path, and only the first 512 KiB is read.
   */
  async #loadRobots(pageUrl: URL, signal: AbortSignal): Promise<Robots | undefined> {
    const robotsUrl = new URL('/robots.txt', pageUrl.origin);
    try {
      const { result } = await this.#follow(robotsUrl, {}, { maxBytes: ROBOTS_MAX_BYTES, overflow: 'truncate', signal }, false);
      if (result.kind !== 'ok') return undefined;
      const body = await decompress(result.wire, result.encodings, ROBOTS_MAX_BYTES, robotsUrl.href, { partial: true });
      return robotsParser(robotsUrl.href, new TextDecoder().decode(body));
    } catch (error) {
      if (error instanceof FetchError) {
        const status = error.status ?? 0;
        if (error.reason === 'http-status' && status >= 400 && status < 500 && status !== 429) return undefined;
        if (TRANSPORT_REASONS.has(error.reason)) throw error;
      }
      throw new FetchError('robots', `${robotsUrl.href} is unavailable (${error instanceof FetchError ? error.detail : String(error)}), so nothing may be fetched from ${pageUrl.origin} (RFC 9309)`, {
        transient: true,
        url: pageUrl.href,
        cause: error,
      });
    }
  }

  #retryDelay(error: FetchError, attempt: number): number | undefined {
    if (attempt >= this.#options.retries) return undefined;
    const retryable = error.reason === 'network' || (error.reason === 'http-status' && error.transient);
    if (!retryable) return undefined;
    if (error.retryAfterMs !== undefined) {
      // Past the cap, give up now and let the scheduler honour the wait (error.retryAfterMs).
      return error.retryAfterMs <= this.#options.maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    const ceiling = Math.min(this.#options.retryMaxDelayMs, this.#options.retryBaseDelayMs * 2 ** attempt);
    return Math.floor(this.#options.random() * ceiling);
  }

  /**
   * The `lookup` of every socket the transport opens: resolves, refuses the host if ANY address
   * is refused (an attacker controls which one a client would pick), and hands net.connect only
   * the addresses it checked, so nothing is resolved twice (DNS rebinding).
   */
  readonly #checkedLookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
    this.#resolveChecked(hostname).then(
      (resolved) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = family === 4 || family === 6 ? resolved.filter((entry) => entry.family === family) : resolved;
        const first = addresses[0];
        if (first === undefined) {
          callback(new FetchError('dns', `${hostname} has no IPv${family} address`), '', 0);
        } else if (options.all === true) {
          callback(null, addresses satisfies LookupAddress[]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };

  async #resolveChecked(hostname: string): Promise<ResolvedAddress[]> {
    let resolved: ResolvedAddress[];
    try {
      resolved = await this.#options.resolver(hostname);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FetchError('dns', `${hostname} does not resolve (${code ?? 'error'})`, { transient: code === 'EAI_AGAIN', cause: error });
    }
    if (resolved.length === 0) throw new FetchError('dns', `${hostname} has no address`);
    assertAllowedHost(hostname, this.#allowHosts, resolved.map((entry) => entry.address));
    return resolved;
  }
}

const defaultResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Parses a policy URL: http/https only, with a host that passes the address policy. */
function parseFetchUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new FetchError('bad-url', `${JSON.stringify(raw)} is not a URL`, { cause: error });
  }
  url.hash = '';
  return url;
}

function assertFetchableUrl(url: URL, allowHosts: ReadonlySet<string>): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('bad-scheme', `${url.protocol} URLs are not fetched (${url.href})`, { url: url.href });
  }
  try {
    assertAllowedHost(url.hostname, allowHosts);
  } catch (error) {
    if (error instanceof FetchError) throw new FetchError(error.reason, `${error.detail} (${url.href})`, { url: url.href });
    throw error;
  }
}

/** Seconds or an HTTP date, as milliseconds from now. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
