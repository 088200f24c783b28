/**
 * What the API's route modules share: the dependencies, the error type every handler throws,
 * and the small helpers for policies, HTML pages and signed links.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Mailer, PolicyRecord, PolicyStore, SnapshotStore } from '../core/ports.ts';
import { PAGE_CSP } from '../core/render-pages.ts';
import { signedViewUrl } from './link-tokens.ts';

export interface ApiDeps {
  store: PolicyStore;
  snapshots: SnapshotStore;
  now: () => Date;
  /** Ids of new subscriptions, e.g. crypto.randomUUID. */
  newId: () => string;
  /** Sends the confirmation emails of new subscriptions. */
  mailer: Mailer;
  /** Base of the links in emails and pages, without a trailing slash. */
  publicBaseUrl: string;
  /** The HMAC key of confirmation, unsubscribe and view links; resolved when a link is signed or checked. */
  linkSecret: () => Promise<string>;
  /** Where unexpected errors go (their details never reach the client). */
  logError?: (message: string, error: unknown) => void;
}

/** An error with its HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function requirePolicy(deps: ApiDeps, policyId: string): Promise<PolicyRecord> {
  const policy = await deps.store.getPolicy(policyId);
  if (policy === undefined) throw new ApiError(404, 'not-found', `No policy "${policyId}"`);
  return policy;
}

export async function requirePolicies(deps: ApiDeps, policyIds: string[]): Promise<PolicyRecord[]> {
  const found = await Promise.all(policyIds.map((policyId) => deps.store.getPolicy(policyId)));
  const unknown = policyIds.filter((_, index) => found[index] === undefined);
  if (unknown.length > 0) throw new ApiError(422, 'unknown-policy', `No such policies: ${unknown.join(', ')}`);
  return found as PolicyRecord[];
}

/** Browsers ask for HTML first; programs (curl, mail clients doing one-click POSTs) get JSON. */
export function wantsHtml(c: Context): boolean {
  return /\btext\/html\b/.test(c.req.header('accept') ?? '');
}

/** An HTML page under a CSP that lets nothing load and forms post back here only. */
export function htmlPage(c: Context, html: string) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(html, 200);
}

/** A signed link to a diff page, for emails, feeds and `viewUrl`. */
export async function viewLink(deps: ApiDeps, kind: 'change' | 'policy', id: string): Promise<string> {
  return signedViewUrl(deps.publicBaseUrl, await deps.linkSecret(), kind, id);
}
