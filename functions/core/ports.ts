/**
 * Narrow interfaces the engine and handlers depend on. Each outside system implements one of
 * them in `functions/adapters/` (one file per system); tests pass emulator-backed or in-memory ones.
 */
import type { Category, Change, InputFormat, PolicyDocument, Section } from './types.ts';

/** A tracked policy, as registered (seeds, API or CLI). */
export interface PolicyRecord {
  policyId: string;
  name: string;
  url: string;
  format?: InputFormat;
  /** Optional CSS selector for HTML pages: only this part of the page is the policy. */
  select?: string;
  /** True when the site owner agreed to monitoring although robots.txt disallows it. @default false */
  ignoreRobots?: boolean;
  /** Hours between checks. @default 12 (twice a day) */
  intervalHours: number;
  createdAt: string;
  /** Snapshot id (content sha256) of the approved baseline; the next diff is against it. */
  baselineSnapshotId?: string;
  /** The latest approval of a baseline; absent while the first version seen is the baseline. */
  baselineApproval?: BaselineApproval;
  /** Every approval, oldest first: the audit trail of what was accepted, by whom and why. */
  baselineApprovals?: BaselineApproval[];
  lastSnapshotId?: string;
  lastCheckedAt?: string;
  /** Validators from the last successful fetch, for conditional GET. */
  etag?: string;
  lastModified?: string;
  /** Failed checks in a row; a redelivery of the same scheduled check counts once. */
  consecutiveFailures: number;
  /** `failing` after a failed check; `broken` after `brokenAfterFailures` in a row (subscribers were told). */
  status: 'ok' | 'failing' | 'broken';
  /** When the current run of failed checks began; absent while checks succeed. */
  failingSince?: string;
  /** No check before this time: the server's Retry-After (429/503), longer than a fetch waits in-process. */
  retryAfter?: string;
  /** The latest failed check, kept after recovery: why the page was not accepted as the policy. */
  lastFailure?: PolicyFailure;
}

/** A recorded fetch failure: never a change, never an alert. */
export interface PolicyFailure {
  /** When the check ran. */
  at: string;
  /** Stable, machine-readable: a FetchReason (`bot-challenge`, `shrunk`, `refused-address`…), `http-<status>`, `volatile` or `unreadable`. */
  reason: string;
  /** One line on what was seen. */
  detail: string;
  /** The scheduler's time of the check message, so that its redelivery is not counted again. */
  scheduledAt?: string;
}

/** Someone accepted a snapshot as the policy's baseline: later checks diff against it. */
export interface BaselineApproval {
  snapshotId: string;
  /** The baseline it replaced. */
  previousSnapshotId?: string;
  approvedBy: string;
  approvedAt: string;
  reason: string;
  /** The API Gateway key of the request, when the API runs behind one. */
  apiKeyId?: string;
}

/** One distinct version of a policy as fetched. `snapshotId` is the sha256 of the raw body. */
export interface SnapshotRecord {
  policyId: string;
  snapshotId: string;
  fetchedAt: string;
  contentType: string;
  bytes: number;
  title: string;
  effectiveDate: string | null;
  rawKey: string;
  normalizedKey: string;
}

/** What a check found; one per check, changed or not (the audit trail of "we looked"). */
export interface CheckRecord {
  policyId: string;
  checkedAt: string;
  outcome: 'baseline' | 'unchanged' | 'changed' | 'cosmetic' | 'failed';
  snapshotId?: string;
  /** For failures: the reason, e.g. "bot-challenge", "shrunk", "http-503" (see PolicyFailure.reason). */
  reason?: string;
  materialChanges?: number;
  notes?: string[];
}

/** A stored change: the engine's Change plus where it came from. */
export interface ChangeRecord extends Change {
  changeId: string;
  policyId: string;
  policyName: string;
  snapshotId: string;
  baselineSnapshotId: string;
  detectedAt: string;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  email: string;
  policies: string[] | 'all';
  /** Categories to hear about; 'material' = every material change. */
  categories: Category[] | 'material';
  /** Double opt-in: false until the address follows the signed link in the confirmation email. */
  confirmed: boolean;
  createdAt: string;
  confirmedAt?: string;
  /** Set when SES reported a permanent bounce or a complaint for the address: nothing is sent to it any more. */
  suppressed?: { reason: 'bounce' | 'complaint'; at: string };
  /** `each`: one email per change; `daily`: one digest a day (functions/app/digest.ts). Absent on older records: each. */
  delivery?: Delivery;
}

/** How a subscriber hears about changes. */
export const DELIVERIES = ['each', 'daily'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** The normalized form of a snapshot, stored beside the raw body. */
export interface NormalizedSnapshot {
  document: PolicyDocument;
  sections: Section[];
  /** The engine's ENGINE_VERSION that read it; absent in snapshots stored before versions existed. */
  engineVersion?: number;
}

export interface SnapshotStore {
  /** Stores the raw body under raw/{policyId}/{sha256}; writes nothing when that key exists. */
  putRaw(policyId: string, snapshotId: string, body: Uint8Array, contentType: string): Promise<{ key: string; written: boolean }>;
  putNormalized(policyId: string, snapshotId: string, normalized: NormalizedSnapshot): Promise<{ key: string; written: boolean }>;
  getRaw(policyId: string, snapshotId: string): Promise<{ body: Uint8Array; contentType: string } | undefined>;
  getNormalized(policyId: string, snapshotId: string): Promise<NormalizedSnapshot | undefined>;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  cursor?: string;
}

export interface PolicyStore {
  putPolicy(policy: PolicyRecord): Promise<void>;
  getPolicy(policyId: string): Promise<PolicyRecord | undefined>;
  listPolicies(cursor?: string, limit?: number): Promise<Page<PolicyRecord>>;
  deletePolicy(policyId: string): Promise<void>;
  /** Partial update of a policy's check state (validators, last snapshot, failures, baseline). */
  updatePolicy(policyId: string, patch: Partial<Omit<PolicyRecord, 'policyId'>>): Promise<void>;

  /** Idempotent: a second put of the same (policyId, snapshotId) is a no-op and returns false. */
  putSnapshot(snapshot: SnapshotRecord): Promise<boolean>;
  getSnapshot(policyId: string, snapshotId: string): Promise<SnapshotRecord | undefined>;
  /** Newest first. */
  listSnapshots(policyId: string, cursor?: string, limit?: number): Promise<Page<SnapshotRecord>>;

  putCheck(check: CheckRecord): Promise<void>;
  /** Newest first; with `atOrBefore` (ISO), only checks made at or before that time. */
  listChecks(policyId: string, cursor?: string, limit?: number, options?: { atOrBefore?: string }): Promise<Page<CheckRecord>>;

  /** Idempotent on changeId (derived from policy, snapshot and section), so reprocessing converges. */
  putChange(change: ChangeRecord): Promise<boolean>;
  getChange(changeId: string): Promise<ChangeRecord | undefined>;
  /** Newest first. */
  listChanges(policyId: string, cursor?: string, limit?: number): Promise<Page<ChangeRecord>>;

  putSubscription(subscription: SubscriptionRecord): Promise<void>;
  getSubscription(subscriptionId: string): Promise<SubscriptionRecord | undefined>;
  listSubscriptions(): Promise<SubscriptionRecord[]>;
  updateSubscription(subscriptionId: string, patch: Partial<Omit<SubscriptionRecord, 'subscriptionId'>>): Promise<void>;
  deleteSubscription(subscriptionId: string): Promise<void>;

  /**
   * Claims the right to send one notification (conditional put on changeId + subscriptionId).
   * Returns false when it was already claimed: the caller must not send.
   */
  claimNotification(changeId: string, subscriptionId: string, at: string): Promise<boolean>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface CheckMessage {
  policyId: string;
  /** ISO time the scheduler enqueued it (for logs and lag metrics). */
  scheduledAt: string;
}

export interface CheckQueue {
  enqueue(messages: CheckMessage[]): Promise<void>;
}

export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
  /** False for a policy that opted out of robots.txt (PolicyRecord.ignoreRobots). @default true */
  respectRobots?: boolean;
}

export type FetchOutcome =
  | { status: 'not-modified' }
  | {
      status: 'ok';
      /** Final URL after redirects. */
      url: string;
      body: Uint8Array;
      /** Decoded text (charset from header, meta or BOM). */
      text: string;
      contentType: string;
      etag?: string;
      lastModified?: string;
    };

export interface PolicyFetcher {
  /** Throws FetchError (functions/adapters/errors.ts) with a reason on any refusal or failure. */
  fetch(request: FetchRequest): Promise<FetchOutcome>;
}
