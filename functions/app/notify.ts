/**
 * Change records → one email per (change, confirmed subscriber whose filters match), exactly once.
 *
 * Protocol, per email (the notification log is keyed by changeId + subscriptionId):
 * 1. claim: a conditional write that succeeds only when there is no record, or the record is
 *    `sending` and its lease ended (its sender crashed). A `sent` record is final.
 * 2. send through the mailer.
 * 3. on success: markSent (the record becomes final). On a send error: release (the record is
 *    deleted), so the SQS redelivery of the check can claim it again at once.
 *
 * A redelivered message therefore never sends twice; a failed send never blocks its retry. The one
 * window left is a crash after SES accepted the email and before markSent: the lease then runs
 * out and a retry sends again. That is at-least-once in a crash, never in normal operation, and
 * the lease is short enough that the mail still goes out on the next delivery. (Sending first and
 * claiming after would double-send on every redelivery that follows a claim failure.)
 */
import { renderAlertEmail } from '../core/render-email.ts';
import type { ChangeRecord, Mailer, OutgoingEmail, PolicyStore, SubscriptionRecord } from '../core/ports.ts';
import { signLinkToken, signedViewUrl } from './link-tokens.ts';
import type { NotificationKey, NotificationLog } from './ports.ts';

/** How long a claim holds before another worker may take it over: far above one SES call. */
export const DEFAULT_LEASE_MS = 2 * 60 * 1000;

export interface NotifyDeps {
  store: Pick<PolicyStore, 'listSubscriptions'>;
  notifications: NotificationLog;
  mailer: Mailer;
  now: () => Date;
  /** A unique id per claim, e.g. crypto.randomUUID. */
  newClaimToken: () => string;
  /** Base of the links in emails, without a trailing slash. */
  publicBaseUrl: string;
  /** The HMAC key that signs the unsubscribe and diff-page links; resolved only when there is mail to send. */
  unsubscribeSecret: () => Promise<string>;
  /** @default DEFAULT_LEASE_MS */
  leaseMs?: number;
}

export interface NotifyResult {
  /** Emails the mailer accepted in this run. */
  sent: NotificationKey[];
  /** Emails already sent (or being sent) by an earlier delivery. */
  alreadyClaimed: NotificationKey[];
  /** Emails whose send failed; their claims were released for the retry. */
  failed: (NotificationKey & { error: unknown })[];
}

/** Some emails could not be sent; the others were. Retrying the same changes sends only the rest. */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';

  constructor(readonly failed: NotifyResult['failed']) {
    const first = failed[0]?.error;
    super(`Notify failed: ${failed.length} email(s) not sent (first error: ${first instanceof Error ? first.message : String(first)})`);
  }
}

/** Does this subscriber want to hear about this change? Unconfirmed and suppressed addresses never do. */
export function subscriberWants(subscription: SubscriptionRecord, change: Pick<ChangeRecord, 'policyId' | 'categories' | 'material'>): boolean {
  if (!subscription.confirmed || subscription.suppressed !== undefined || !change.material) return false;
  if (subscription.policies !== 'all' && !subscription.policies.includes(change.policyId)) return false;
  if (subscription.categories === 'material') return true;
  const wanted = new Set<string>(subscription.categories);
  return change.categories.some((category) => wanted.has(category));
}

/** Sends every email the changes call for; see the module comment for the exactly-once protocol. */
export async function notifyChanges(changes: readonly ChangeRecord[], deps: NotifyDeps): Promise<NotifyResult> {
  const result: NotifyResult = { sent: [], alreadyClaimed: [], failed: [] };
  if (changes.length === 0) return result;
  const subscriptions = await deps.store.listSubscriptions();
  for (const change of changes) {
    // Daily subscribers hear about the change in the next digest (digest.ts), not now.
    const immediate = subscriptions.filter((candidate) => candidate.delivery !== 'daily' && subscriberWants(candidate, change));
    for (const subscription of onePerAddress(immediate)) {
      await sendOnce(deps, { changeId: change.changeId, subscriptionId: subscription.subscriptionId }, subscription.email, result, async () =>
        renderAlertEmail({
          policyName: change.policyName,
          change,
          viewUrl: signedViewUrl(deps.publicBaseUrl, await deps.unsubscribeSecret(), 'change', change.changeId),
          unsubscribeUrl: await unsubscribeUrl(deps, subscription.subscriptionId),
        }),
      );
    }
  }
  return result;
}

/** The signed one-click unsubscribe link of a subscription, as every email carries it. */
export async function unsubscribeUrl(deps: Pick<NotifyDeps, 'publicBaseUrl' | 'unsubscribeSecret'>, subscriptionId: string): Promise<string> {
  return `${deps.publicBaseUrl}/unsubscribe?token=${signLinkToken(await deps.unsubscribeSecret(), 'unsubscribe', subscriptionId)}`;
}

/**
 * One email, exactly once (the protocol in the module comment): claim `key`, render and send,
 * then mark it sent; a failed render or send releases the claim so a retry sends it. Change
 * emails, tracking notices and digests all go through here; the outcome is added to `result`.
 */
export async function sendOnce(
  deps: Pick<NotifyDeps, 'notifications' | 'mailer' | 'now' | 'newClaimToken' | 'leaseMs'>,
  key: NotificationKey,
  to: string,
  result: NotifyResult,
  render: () => Promise<Omit<OutgoingEmail, 'to'>>,
): Promise<void> {
  const token = deps.newClaimToken();
  const claimedAt = deps.now();
  const leaseUntil = new Date(claimedAt.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  if (!(await deps.notifications.claim(key, { token, at: claimedAt.toISOString(), leaseUntil }))) {
    result.alreadyClaimed.push(key);
    return;
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ to, ...(await render()) }));
  } catch (error) {
    await deps.notifications.release(key, token);
    result.failed.push({ ...key, error });
    return;
  }
  await deps.notifications.markSent(key, { token, at: deps.now().toISOString(), messageId });
  result.sent.push(key);
}

/**
 * One subscription per address: someone subscribed twice with overlapping filters gets one email
 * per change. The lowest id wins, so a redelivery picks the same one and its claim holds.
 */
function onePerAddress(subscriptions: readonly SubscriptionRecord[]): SubscriptionRecord[] {
  const chosen = new Map<string, SubscriptionRecord>();
  for (const subscription of [...subscriptions].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1))) {
    const address = subscription.email.toLowerCase();
    if (!chosen.has(address)) chosen.set(address, subscription);
  }
  return [...chosen.values()];
}
