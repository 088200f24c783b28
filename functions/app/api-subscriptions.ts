/**
 * Subscription routes: double opt-in (POST → confirmation email → GET confirm), the listing,
 * and RFC 8058 unsubscribe. The links in emails carry HMAC-signed tokens (link-tokens.ts).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { SubscriptionRecord } from '../core/ports.ts';
import { renderConfirmationEmail } from '../core/render-email.ts';
import { renderNoticePage } from '../core/render-pages.ts';
import { decodeCursor, encodeCursor } from '../adapters/store-errors.ts';
import { ApiError, htmlPage, requirePolicies, wantsHtml, type ApiDeps } from './api-common.ts';
import { confirmSubscription, createSubscription, listSubscriptions, unsubscribe, unsubscribePage } from './api-routes.ts';
import { checkLinkToken, signLinkToken, type LinkPurpose } from './link-tokens.ts';
import { isSuppressed } from './suppress.ts';

/** How long a confirmation link works: long enough for a weekend, short enough that a leaked old email is useless. */
export const CONFIRMATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function addSubscriptionRoutes(app: OpenAPIHono, deps: ApiDeps): void {
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
      delivery: input.delivery,
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
        delivery: input.delivery,
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
    return c.json(subscription, 201);
  });

  app.openapi(listSubscriptions, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    // The store hands out every subscription at once (the notifier needs them all); page here, by id.
    const after = cursor === undefined ? '' : (decodeCursor(cursor, ['subscriptionId']).subscriptionId ?? '');
    const remaining = (await deps.store.listSubscriptions())
      .filter((subscription) => subscription.subscriptionId > after)
      .sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1));
    // Subscriptions made before digests existed have no delivery: they get one email per change.
    const items = remaining.slice(0, limit).map((subscription) => ({ ...subscription, delivery: subscription.delivery ?? ('each' as const) }));
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
}

/** The subscription id a link's token was signed for; 403 for a forged or expired one. */
async function requireToken(deps: ApiDeps, purpose: LinkPurpose, token: string): Promise<string> {
  const result = checkLinkToken(await deps.linkSecret(), purpose, token, deps.now());
  if (result.ok) return result.subject;
  if (result.reason === 'expired') throw new ApiError(403, 'expired-token', 'This link has expired; subscribe again to get a new confirmation email');
  throw new ApiError(403, 'invalid-token', 'This link is not valid: it was altered, truncated or signed for something else');
}
