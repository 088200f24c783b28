/**
 * The daily digest (issue 5): every confirmed address with `delivery: "daily"` gets one email
 * listing the material changes of the last 24 hours on the policies and categories they follow,
 * or nothing when there were none. notify.ts sends these subscribers no per-change email.
 *
 * Exactly once per subscriber per day, with notify.ts's protocol (claim → send → markSent, or
 * release on a failed send): the notification log key is `digest:<UTC day>` + subscriptionId,
 * so EventBridge's retry of the same tick, or a second concurrent run, finds the claim and sends
 * nothing; a send that failed is released and sent by the retry.
 */
import type { ChangeRecord, PolicyStore, SubscriptionRecord } from '../core/ports.ts';
import { renderDigestEmail } from '../core/render-digest.ts';
import { signedViewUrl } from './link-tokens.ts';
import { sendOnce, subscriberWants, unsubscribeUrl, type NotifyDeps, type NotifyResult } from './notify.ts';
import type { NotificationKey } from './ports.ts';
import { changesDetectedBetween } from './recent-changes.ts';

const HOUR_MS = 60 * 60 * 1000;
export const DIGEST_HOURS = 24;

export interface DigestDeps extends Omit<NotifyDeps, 'store'> {
  store: Pick<PolicyStore, 'listSubscriptions' | 'listPolicies' | 'listChanges'>;
}

/** Like notify's: `sent`, `alreadyClaimed` and `failed` digests, keyed `digest:<day>` + subscriber. */
export type DigestResult = NotifyResult;

/** The notification log key of one subscriber's digest of one UTC day. */
export function digestKey(day: string, subscriptionId: string): NotificationKey {
  return { changeId: `digest:${day}`, subscriptionId };
}

/**
 * Sends the digests due at `now`. The window is the 24 hours before `now` rounded down to the
 * hour, so a retry minutes later covers the same changes, and consecutive daily runs (EventBridge
 * starts a few seconds late, never the same amount) leave no gap and no overlap.
 */
export async function sendDailyDigests(deps: DigestDeps, now: Date): Promise<DigestResult> {
  const result: DigestResult = { sent: [], alreadyClaimed: [], failed: [] };
  const subscribers = (await deps.store.listSubscriptions()).filter(
    (subscription) => subscription.delivery === 'daily' && subscription.confirmed && subscription.suppressed === undefined,
  );
  if (subscribers.length === 0) return result;
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const changes = await changesDetectedBetween(deps.store, new Date(to.getTime() - DIGEST_HOURS * HOUR_MS), to);
  const day = to.toISOString().slice(0, 10);
  for (const subscriptions of byAddress(subscribers)) {
    // One digest per address, as notify sends one email per change and address: the union of
    // what its daily subscriptions follow, under the lowest id among those with something to
    // say, so that a retry picks the same key (and unsubscribe link).
    const contributing = subscriptions.filter((subscription) => changes.some((change) => subscriberWants(subscription, change)));
    const [subscription] = contributing;
    if (subscription === undefined) continue;
    const wanted = changes.filter((change) => contributing.some((candidate) => subscriberWants(candidate, change)));
    await sendOnce(deps, digestKey(day, subscription.subscriptionId), subscription.email, result, () => renderDigest(deps, subscription, wanted));
  }
  return result;
}

/** The digest with the same signed links as a change email: the diff pages and the unsubscribe link. */
async function renderDigest(deps: DigestDeps, subscription: SubscriptionRecord, changes: readonly ChangeRecord[]) {
  const secret = await deps.unsubscribeSecret();
  return renderDigestEmail({
    hours: DIGEST_HOURS,
    entries: changes.map((change) => ({
      policyId: change.policyId,
      policyName: change.policyName,
      change,
      viewUrl: signedViewUrl(deps.publicBaseUrl, secret, 'change', change.changeId),
    })),
    unsubscribeUrl: await unsubscribeUrl(deps, subscription.subscriptionId),
  });
}

/** Subscriptions grouped by address (case-insensitive), each group sorted by id. */
function byAddress(subscriptions: readonly SubscriptionRecord[]): SubscriptionRecord[][] {
  const groups = new Map<string, SubscriptionRecord[]>();
  for (const subscription of [...subscriptions].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1))) {
    const address = subscription.email.toLowerCase();
    groups.set(address, [...(groups.get(address) ?? []), subscription]);
  }
  return [...groups.values()];
}
