/**
 * The CLI's client of the HTTP API (`policies`, `subscriptions` commands): the same routes and
 * JSON as any other client, with the API Gateway key in `x-api-key`. API errors become one-line
 * CliErrors that name the status and the API's own message.
 */
import { CliError } from './inputs.ts';

export interface ApiTarget {
  /** Base URL, e.g. http://127.0.0.1:3000 or https://…/v1 */
  url: string;
  apiKey?: string;
}

/** Reads --api / POLICY_MONITOR_API and --api-key / POLICY_MONITOR_API_KEY. */
export function apiTarget(options: { api?: string; apiKey?: string }, env: NodeJS.ProcessEnv = process.env): ApiTarget {
  const url = options.api ?? env.POLICY_MONITOR_API;
  if (!url) throw new CliError('no API to talk to: pass --api <url> or set POLICY_MONITOR_API');
  if (!/^https?:\/\//i.test(url)) throw new CliError(`--api must be an http(s) URL, got ${JSON.stringify(url)}`);
  const apiKey = options.apiKey ?? env.POLICY_MONITOR_API_KEY;
  return { url: url.replace(/\/+$/, ''), ...(apiKey ? { apiKey } : {}) };
}

export async function callApi<T>(target: ApiTarget, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(target.apiKey ? { 'x-api-key': target.apiKey } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(`cannot reach the API at ${target.url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new CliError(`API ${method} ${path} answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const error = json as { error?: string; message?: string } | undefined;
    // API Gateway's own refusals (a missing or wrong key) say { message: "Forbidden" }.
    throw new CliError(`API ${response.status} ${error?.error ?? ''}: ${error?.message ?? response.statusText}`.replace(/ +:/, ':'));
  }
  return json as T;
}

/** Every item of a cursor-paginated listing. */
export async function listAll<T>(target: ApiTarget, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await callApi<{ items: T[]; cursor?: string }>(target, 'GET', `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}
