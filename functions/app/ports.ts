/**
 * Ports the use-cases need beyond functions/core/ports.ts. Kept here until the core ports absorb
 * them; adapters implement them like the core ones.
 */

/** One email's place in the notification log: a change and a subscriber. */
export interface NotificationKey {
  changeId: string;
  subscriptionId: string;
}

/**
 * The notification log, with leases so that a send that fails never blocks its retry and a
 * send that succeeded is never repeated. A record is `sending` (claimed, lease running) or
 * `sent` (final). See functions/app/notify.ts for the protocol.
 */
export interface NotificationLog {
  /**
   * Claims the right to send: succeeds when there is no record, or when the record is `sending`
   * and its lease ended before `at` (the sender crashed). Conditional, so two workers never both
   * win. `token` identifies this claim in markSent and release.
   */
  claim(key: NotificationKey, claim: { token: string; at: string; leaseUntil: string }): Promise<boolean>;
  /** Makes the claim final once the mailer accepted the email. A no-op if the claim was lost. */
  markSent(key: NotificationKey, sent: { token: string; at: string; messageId: string }): Promise<void>;
  /** Drops a `sending` claim after a failed send, so that a retry can claim it at once. */
  release(key: NotificationKey, token: string): Promise<void>;
}
