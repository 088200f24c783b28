/**
 * The fetcher's transport: one GET over Node's own http/https clients, the body read under a byte
 * cap and an idle watch, and socket, DNS, TLS and parser errors mapped onto FetchError reasons.
 * The safety rules (which URLs, which addresses, how many redirects) are the fetcher's; this file
 * only guarantees that a socket resolves names through the lookup it is given and nothing else.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addAbortSignal } from 'node:stream';
import { FetchError } from './errors.ts';

/** Node's default, pinned so that `--max-http-header-size` cannot widen the room a header flood gets. */
const MAX_HEADER_BYTES = 16 * 1024;
// Idle pooled sockets close after this: below the 5 s keep-alive of Node servers (and most
// others), so a reused socket is rarely one its server is closing at that very moment.
const IDLE_SOCKET_MS = 4_000;

/**
 * A keep-alive agent per scheme, private to one fetcher. The agents' `lookup` replaces DNS for
 * every socket they open (agent options override request options in Node), so a name is resolved
 * once, by that lookup, and connected to the addresses it returned. IP literals never reach it:
 * net connects to them directly, which is why the fetcher checks them before calling `get`.
 * Pooled idle sockets are unref'd by Node, so they never keep the process alive.
 */
export class HttpTransport {
  readonly #agents: Readonly<Record<'http:' | 'https:', http.Agent>>;

  constructor(lookup: LookupFunction) {
    const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, lookup };
    this.#agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  }

  /**
   * Sends a GET and resolves with the response once its headers are in; rejects with the raw
   * error (see `asFetchError`). The body is the caller's to read or `discard`. `signal` aborts
   * the request and, after the headers, the body: either way the socket is destroyed, not pooled.
   */
  get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
    const scheme = url.protocol;
    if (scheme !== 'http:' && scheme !== 'https:') {
      return Promise.reject(new FetchError('bad-scheme', `${scheme} URLs are not fetched (${url.href})`, { url: url.href }));
    }
    const client = scheme === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(url, { agent: this.#agents[scheme], method: 'GET', headers, signal, maxHeaderSize: MAX_HEADER_BYTES });
      // Stays attached after the response: a later socket error reaches the body's reader instead.
      request.on('error', reject);
      request.on('response', (response) => {
        // An error on a body nobody iterates yet must not become an uncaught 'error' event.
        response.on('error', () => {});
        addAbortSignal(signal, response);
        resolve(response);
      });
      request.end();
    });
  }

  /** Destroys every socket, pooled or in use; the transport is unusable afterwards. */
  close(): void {
    for (const agent of Object.values(this.#agents)) agent.destroy();
  }
}

/** Aborts its signal after `ms` without a `touch()`. */
export class IdleWatch {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.#timer = setTimeout(() => this.#controller.abort(), ms);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  touch(): void {
    this.#timer.refresh();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * Reads a body up to `max` bytes as sent (compressed): past it, either fail ('too-large') or stop
 * quietly. Every chunk restarts the idle watch, so a drip slower than the idle limit fails.
 */
export async function readCapped(body: IncomingMessage, max: number, url: string, overflow: 'fail' | 'truncate', idle: IdleWatch): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let cut = false;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      idle.touch();
      if (total + chunk.length > max) {
        if (overflow === 'fail') throw new FetchError('too-large', `body exceeds ${max} bytes at ${url}`, { url });
        chunks.push(chunk.subarray(0, max - total));
        total = max;
        cut = true;
        break;
      }
      chunks.push(chunk);
      total += chunk.length;
    }
    // Node errors a body whose connection closes early; this holds even if some release does not.
    if (!cut && !body.complete) throw new FetchError('truncated', `the connection closed mid-body at ${url}`, { url });
  } catch (error) {
    throw asFetchError(error, 'body', url);
  } finally {
    discard(body);
  }
  return Buffer.concat(chunks, total);
}

/** Drops a body we will not read (or stopped reading): its socket is closed rather than pooled. */
export function discard(body: IncomingMessage): void {
  if (!body.destroyed) body.destroy();
}

export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH)/;

/** Maps socket, parser, DNS and TLS errors onto reasons; a connection closing mid-body is truncation. */
export function asFetchError(error: unknown, phase: 'headers' | 'body', url: string): FetchError {
  if (error instanceof FetchError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const options = { url, cause: error };
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      // Header flood: the server will send the same next time; not worth a retry.
      return new FetchError('too-large', `the response headers exceed ${MAX_HEADER_BYTES} bytes at ${url}`, options);
    case 'ECONNRESET':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      // Node reports a body cut short of its Content-Length (or last chunk) as ECONNRESET "aborted".
      return phase === 'body'
        ? new FetchError('truncated', `the connection closed mid-body at ${url}`, options)
        : new FetchError('network', `${message} at ${url}`, options);
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return new FetchError('dns', `${new URL(url).hostname} does not resolve`, options);
    case 'EAI_AGAIN':
      return new FetchError('dns', `${new URL(url).hostname} did not resolve in time`, { ...options, transient: true });
    default:
      if (TLS_CODE.test(code)) return new FetchError('tls', `${code} at ${url}`, options);
      if (error instanceof Error && error.name === 'AbortError') return new FetchError('timeout', `aborted at ${url}`, options);
      return new FetchError('network', `${code || message} at ${url}`, options);
  }
}
