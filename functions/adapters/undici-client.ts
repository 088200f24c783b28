/**
 * The two pieces of undici the fetcher uses, an Agent and `request`, imported from their own
 * modules. undici's index also loads fetch, WebSocket, EventSource, the HTTP caches and the mocks:
 * about 240 KB of the check Lambda's bundle, and their load time on every cold start. The deep
 * paths are those of the pinned undici version (package.json); the types are undici's own.
 */
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
// @ts-expect-error -- undici ships no declarations for its internal modules; typed below.
import AgentModule from 'undici/lib/dispatcher/agent.js';
// @ts-expect-error -- as above.
import requestModule from 'undici/lib/api/api-request.js';

export const Agent = AgentModule as typeof UndiciAgent;
export type Agent = UndiciAgent;

type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method?: Dispatcher.HttpMethod };

/** undici's `request(url, { dispatcher, … })`, with the URL split the way undici's index splits it. */
export function request(url: URL, { dispatcher, ...options }: RequestOptions & { dispatcher: Dispatcher }): Promise<Dispatcher.ResponseData> {
  const call = requestModule as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  return call.call(dispatcher, { ...options, origin: url.origin, path: url.search ? `${url.pathname}${url.search}` : url.pathname, method: options.method ?? 'GET' });
}
