/**
 * In-memory PolicyStore and SnapshotStore for fast handler tests. They pass the same contract
 * suites as the DynamoDB and S3 adapters (tests/adapters/*.contract.ts), so a handler tested on
 * them behaves the same on AWS: same keys, same idempotency, same ordering, same cursors' rules.
 * Records are copied through JSON on the way in and out, like a real store would.
 */
import type {
  ChangeRecord,
  CheckRecord,
  NormalizedSnapshot,
  Page,
  PolicyRecord,
  PolicyStore,
  SnapshotRecord,
  SnapshotStore,
  SubscriptionRecord,
} from '../core/ports.ts';
import {
  InvalidCursorError,
  RecordNotFoundError,
  StoreInputError,
  checkSnapshotAddress,
  decodeCursor,
  encodeCursor,
  resolvePageLimit,
  type CursorKey,
} from './store-errors.ts';

export class MemoryPolicyStore implements PolicyStore {
  readonly #policies = new Map<string, PolicyRecord>();
  readonly #snapshots = new Map<string, SnapshotRecord>();
  readonly #checks = new Map<string, CheckRecord>();
  readonly #changes = new Map<string, ChangeRecord>();
  readonly #subscriptions = new Map<string, SubscriptionRecord>();
  /** notificationKey → claim time. */
  readonly #claims = new Map<string, string>();

  async putPolicy(policy: PolicyRecord): Promise<void> {
    this.#policies.set(policy.policyId, copy(policy));
  }

  async getPolicy(policyId: string): Promise<PolicyRecord | undefined> {
    return copyOrUndefined(this.#policies.get(policyId));
  }

  async listPolicies(cursor?: string, limit?: number): Promise<Page<PolicyRecord>> {
    return pageOf([...this.#policies.values()], POLICY_ORDER, cursor, limit);
  }

  async deletePolicy(policyId: string): Promise<void> {
    this.#policies.delete(policyId);
  }

  async updatePolicy(policyId: string, patch: Partial<Omit<PolicyRecord, 'policyId'>>): Promise<void> {
    applyPatch(this.#policies, 'policyId', policyId, patch, 'policy');
  }

  async putSnapshot(snapshot: SnapshotRecord): Promise<boolean> {
    const key = `${snapshot.policyId}#${snapshot.snapshotId}`;
    if (this.#snapshots.has(key)) return false;
    this.#snapshots.set(key, copy(snapshot));
    return true;
  }

  async getSnapshot(policyId: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    return copyOrUndefined(this.#snapshots.get(`${policyId}#${snapshotId}`));
  }

  async listSnapshots(policyId: string, cursor?: string, limit?: number): Promise<Page<SnapshotRecord>> {
    const snapshots = [...this.#snapshots.values()].filter((snapshot) => snapshot.policyId === policyId);
    return pageOf(snapshots, SNAPSHOT_ORDER, cursor, limit, policyId);
  }

  async putCheck(check: CheckRecord): Promise<void> {
    this.#checks.set(`${check.policyId}#${check.checkedAt}`, copy(check));
  }

  async listChecks(policyId: string, cursor?: string, limit?: number, options: { atOrBefore?: string } = {}): Promise<Page<CheckRecord>> {
    const { atOrBefore } = options;
    const checks = [...this.#checks.values()].filter((check) => check.policyId === policyId && (atOrBefore === undefined || check.checkedAt <= atOrBefore));
    return pageOf(checks, CHECK_ORDER, cursor, limit, policyId);
  }

  async putChange(change: ChangeRecord): Promise<boolean> {
    if (this.#changes.has(change.changeId)) return false;
    this.#changes.set(change.changeId, copy(change));
    return true;
  }

  async getChange(changeId: string): Promise<ChangeRecord | undefined> {
    return copyOrUndefined(this.#changes.get(changeId));
  }

  async listChanges(policyId: string, cursor?: string, limit?: number): Promise<Page<ChangeRecord>> {
    const changes = [...this.#changes.values()].filter((change) => change.policyId === policyId);
    return pageOf(changes, CHANGE_ORDER, cursor, limit, policyId);
  }

  async putSubscription(subscription: SubscriptionRecord): Promise<void> {
    this.#subscriptions.set(subscription.subscriptionId, copy(subscription));
  }

  async getSubscription(subscriptionId: string): Promise<SubscriptionRecord | undefined> {
    return copyOrUndefined(this.#subscriptions.get(subscriptionId));
  }

  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    return [...this.#subscriptions.values()].map(copy);
  }

  async updateSubscription(subscriptionId: string, patch: Partial<Omit<SubscriptionRecord, 'subscriptionId'>>): Promise<void> {
    applyPatch(this.#subscriptions, 'subscriptionId', subscriptionId, patch, 'subscription');
  }

  async deleteSubscription(subscriptionId: string): Promise<void> {
    this.#subscriptions.delete(subscriptionId);
  }

  async claimNotification(changeId: string, subscriptionId: string, at: string): Promise<boolean> {
    if (Number.isNaN(Date.parse(at))) throw new StoreInputError(`claim time ${JSON.stringify(at)} is not an ISO date`);
    const key = `${changeId}#${subscriptionId}`;
    if (this.#claims.has(key)) return false;
    this.#claims.set(key, at);
    return true;
  }
}

export class MemorySnapshotStore implements SnapshotStore {
  readonly #objects = new Map<string, { body: Uint8Array; contentType: string }>();

  /** Stored object keys, sorted: lets tests assert that an unchanged fetch wrote nothing. */
  keys(): string[] {
    return [...this.#objects.keys()].sort();
  }

  async putRaw(policyId: string, snapshotId: string, body: Uint8Array, contentType: string): Promise<{ key: string; written: boolean }> {
    checkSnapshotAddress(policyId, snapshotId, body);
    return this.#putIfAbsent(`raw/${policyId}/${snapshotId}`, body, contentType);
  }

  async putNormalized(policyId: string, snapshotId: string, normalized: NormalizedSnapshot): Promise<{ key: string; written: boolean }> {
    checkSnapshotAddress(policyId, snapshotId);
    const body = new TextEncoder().encode(JSON.stringify(normalized));
    return this.#putIfAbsent(`normalized/${policyId}/${snapshotId}.json`, body, 'application/json');
  }

  async getRaw(policyId: string, snapshotId: string): Promise<{ body: Uint8Array; contentType: string } | undefined> {
    checkSnapshotAddress(policyId, snapshotId);
    const object = this.#objects.get(`raw/${policyId}/${snapshotId}`);
    return object && { body: new Uint8Array(object.body), contentType: object.contentType };
  }

  async getNormalized(policyId: string, snapshotId: string): Promise<NormalizedSnapshot | undefined> {
    checkSnapshotAddress(policyId, snapshotId);
    const object = this.#objects.get(`normalized/${policyId}/${snapshotId}.json`);
    return object && (JSON.parse(new TextDecoder().decode(object.body)) as NormalizedSnapshot);
  }

  #putIfAbsent(key: string, body: Uint8Array, contentType: string): { key: string; written: boolean } {
    if (this.#objects.has(key)) return { key, written: false };
    this.#objects.set(key, { body: new Uint8Array(body), contentType });
    return { key, written: true };
  }
}

/** How a listing is ordered and which attributes its cursor holds (the last item's position). */
interface ListingOrder<T> {
  attributes: readonly string[];
  position(item: T): CursorKey;
  /** Negative when a comes first. */
  compare(a: CursorKey, b: CursorKey): number;
}

const byText = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

const POLICY_ORDER: ListingOrder<PolicyRecord> = {
  attributes: ['policyId'],
  position: ({ policyId }) => ({ policyId }),
  compare: (a, b) => byText(a.policyId, b.policyId),
};

const SNAPSHOT_ORDER: ListingOrder<SnapshotRecord> = {
  attributes: ['policyId', 'fetchedAt', 'snapshotId'],
  position: ({ policyId, fetchedAt, snapshotId }) => ({ policyId, fetchedAt, snapshotId }),
  compare: (a, b) => byText(b.fetchedAt, a.fetchedAt) || byText(b.snapshotId, a.snapshotId),
};

const CHECK_ORDER: ListingOrder<CheckRecord> = {
  attributes: ['policyId', 'checkedAt'],
  position: ({ policyId, checkedAt }) => ({ policyId, checkedAt }),
  compare: (a, b) => byText(b.checkedAt, a.checkedAt),
};

const CHANGE_ORDER: ListingOrder<ChangeRecord> = {
  attributes: ['policyId', 'detectedAt', 'changeId'],
  position: ({ policyId, detectedAt, changeId }) => ({ policyId, detectedAt, changeId }),
  compare: (a, b) => byText(b.detectedAt, a.detectedAt) || byText(b.changeId, a.changeId),
};

/** A page that starts after the cursor's position, so inserts and deletes never shift it. */
function pageOf<T>(items: T[], order: ListingOrder<T>, cursor: string | undefined, limit: number | undefined, policyId?: string): Page<T> {
  const pageLimit = resolvePageLimit(limit);
  const sorted = items.map((item) => ({ item, position: order.position(item) })).sort((a, b) => order.compare(a.position, b.position));
  let remaining = sorted;
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, order.attributes);
    if (policyId !== undefined && after.policyId !== policyId) throw new InvalidCursorError('issued for another listing');
    remaining = sorted.filter(({ position }) => order.compare(position, after) > 0);
  }
  const page = remaining.slice(0, pageLimit);
  const pageItems = page.map(({ item }) => copy(item));
  const last = page[page.length - 1];
  return remaining.length > pageLimit && last !== undefined ? { items: pageItems, cursor: encodeCursor(last.position) } : { items: pageItems };
}

/** SET for defined values, delete for keys given as undefined, like the DynamoDB store. */
function applyPatch<T extends object>(records: Map<string, T>, keyName: string, keyValue: string, patch: object, kind: 'policy' | 'subscription'): void {
  const current = records.get(keyValue);
  const changes = Object.entries(patch).filter(([name]) => name !== keyName);
  if (changes.length === 0) return;
  if (current === undefined) throw new RecordNotFoundError(kind, keyValue);
  const updated = { ...current } as Record<string, unknown>;
  for (const [name, value] of changes) {
    if (value === undefined) delete updated[name];
    else updated[name] = value;
  }
  records.set(keyValue, copy(updated as T));
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copyOrUndefined<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : copy(value);
}
