/**
 * The fetch stage's error. Every refusal or failure of `HttpPolicyFetcher` (and of a page that
 * fails the validity checks after normalization) is a `FetchError` with a machine-readable
 * `reason`; handlers catch this class only, record the reason and retry on a later schedule.
 */
import type { PageProblem } from '../core/page-validity.ts';

/** Why a fetch failed. Page problems (`empty`, `bot-challenge`, …) come from `assessPage`. */
export type FetchReason =
  /** The URL does not parse. */
  | 'bad-url'
  /** Not http: or https:. */
  | 'bad-scheme'
  /** The host is, or resolves to, a loopback, private, link-local or reserved address. */
  | 'refused-address'
  /** The host name does not resolve. */
  | 'dns'
  /** Connection refused or reset, socket closed early, connect timeout. */
  | 'network'
  /** Certificate or handshake failure. */
  | 'tls'
  /** The whole fetch took longer than `totalTimeoutMs`. */
  | 'timeout'
  /** No byte arrived for `idleTimeoutMs` (slow drip, stalled server). */
  | 'idle-timeout'
  /** A status other than 2xx, 304 or a followable redirect. */
  | 'http-status'
  | 'too-many-redirects'
  /** The body on the wire exceeds `maxBytes`. */
  | 'too-large'
  /** The decompressed body exceeds `maxDecompressedBytes`. */
  | 'decompression-bomb'
  /** Corrupt or unsupported Content-Encoding. */
  | 'bad-encoding'
  /** robots.txt disallows the URL for our user agent, or could not be read. */
  | 'robots'
  | PageProblem;

/**
 * Whether a retry later is likely to help, when the thrower does not say. Refusals and
 * deterministic content problems are permanent; server hiccups, blocks and timeouts are not.
 */
const TRANSIENT_BY_DEFAULT: Record<FetchReason, boolean> = {
  'bad-url': false,
  'bad-scheme': false,
  'refused-address': false,
  dns: false,
  network: true,
  tls: false,
  timeout: true,
  'idle-timeout': true,
  'http-status': false,
  'too-many-redirects': false,
  'too-large': false,
  'decompression-bomb': false,
  'bad-encoding': false,
  robots: false,
  empty: true,
  binary: false,
  'bot-challenge': true,
  'error-page': true,
  truncated: true,
  shrunk: true,
  // A page served in another language is often geo- or header-dependent, and may flip back.
  language: true,
  unrelated: false,
};

export interface FetchErrorOptions extends ErrorOptions {
  /** Overrides the reason's default (e.g. `http-status` is transient for 429 and 5xx only). */
  transient?: boolean;
  /** HTTP status of the response that caused the failure, when there was one. */
  status?: number;
  /** How long the server asked us to wait (Retry-After), so a scheduler can defer the next try. */
  retryAfterMs?: number;
  /** The URL being fetched when it failed (the redirect hop, not necessarily the first URL). */
  url?: string;
}

/** A fetch refused or failed; the message reads "Fetch failed: <reason>: <detail>". */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  /** Machine-readable cause; stable, used in check records and CLI messages. */
  readonly reason: FetchReason;
  /** The message without its "Fetch failed: <reason>: " prefix. */
  readonly detail: string;
  /** True when retrying later may succeed (server errors, blocks, timeouts). */
  readonly transient: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly url?: string;

  constructor(reason: FetchReason, detail: string, options: FetchErrorOptions = {}) {
    super(`Fetch failed: ${reason}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.detail = detail;
    this.transient = options.transient ?? TRANSIENT_BY_DEFAULT[reason];
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.url !== undefined) this.url = options.url;
  }
}

/** Narrowing helper for catch blocks: `isFetchError(error, 'refused-address')`. */
export function isFetchError(error: unknown, reason?: FetchReason): error is FetchError {
  return error instanceof FetchError && (reason === undefined || error.reason === reason);
}
