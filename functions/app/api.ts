/**
 * The HTTP API (DESIGN.md §3) as a Hono app with OpenAPI routes: every request is validated by
 * the zod schemas in api-schemas.ts, which also produce GET /openapi.json. Errors are JSON
 * `{ error, message }` and never carry a stack trace. I/O goes through the ports only, so the
 * same app runs in Lambda (functions/handlers/api.ts), in `npm start` and in tests.
 */
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ChangeRecord, Mailer, PolicyRecord, PolicyStore, SnapshotRecord, SnapshotStore, SubscriptionRecord } from '../core/ports.ts';
import { renderConfirmationEmail } from '../core/render-email.ts';
import { renderChangesFeed } from '../core/render-feed.ts';
import { renderChangePage, renderPolicyPage } from '../core/render-view.ts';
import { PAGE_CSP, renderNoticePage } from '../core/render-pages.ts';
import { slugify } from '../core/text.ts';
import { InvalidCursorError, RecordNotFoundError, StoreInputError, decodeCursor, encodeCursor } from '../adapters/store-errors.ts';
import {
  approveBaselineRoute,
  changeView,
  confirmSubscription,
  createPolicy,
  createSubscription,
  deletePolicy,
  feed,
  getChange,
  getPolicy,
  getSnapshot,
  listChanges,
  listChecks,
  listPolicies,
  listSnapshots,
  listSubscriptions,
  policyAsOf,
  policyFeed,
  policyView,
  unsubscribe,
  unsubscribePage,
} from './api-routes.ts';
import { PolicyIdSchema } from './api-schemas.ts';
import { approveBaseline, snapshotAsOf } from './baseline.ts';
import { checkLinkToken, signLinkToken, signedViewUrl, type LinkPurpose } from './link-tokens.ts';
import { recentChanges } from './recent-changes.ts';
import { isSuppressed } from './suppress.ts';

/** Request bodies are small JSON documents; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Entries in a feed and changes on one timeline page. */
const FEED_ENTRIES = 50;
const TIMELINE_PAGE = 20;
/** How long a confirmation link works: long enough for a weekend, short enough that a leaked old email is useless. */
export const CONFIRMATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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
  /** The HMAC key of confirmation and unsubscribe links; resolved when a link is signed or checked. */
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

export function createApp(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      // A JSON body that parses but does not fit is unprocessable; a bad path or query is a bad request.
      const status = result.target === 'json' ? 422 : 400;
      throw new ApiError(status, status === 422 ? 'invalid-body' : 'bad-request', describeIssues(result.target, result.error));
    },
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'body-too-large', `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.openapi(listPolicies, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    return c.json(await deps.store.listPolicies(cursor, limit), 200);
  });

  app.openapi(createPolicy, async (c) => {
    const input = c.req.valid('json');
    const policyId = input.policyId ?? slugify(input.name);
    if (!PolicyIdSchema.safeParse(policyId).success) {
      throw new ApiError(422, 'invalid-body', `body.policyId: the name gives no usable id ("${policyId}"); pass a policyId`);
    }
    // Read-then-write: two simultaneous registrations of one id may both succeed, the last one winning.
    if ((await deps.store.getPolicy(policyId)) !== undefined) throw new ApiError(409, 'conflict', `A policy "${policyId}" exists already`);
    const policy: PolicyRecord = {
      policyId,
      name: input.name,
      url: input.url,
      ...(input.format ? { format: input.format } : {}),
      ...(input.select ? { select: input.select } : {}),
      intervalHours: input.intervalHours,
      createdAt: deps.now().toISOString(),
      consecutiveFailures: 0,
      status: 'ok',
    };
    await deps.store.putPolicy(policy);
    c.header('Location', `/policies/${policyId}`);
    return c.json(policy, 201);
  });

  app.openapi(getPolicy, async (c) => {
    const policy = await requirePolicy(deps, c.req.valid('param').id);
    return c.json({ ...policy, viewUrl: await viewLink(deps, 'policy', policy.policyId) }, 200);
  });

  app.openapi(deletePolicy, async (c) => {
    const { id } = c.req.valid('param');
    await requirePolicy(deps, id);
    await deps.store.deletePolicy(id);
    return c.body(null, 204);
  });

  app.openapi(listSnapshots, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await requirePolicy(deps, id);
    return c.json(await deps.store.listSnapshots(id, cursor, limit), 200);
  });

  app.openapi(getSnapshot, async (c) => {
    const { id, snapshotId } = c.req.valid('param');
    const snapshot = await deps.store.getSnapshot(id, snapshotId);
    if (snapshot === undefined) throw new ApiError(404, 'not-found', `Policy "${id}" has no snapshot ${snapshotId}`);
    if (c.req.valid('query').format === 'raw') {
      const raw = await deps.snapshots.getRaw(id, snapshotId);
      if (raw === undefined) throw new ApiError(404, 'not-found', `The raw body of snapshot ${snapshotId} is not in storage`);
      // Third-party markup: served as text, never rendered under the API's origin (stored XSS).
      c.header('X-Snapshot-Content-Type', raw.contentType);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.text(new TextDecoder().decode(raw.body), 200);
    }
    return c.json(await normalizedView(deps, snapshot), 200);
  });

  app.openapi(listChanges, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await requirePolicy(deps, id);
    return c.json(await deps.store.listChanges(id, cursor, limit), 200);
  });

  app.openapi(getChange, async (c) => {
    const { changeId } = c.req.valid('param');
    const change = await deps.store.getChange(changeId);
    if (change === undefined) throw new ApiError(404, 'not-found', `No change ${changeId}`);
    return c.json(change, 200);
  });

  app.openapi(listChecks, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await requirePolicy(deps, id);
    return c.json(await deps.store.listChecks(id, cursor, limit), 200);
  });

  app.openapi(createSubscription, async (c) => {
    const input = c.req.valid('json');
    const policies = input.policies === 'all' ? ('all' as const) : await requirePolicies(deps, input.policies);
    if (isSuppressed(await deps.store.listSubscriptions(), input.email)) {
      throw new ApiError(409, 'suppressed', 'This address bounced or complained about earlier mail; no mail is sent to it');
    }
    const now = deps.now();
    const subscription: SubscriptionRecord = {
      subscriptionId: deps.newId(),
      email: input.email,
      policies: input.policies,
      categories: input.categories,
      confirmed: false,
      createdAt: now.toISOString(),
    };
    await deps.store.putSubscription(subscription);
    const expiresAt = new Date(now.getTime() + CONFIRMATION_TTL_MS);
    const token = signLinkToken(await deps.linkSecret(), 'confirm', subscription.subscriptionId, expiresAt);
    try {
      const email = renderConfirmationEmail({
        policies: policies === 'all' ? 'all' : policies.map((policy) => policy.name),
        categories: input.categories,
        confirmUrl: `${deps.publicBaseUrl}/subscriptions/confirm?token=${token}`,
        expiresAt: expiresAt.toISOString(),
      });
      await deps.mailer.send({ to: subscription.email, ...email });
    } catch (error) {
      // Nothing half-done: without its email a pending subscription could never be confirmed.
      await deps.store.deleteSubscription(subscription.subscriptionId);
      deps.logError?.('Confirmation email failed', error);
      throw new ApiError(503, 'mail-failed', 'The confirmation email could not be sent; nothing was stored, please try again');
    }
    c.header('Location', `/subscriptions/${subscription.subscriptionId}`);
    return c.json(subscription, 201);
  });

  app.openapi(listSubscriptions, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    // The store hands out every subscription at once (the notifier needs them all); page here, by id.
    const after = cursor === undefined ? '' : (decodeCursor(cursor, ['subscriptionId']).subscriptionId ?? '');
    const remaining = (await deps.store.listSubscriptions())
      .filter((subscription) => subscription.subscriptionId > after)
      .sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1));
    const items = remaining.slice(0, limit);
    const last = items[items.length - 1];
    return c.json(remaining.length > limit && last ? { items, cursor: encodeCursor({ subscriptionId: last.subscriptionId }) } : { items }, 200);
  });

  app.openapi(confirmSubscription, async (c) => {
    const subscriptionId = await requireToken(deps, 'confirm', c.req.valid('query').token);
    const subscription = await deps.store.getSubscription(subscriptionId);
    if (subscription === undefined) throw new ApiError(404, 'not-found', 'This subscription no longer exists; it was unsubscribed');
    if (subscription.suppressed !== undefined) throw new ApiError(409, 'suppressed', 'This address bounced or complained about earlier mail; no mail is sent to it');
    const confirmed: SubscriptionRecord = subscription.confirmed ? subscription : { ...subscription, confirmed: true, confirmedAt: deps.now().toISOString() };
    if (!subscription.confirmed) await deps.store.updateSubscription(subscriptionId, { confirmed: true, confirmedAt: confirmed.confirmedAt });
    if (wantsHtml(c)) {
      return htmlPage(c, renderNoticePage({ title: 'Subscription confirmed', paragraphs: [`${confirmed.email} will be emailed when a tracked policy changes.`, 'Every email has a link to unsubscribe.'] }));
    }
    return c.json(confirmed, 200);
  });

  app.openapi(unsubscribePage, async (c) => {
    const { token } = c.req.valid('query');
    const subscription = await deps.store.getSubscription(await requireToken(deps, 'unsubscribe', token));
    const message = subscription === undefined ? 'You are not subscribed (any more).' : `Stop emailing ${subscription.email} about policy changes?`;
    if (wantsHtml(c)) {
      const page = renderNoticePage({
        title: subscription === undefined ? 'Unsubscribed' : 'Unsubscribe',
        paragraphs: [message],
        ...(subscription !== undefined ? { postButton: { url: `${deps.publicBaseUrl}/unsubscribe?token=${token}`, label: 'Unsubscribe' } } : {}),
      });
      return htmlPage(c, page);
    }
    return c.json({ unsubscribed: subscription === undefined, message: subscription === undefined ? message : 'POST to this URL to unsubscribe' }, 200);
  });

  app.openapi(unsubscribe, async (c) => {
    // RFC 8058: the body is `List-Unsubscribe=One-Click`; the signed token alone decides.
    const subscriptionId = await requireToken(deps, 'unsubscribe', c.req.valid('query').token);
    await deps.store.deleteSubscription(subscriptionId);
    const message = 'You will get no more policy-change emails.';
    if (wantsHtml(c)) return htmlPage(c, renderNoticePage({ title: 'Unsubscribed', paragraphs: [message] }));
    return c.json({ unsubscribed: true, message }, 200);
  });

  app.openapi(policyAsOf, async (c) => {
    const { id } = c.req.valid('param');
    const { date } = c.req.valid('query');
    await requirePolicy(deps, id);
    // A bare day means "on that day": the version in force at its end (UTC).
    const at = new Date(date.length === 10 ? `${date}T23:59:59.999Z` : date);
    const snapshot = await snapshotAsOf(deps.store, id, at);
    if (snapshot === undefined) throw new ApiError(404, 'not-found', `Policy "${id}" has no snapshot from ${date} or earlier`);
    return c.json(await normalizedView(deps, snapshot), 200);
  });

  app.openapi(approveBaselineRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const apiKeyId = apiKeyIdOf(c);
    const outcome = await approveBaseline(id, { ...body, ...(apiKeyId ? { apiKeyId } : {}) }, deps);
    if (outcome.status === 'approved') return c.json(outcome.policy, 200);
    if (outcome.status === 'already-baseline') throw new ApiError(409, 'conflict', `Snapshot ${body.snapshotId} is the baseline already`);
    throw new ApiError(404, 'not-found', outcome.status === 'no-policy' ? `No policy "${id}"` : `Policy "${id}" has no snapshot ${body.snapshotId}`);
  });

  app.openapi(changeView, async (c) => {
    const { changeId } = c.req.valid('param');
    await requireViewToken(deps, 'change', changeId, c.req.valid('query').token);
    const change = await deps.store.getChange(changeId);
    if (change === undefined) throw new ApiError(404, 'not-found', `No change ${changeId}`);
    return htmlPage(c, renderChangePage({ change, policyViewUrl: await viewLink(deps, 'policy', change.policyId) }));
  });

  app.openapi(policyView, async (c) => {
    const { id } = c.req.valid('param');
    const { token, cursor } = c.req.valid('query');
    await requireViewToken(deps, 'policy', id, token);
    const policy = await requirePolicy(deps, id);
    const page = await deps.store.listChanges(id, cursor, TIMELINE_PAGE);
    const changeLinks = new Map(await Promise.all(page.items.map(async (change) => [change.changeId, await viewLink(deps, 'change', change.changeId)] as const)));
    const olderUrl = page.cursor === undefined ? undefined : `${await viewLink(deps, 'policy', id)}&cursor=${encodeURIComponent(page.cursor)}`;
    return htmlPage(
      c,
      renderPolicyPage({ policy, changes: page.items, changeUrl: (changeId) => changeLinks.get(changeId) ?? '', ...(olderUrl ? { olderUrl } : {}) }),
    );
  });

  app.openapi(feed, async (c) => {
    const changes = await recentChanges(deps.store, FEED_ENTRIES);
    return atomResponse(c, await changesFeed(deps, { title: 'Policy changes', selfUrl: `${deps.publicBaseUrl}/feed.atom`, pageUrl: `${deps.publicBaseUrl}/feed.atom`, changes }));
  });

  app.openapi(policyFeed, async (c) => {
    const policy = await requirePolicy(deps, c.req.valid('param').id);
    const { items } = await deps.store.listChanges(policy.policyId, undefined, FEED_ENTRIES);
    return atomResponse(
      c,
      await changesFeed(deps, {
        title: `${policy.name}: changes`,
        selfUrl: `${deps.publicBaseUrl}/policies/${policy.policyId}/feed.atom`,
        pageUrl: await viewLink(deps, 'policy', policy.policyId),
        changes: items,
      }),
    );
  });

  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'Policy monitor API', version: '0.1.0', description: 'Tracked privacy policies, their snapshots, checks and material changes.' },
    security: [{ apiKey: [] }],
  });
  // API Gateway checks the key (header x-api-key) before the function runs; email links are exempt.
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });

  app.notFound((c) => c.json({ error: 'not-found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(c, error, deps));
  return app;
}

async function requirePolicies(deps: ApiDeps, policyIds: string[]): Promise<PolicyRecord[]> {
  const found = await Promise.all(policyIds.map((policyId) => deps.store.getPolicy(policyId)));
  const unknown = policyIds.filter((_, index) => found[index] === undefined);
  if (unknown.length > 0) throw new ApiError(422, 'unknown-policy', `No such policies: ${unknown.join(', ')}`);
  return found as PolicyRecord[];
}

/** The subscription id a link's token was signed for; 403 for a forged or expired one. */
async function requireToken(deps: ApiDeps, purpose: LinkPurpose, token: string): Promise<string> {
  const result = checkLinkToken(await deps.linkSecret(), purpose, token, deps.now());
  if (result.ok) return result.subscriptionId;
  if (result.reason === 'expired') throw new ApiError(403, 'expired-token', 'This link has expired; subscribe again to get a new confirmation email');
  throw new ApiError(403, 'invalid-token', 'This link is not valid: it was altered, truncated or signed for something else');
}

async function viewLink(deps: ApiDeps, kind: 'change' | 'policy', id: string): Promise<string> {
  return signedViewUrl(deps.publicBaseUrl, await deps.linkSecret(), kind, id);
}

/** The diff pages are opened from emails and feeds by people without an API key: the signed token is their credential. */
async function requireViewToken(deps: ApiDeps, kind: 'change' | 'policy', id: string, token: string | undefined): Promise<void> {
  if (token === undefined) throw new ApiError(401, 'token-required', 'This page needs the signed link from an email or a feed, or the viewUrl of GET /policies/{id}');
  const result = checkLinkToken(await deps.linkSecret(), 'view', token, deps.now());
  if (!result.ok || result.subscriptionId !== `${kind}:${id}`) throw new ApiError(403, 'invalid-token', 'This link is not valid for this page');
}

async function changesFeed(deps: ApiDeps, input: { title: string; selfUrl: string; pageUrl: string; changes: ChangeRecord[] }): Promise<string> {
  const links = new Map(await Promise.all(input.changes.map(async (change) => [change.changeId, await viewLink(deps, 'change', change.changeId)] as const)));
  return renderChangesFeed({ ...input, changeUrl: (changeId) => links.get(changeId) ?? '', now: deps.now() });
}

function atomResponse(c: Context, xml: string) {
  return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
}

async function normalizedView(deps: ApiDeps, snapshot: SnapshotRecord) {
  const { policyId, snapshotId } = snapshot;
  const normalized = await deps.snapshots.getNormalized(policyId, snapshotId);
  if (normalized === undefined) throw new ApiError(404, 'not-found', `The normalized form of snapshot ${snapshotId} is not in storage`);
  return {
    snapshot,
    title: normalized.document.title,
    effectiveDate: normalized.document.effectiveDate ?? null,
    text: normalized.sections.map((section) => `${section.path.join(' › ')}\n\n${section.text}`).join('\n\n'),
    sections: normalized.sections,
  };
}

/** Browsers ask for HTML first; programs (curl, mail clients doing one-click POSTs) get JSON. */
function wantsHtml(c: Context): boolean {
  return /\btext\/html\b/.test(c.req.header('accept') ?? '');
}

/** An HTML page under a CSP that lets nothing load and forms post back here only. */
function htmlPage(c: Context, html: string) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(html, 200);
}

/** The API key id API Gateway puts in the Lambda event (hono/aws-lambda passes it as env.event). */
function apiKeyIdOf(c: Context): string | undefined {
  const event = (c.env as { event?: { requestContext?: { identity?: { apiKeyId?: unknown } } } } | undefined)?.event;
  const id = event?.requestContext?.identity?.apiKeyId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

async function requirePolicy(deps: ApiDeps, policyId: string): Promise<PolicyRecord> {
  const policy = await deps.store.getPolicy(policyId);
  if (policy === undefined) throw new ApiError(404, 'not-found', `No policy "${policyId}"`);
  return policy;
}

function errorResponse(c: Context, error: Error, deps: ApiDeps): Response {
  if (error instanceof ApiError) return c.json({ error: error.code, message: error.message }, error.status);
  if (error instanceof InvalidCursorError || error instanceof StoreInputError) return c.json({ error: 'bad-request', message: error.message }, 400);
  if (error instanceof RecordNotFoundError) return c.json({ error: 'not-found', message: error.message }, 404);
  if (error instanceof HTTPException) {
    // Hono's own: e.g. "Malformed JSON in request body" (400).
    const status = error.status as ContentfulStatusCode;
    return c.json({ error: status === 400 ? 'bad-request' : 'http-error', message: error.message || 'Request failed' }, status);
  }
  deps.logError?.('Unhandled API error', error);
  return c.json({ error: 'internal', message: 'Internal error' }, 500);
}

function describeIssues(target: string, error: z.ZodError): string {
  const where = target === 'json' ? 'body' : target;
  return error.issues
    .slice(0, 5)
    .map((issue) => `${where}${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`)
    .join('; ');
}
