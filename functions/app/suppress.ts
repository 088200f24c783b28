/**
 * The suppression list: SES reports bounces and complaints through SNS, and an address that
 * bounced for good or complained gets no more mail. Sending to such addresses hurts the
 * sender's reputation and, past AWS's thresholds, gets the SES account paused.
 *
 * Suppression is recorded on every subscription of the address (`suppressed`), which
 * notify.ts and POST /subscriptions honour; a transient bounce (mailbox full) suppresses nothing.
 */
import * as z from 'zod';
import type { PolicyStore, SubscriptionRecord } from '../core/ports.ts';

/**
 * The parts of an SES notification we read. SES identity notifications name the type in
 * `notificationType`; configuration-set event publishing calls it `eventType`.
 */
const SesNotification = z.looseObject({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  bounce: z.looseObject({ bounceType: z.string(), bouncedRecipients: z.array(z.looseObject({ emailAddress: z.string() })) }).optional(),
  complaint: z.looseObject({ complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })) }).optional(),
});

export interface Suppression {
  reason: 'bounce' | 'complaint';
  /** Lower-cased addresses. */
  addresses: string[];
}

/** Malformed feedback: not JSON, or not an SES notification. Retrying would not help. */
export class FeedbackError extends Error {
  override readonly name = 'FeedbackError';
}

/**
 * What an SES notification (the SNS message's `Message` string) asks us to suppress, or undefined
 * when it asks nothing (a delivery, a transient bounce).
 */
export function suppressionOf(message: string): Suppression | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch (error) {
    throw new FeedbackError(`Feedback is not JSON: ${message.slice(0, 80)}`, { cause: error });
  }
  const parsed = SesNotification.safeParse(json);
  if (!parsed.success) throw new FeedbackError(`Feedback is not an SES notification: ${parsed.error.issues[0]?.message ?? ''}`);
  const notification = parsed.data;
  const type = notification.notificationType ?? notification.eventType;
  if (type === 'Bounce' && notification.bounce?.bounceType === 'Permanent') {
    return { reason: 'bounce', addresses: normalized(notification.bounce.bouncedRecipients.map((r) => r.emailAddress)) };
  }
  if (type === 'Complaint' && notification.complaint !== undefined) {
    return { reason: 'complaint', addresses: normalized(notification.complaint.complainedRecipients.map((r) => r.emailAddress)) };
  }
  return undefined;
}

export interface SuppressDeps {
  store: Pick<PolicyStore, 'listSubscriptions' | 'updateSubscription'>;
  now: () => Date;
}

/** Marks every subscription of the suppressed addresses; returns the ids it marked. Idempotent. */
export async function applySuppression(suppression: Suppression, deps: SuppressDeps): Promise<string[]> {
  const addresses = new Set(suppression.addresses);
  const at = deps.now().toISOString();
  const affected = (await deps.store.listSubscriptions()).filter(
    (subscription) => addresses.has(subscription.email.toLowerCase()) && subscription.suppressed === undefined,
  );
  for (const subscription of affected) {
    await deps.store.updateSubscription(subscription.subscriptionId, { suppressed: { reason: suppression.reason, at } });
  }
  return affected.map((subscription) => subscription.subscriptionId);
}

/** True when SES told us to stop mailing this address. */
export function isSuppressed(subscriptions: readonly SubscriptionRecord[], email: string): boolean {
  const address = email.toLowerCase();
  return subscriptions.some((subscription) => subscription.suppressed !== undefined && subscription.email.toLowerCase() === address);
}

function normalized(addresses: string[]): string[] {
  return [...new Set(addresses.map((address) => address.trim().toLowerCase()).filter(Boolean))];
}
