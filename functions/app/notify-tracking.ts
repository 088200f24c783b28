/**
 * "Tracking broken" and "tracking restored" emails, each exactly once per run of failures and
 * subscriber. They go through the same notification log as change alerts (claim → send →
 * markSent, see notify.ts), under a key made of the policy and the time its run of failures
 * began: a redelivered check, a second worker or a later failed check of the same run finds
 * the claim taken and sends nothing; the next run of failures has a key of its own.
 */
import type { PolicyRecord, SubscriptionRecord } from '../core/ports.ts';
import { renderTrackingEmail } from '../core/render-tracking-email.ts';
import { sendOnce, unsubscribeUrl, type NotifyDeps, type NotifyResult } from './notify.ts';

export interface TrackingNotice {
  kind: 'broken' | 'restored';
  policy: Pick<PolicyRecord, 'policyId' | 'name' | 'url'>;
  /** ISO time of the first failure of the run: with the kind, it names the email. */
  failingSince: string;
  failures: number;
  reason: string;
  detail: string;
}

/** The notification log's key for one tracking email; never a 24-hex change id, so never a clash. */
export function trackingNoticeId(notice: Pick<TrackingNotice, 'kind' | 'policy' | 'failingSince'>): string {
  return `tracking-${notice.kind}:${notice.policy.policyId}:${notice.failingSince}`;
}

/** Confirmed subscribers of the policy, whatever their categories: a blind spot concerns them all. */
export function trackingSubscribers(subscriptions: readonly SubscriptionRecord[], policyId: string): SubscriptionRecord[] {
  return subscriptions.filter((subscription) => subscription.confirmed && (subscription.policies === 'all' || subscription.policies.includes(policyId)));
}

/** Sends the notice to every subscriber of the policy who has not had it yet. */
export async function notifyTracking(notice: TrackingNotice, deps: NotifyDeps): Promise<NotifyResult> {
  const result: NotifyResult = { sent: [], alreadyClaimed: [], failed: [] };
  const changeId = trackingNoticeId(notice);
  for (const subscription of trackingSubscribers(await deps.store.listSubscriptions(), notice.policy.policyId)) {
    await sendOnce(deps, { changeId, subscriptionId: subscription.subscriptionId }, subscription.email, result, async () =>
      renderTrackingEmail({
        kind: notice.kind,
        policyName: notice.policy.name,
        policyUrl: notice.policy.url,
        reason: notice.reason,
        detail: notice.detail,
        failures: notice.failures,
        failingSince: notice.failingSince,
        statusUrl: `${deps.publicBaseUrl}/policies/${encodeURIComponent(notice.policy.policyId)}/checks`,
        unsubscribeUrl: await unsubscribeUrl(deps, subscription.subscriptionId),
      }),
    );
  }
  return result;
}
