/**
 * The PolicyStore contract: every implementation (DynamoDB, in-memory) runs this one suite, so
 * handler tests on the in-memory store hold on DynamoDB too.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeRecord, CheckRecord, PolicyRecord, PolicyStore, SnapshotRecord, SubscriptionRecord } from '../../functions/core/ports.ts';
import { InvalidCursorError, RecordNotFoundError, StoreInputError } from '../../functions/adapters/store-errors.ts';

export type PolicyStoreFactory = () => Promise<PolicyStore>;

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const SHA_C = 'c'.repeat(64);

function policy(policyId: string, overrides: Partial<PolicyRecord> = {}): PolicyRecord {
  return {
    policyId,
    name: `Policy ${policyId}`,
    url: `https://example.org/${policyId}`,
    format: 'html',
    intervalHours: 12,
    createdAt: '2024-05-01T00:00:00.000Z',
    consecutiveFailures: 0,
    status: 'ok',
    ...overrides,
  };
}

function snapshot(policyId: string, snapshotId: string, fetchedAt: string): SnapshotRecord {
  return {
    policyId,
    snapshotId,
    fetchedAt,
    contentType: 'text/html; charset=utf-8',
    bytes: 1234,
    title: 'Privacy Policy',
    effectiveDate: null,
    rawKey: `raw/${policyId}/${snapshotId}`,
    normalizedKey: `normalized/${policyId}/${snapshotId}.json`,
  };
}

function check(policyId: string, checkedAt: string): CheckRecord {
  return { policyId, checkedAt, outcome: 'unchanged', snapshotId: SHA_A };
}

function change(changeId: string, policyId: string, detectedAt: string): ChangeRecord {
  return {
    changeId,
    policyId,
    policyName: `Policy ${policyId}`,
    snapshotId: SHA_B,
    baselineSnapshotId: SHA_A,
    detectedAt,
    sectionId: 'data-retention',
    sectionPath: ['How long we keep data'],
    kind: 'modified',
    categories: ['retention'],
    material: true,
    severity: 'high',
    before: 'We keep logs for 30 days.',
    after: 'We keep logs for 1 year.',
    obligations: [{ type: 'retention-period', before: 'P30D', after: 'P1Y' }],
    diff: [{ value: 'We keep logs for ' }, { value: '30 days', removed: true }, { value: '1 year', added: true }, { value: '.' }],
  };
}

function subscription(subscriptionId: string, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    subscriptionId,
    email: `${subscriptionId}@example.org`,
    policies: ['imvu-privacy'],
    categories: 'material',
    confirmed: false,
    createdAt: '2024-05-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Reads every page of a listing, returning the page sizes and whether each page had a cursor. */
async function readAllPages<T>(list: (cursor?: string) => Promise<{ items: T[]; cursor?: string }>) {
  const items: T[] = [];
  const pages: { size: number; hasCursor: boolean }[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    pages.push({ size: page.items.length, hasCursor: page.cursor !== undefined });
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 100);
  return { items, pages };
}

export function runPolicyStoreContract(name: string, createStore: PolicyStoreFactory): void {
  describe(`${name} (PolicyStore contract)`, () => {
    describe('policies', () => {
      it('returns a stored policy as it was put', async () => {
        // Prepare
        const store = await createStore();
        const stored = policy('imvu-privacy', { select: 'main', etag: '"v1"', baselineSnapshotId: SHA_A });
        // Act
        await store.putPolicy(stored);
        const found = await store.getPolicy('imvu-privacy');
        // Assess
        expect(found).toEqual(stored);
      });

      it('returns undefined for an unknown policy', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const found = await store.getPolicy('missing');
        // Assess
        expect(found).toBeUndefined();
      });

      it('returns copies, so changing a returned policy leaves the stored one as it was', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('imvu-privacy'));
        const first = (await store.getPolicy('imvu-privacy')) as PolicyRecord;
        // Act
        first.name = 'changed by the caller';
        const second = await store.getPolicy('imvu-privacy');
        // Assess
        expect(second?.name).toBe('Policy imvu-privacy');
      });

      it('replaces a policy on a second put', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('imvu-privacy', { etag: '"v1"' }));
        // Act
        await store.putPolicy(policy('imvu-privacy', { name: 'Renamed' }));
        // Assess
        expect(await store.getPolicy('imvu-privacy')).toEqual(policy('imvu-privacy', { name: 'Renamed' }));
      });

      it('lists every policy once across pages, with no cursor on the last page', async () => {
        // Prepare
        const store = await createStore();
        const ids = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'];
        for (const id of ids) await store.putPolicy(policy(id));
        // Act
        const { items, pages } = await readAllPages((cursor) => store.listPolicies(cursor, 2));
        // Assess
        expect(pages).toEqual([
          { size: 2, hasCursor: true },
          { size: 2, hasCursor: true },
          { size: 1, hasCursor: false },
        ]);
        expect(items.map((item) => item.policyId).sort()).toEqual(ids);
      });

      it('gives no cursor when the last page is exactly full', async () => {
        // Prepare
        const store = await createStore();
        for (const id of ['p-1', 'p-2', 'p-3', 'p-4']) await store.putPolicy(policy(id));
        // Act
        const { pages } = await readAllPages((cursor) => store.listPolicies(cursor, 2));
        // Assess
        expect(pages).toEqual([
          { size: 2, hasCursor: true },
          { size: 2, hasCursor: false },
        ]);
      });

      it('returns 50 items a page when no limit is given', async () => {
        // Prepare
        const store = await createStore();
        for (let index = 0; index < 51; index++) await store.putPolicy(policy(`p-${String(index).padStart(2, '0')}`));
        // Act
        const { pages } = await readAllPages((cursor) => store.listPolicies(cursor));
        // Assess
        expect(pages).toEqual([
          { size: 50, hasCursor: true },
          { size: 1, hasCursor: false },
        ]);
      });

      it('returns an empty page with no cursor when nothing is stored', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const page = await store.listPolicies();
        // Assess
        expect(page).toEqual({ items: [] });
      });

      it('rejects a cursor it did not issue', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const listing = store.listPolicies('not-a-cursor');
        // Assess
        await expect(listing).rejects.toThrow(InvalidCursorError);
      });

      it('rejects a page limit outside 1 to 1000', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const tooSmall = store.listPolicies(undefined, 0);
        const tooLarge = store.listPolicies(undefined, 1001);
        // Assess
        await expect(tooSmall).rejects.toThrow(RangeError);
        await expect(tooLarge).rejects.toThrow(RangeError);
      });

      it('updates only the patched fields', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('imvu-privacy', { etag: '"v1"' }));
        // Act
        await store.updatePolicy('imvu-privacy', { lastCheckedAt: '2024-05-02T00:00:00.000Z', consecutiveFailures: 2, status: 'failing' });
        // Assess
        expect(await store.getPolicy('imvu-privacy')).toEqual(
          policy('imvu-privacy', { etag: '"v1"', lastCheckedAt: '2024-05-02T00:00:00.000Z', consecutiveFailures: 2, status: 'failing' }),
        );
      });

      it('removes a field patched to undefined', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('imvu-privacy', { etag: '"v1"', lastModified: 'Wed, 01 May 2024 00:00:00 GMT' }));
        // Act
        await store.updatePolicy('imvu-privacy', { etag: undefined, lastModified: 'Thu, 02 May 2024 00:00:00 GMT' });
        // Assess
        const updated = await store.getPolicy('imvu-privacy');
        expect(updated && 'etag' in updated).toBe(false);
        expect(updated?.lastModified).toBe('Thu, 02 May 2024 00:00:00 GMT');
      });

      it('stores a nested baseline approval through an update', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('imvu-privacy'));
        const approval = { approvedBy: 'dana', approvedAt: '2024-05-03T00:00:00.000Z', reason: 'reviewed', snapshotId: SHA_B };
        // Act
        await store.updatePolicy('imvu-privacy', { baselineSnapshotId: SHA_B, baselineApproval: approval });
        // Assess
        expect(await store.getPolicy('imvu-privacy')).toEqual(policy('imvu-privacy', { baselineSnapshotId: SHA_B, baselineApproval: approval }));
      });

      it('throws RecordNotFoundError when updating an unknown policy, and creates nothing', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const update = store.updatePolicy('missing', { status: 'broken' });
        // Assess
        await expect(update).rejects.toThrow(RecordNotFoundError);
        expect(await store.getPolicy('missing')).toBeUndefined();
      });

      it('deletes a policy, and deleting an unknown one is a no-op', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('imvu-privacy'));
        // Act
        await store.deletePolicy('imvu-privacy');
        await store.deletePolicy('missing');
        // Assess
        expect(await store.getPolicy('imvu-privacy')).toBeUndefined();
        expect(await store.listPolicies()).toEqual({ items: [] });
      });
    });

    describe('snapshots', () => {
      it('stores a snapshot once and reports a repeated put as a no-op', async () => {
        // Prepare
        const store = await createStore();
        const first = snapshot('imvu-privacy', SHA_A, '2024-05-01T00:00:00.000Z');
        // Act
        const firstPut = await store.putSnapshot(first);
        const secondPut = await store.putSnapshot({ ...first, fetchedAt: '2024-05-02T00:00:00.000Z' });
        // Assess
        expect([firstPut, secondPut]).toEqual([true, false]);
        expect(await store.getSnapshot('imvu-privacy', SHA_A)).toEqual(first);
        expect((await store.listSnapshots('imvu-privacy')).items).toEqual([first]);
      });

      it('returns undefined for an unknown snapshot', async () => {
        // Prepare
        const store = await createStore();
        await store.putSnapshot(snapshot('imvu-privacy', SHA_A, '2024-05-01T00:00:00.000Z'));
        // Act
        const otherId = await store.getSnapshot('imvu-privacy', SHA_B);
        const otherPolicy = await store.getSnapshot('tim-privacy', SHA_A);
        // Assess
        expect([otherId, otherPolicy]).toEqual([undefined, undefined]);
      });

      it('lists a policy’s snapshots newest first across pages', async () => {
        // Prepare
        const store = await createStore();
        const oldest = snapshot('imvu-privacy', SHA_B, '2024-05-01T00:00:00.000Z');
        const middle = snapshot('imvu-privacy', SHA_C, '2024-05-02T00:00:00.000Z');
        const newest = snapshot('imvu-privacy', SHA_A, '2024-05-03T00:00:00.000Z');
        for (const record of [middle, newest, oldest]) await store.putSnapshot(record);
        await store.putSnapshot(snapshot('tim-privacy', SHA_A, '2024-05-04T00:00:00.000Z'));
        // Act
        const first = await store.listSnapshots('imvu-privacy', undefined, 2);
        const second = await store.listSnapshots('imvu-privacy', first.cursor, 2);
        // Assess
        expect(first.items).toEqual([newest, middle]);
        expect(second).toEqual({ items: [oldest] });
      });

      it('rejects a snapshot cursor used for another policy', async () => {
        // Prepare
        const store = await createStore();
        await store.putSnapshot(snapshot('imvu-privacy', SHA_A, '2024-05-01T00:00:00.000Z'));
        await store.putSnapshot(snapshot('imvu-privacy', SHA_B, '2024-05-02T00:00:00.000Z'));
        const { cursor } = await store.listSnapshots('imvu-privacy', undefined, 1);
        // Act
        const listing = store.listSnapshots('tim-privacy', cursor, 1);
        // Assess
        expect(cursor).toBeDefined();
        await expect(listing).rejects.toThrow(InvalidCursorError);
      });

      it('rejects a cursor from another kind of listing', async () => {
        // Prepare
        const store = await createStore();
        await store.putPolicy(policy('p-1'));
        await store.putPolicy(policy('p-2'));
        const { cursor } = await store.listPolicies(undefined, 1);
        // Act
        const listing = store.listSnapshots('p-1', cursor);
        // Assess
        expect(cursor).toBeDefined();
        await expect(listing).rejects.toThrow(InvalidCursorError);
      });
    });

    describe('checks', () => {
      it('lists a policy’s checks newest first across pages', async () => {
        // Prepare
        const store = await createStore();
        const times = ['2024-05-01T00:00:00.000Z', '2024-05-01T12:00:00.000Z', '2024-05-02T00:00:00.000Z'];
        for (const time of times) await store.putCheck(check('imvu-privacy', time));
        await store.putCheck({ policyId: 'imvu-privacy', checkedAt: '2024-05-02T12:00:00.000Z', outcome: 'failed', reason: 'http-503' });
        await store.putCheck(check('tim-privacy', '2024-05-03T00:00:00.000Z'));
        // Act
        const { items, pages } = await readAllPages((cursor) => store.listChecks('imvu-privacy', cursor, 3));
        // Assess
        expect(pages).toEqual([
          { size: 3, hasCursor: true },
          { size: 1, hasCursor: false },
        ]);
        expect(items).toEqual([
          { policyId: 'imvu-privacy', checkedAt: '2024-05-02T12:00:00.000Z', outcome: 'failed', reason: 'http-503' },
          check('imvu-privacy', '2024-05-02T00:00:00.000Z'),
          check('imvu-privacy', '2024-05-01T12:00:00.000Z'),
          check('imvu-privacy', '2024-05-01T00:00:00.000Z'),
        ]);
      });

      it('lists only the checks made at or before a time, across pages', async () => {
        // Prepare
        const store = await createStore();
        const times = ['2024-05-01T00:00:00.000Z', '2024-05-01T12:00:00.000Z', '2024-05-02T00:00:00.000Z', '2024-05-02T12:00:00.000Z'];
        for (const time of times) await store.putCheck(check('imvu-privacy', time));
        // Act
        const { items } = await readAllPages((cursor) => store.listChecks('imvu-privacy', cursor, 1, { atOrBefore: '2024-05-02T00:00:00.000Z' }));
        // Assess
        expect(items.map((c) => c.checkedAt)).toEqual(['2024-05-02T00:00:00.000Z', '2024-05-01T12:00:00.000Z', '2024-05-01T00:00:00.000Z']);
      });
    });

    describe('changes', () => {
      it('stores a change once and reports a repeated put as a no-op', async () => {
        // Prepare
        const store = await createStore();
        const stored = change('change-1', 'imvu-privacy', '2024-05-02T00:00:00.000Z');
        // Act
        const firstPut = await store.putChange(stored);
        const secondPut = await store.putChange({ ...stored, severity: 'low' });
        // Assess
        expect([firstPut, secondPut]).toEqual([true, false]);
        expect(await store.getChange('change-1')).toEqual(stored);
      });

      it('keeps null clauses of added and removed sections', async () => {
        // Prepare
        const store = await createStore();
        const added: ChangeRecord = { ...change('change-1', 'imvu-privacy', '2024-05-02T00:00:00.000Z'), kind: 'added', before: null, obligations: [] };
        // Act
        await store.putChange(added);
        // Assess
        expect(await store.getChange('change-1')).toEqual(added);
      });

      it('returns undefined for an unknown change', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const found = await store.getChange('missing');
        // Assess
        expect(found).toBeUndefined();
      });

      it('lists a policy’s changes newest first, each once, across pages that split equal times', async () => {
        // Prepare
        const store = await createStore();
        // One check yields several changes with the same detectedAt; pages must not lose or repeat them.
        const earlier = ['c-1', 'c-2'].map((id) => change(id, 'imvu-privacy', '2024-05-02T00:00:00.000Z'));
        const later = ['c-3', 'c-4', 'c-5'].map((id) => change(id, 'imvu-privacy', '2024-05-03T00:00:00.000Z'));
        for (const record of [...earlier, ...later]) await store.putChange(record);
        await store.putChange(change('c-6', 'tim-privacy', '2024-05-04T00:00:00.000Z'));
        // Act
        const { items, pages } = await readAllPages((cursor) => store.listChanges('imvu-privacy', cursor, 2));
        // Assess
        expect(pages).toEqual([
          { size: 2, hasCursor: true },
          { size: 2, hasCursor: true },
          { size: 1, hasCursor: false },
        ]);
        expect(items.map((item) => item.detectedAt)).toEqual([
          '2024-05-03T00:00:00.000Z',
          '2024-05-03T00:00:00.000Z',
          '2024-05-03T00:00:00.000Z',
          '2024-05-02T00:00:00.000Z',
          '2024-05-02T00:00:00.000Z',
        ]);
        expect(items.map((item) => item.changeId).sort()).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
      });
    });

    describe('subscriptions', () => {
      it('stores, updates and deletes a subscription', async () => {
        // Prepare
        const store = await createStore();
        await store.putSubscription(subscription('s-1', { categories: ['retention', 'sharing'], policies: 'all' }));
        // Act
        await store.updateSubscription('s-1', { confirmed: true });
        const updated = await store.getSubscription('s-1');
        await store.deleteSubscription('s-1');
        const deleted = await store.getSubscription('s-1');
        // Assess
        expect(updated).toEqual(subscription('s-1', { categories: ['retention', 'sharing'], policies: 'all', confirmed: true }));
        expect(deleted).toBeUndefined();
      });

      it('lists every subscription', async () => {
        // Prepare
        const store = await createStore();
        const stored = ['s-1', 's-2', 's-3'].map((id) => subscription(id));
        for (const record of stored) await store.putSubscription(record);
        // Act
        const listed = await store.listSubscriptions();
        // Assess
        expect([...listed].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId))).toEqual(stored);
      });

      it('throws RecordNotFoundError when updating an unknown subscription, and creates nothing', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const update = store.updateSubscription('missing', { confirmed: true });
        // Assess
        await expect(update).rejects.toThrow(RecordNotFoundError);
        expect(await store.listSubscriptions()).toEqual([]);
      });
    });

    describe('notification claims', () => {
      it('grants a claim once per change and subscriber', async () => {
        // Prepare
        const store = await createStore();
        const at = '2024-05-02T00:00:00.000Z';
        // Act
        const claims = [
          await store.claimNotification('change-1', 's-1', at),
          await store.claimNotification('change-1', 's-1', '2024-05-02T00:05:00.000Z'),
          await store.claimNotification('change-1', 's-2', at),
          await store.claimNotification('change-2', 's-1', at),
        ];
        // Assess
        expect(claims).toEqual([true, false, true, true]);
      });

      it('rejects a claim time that is not a date', async () => {
        // Prepare
        const store = await createStore();
        // Act
        const claim = store.claimNotification('change-1', 's-1', 'yesterday');
        // Assess
        await expect(claim).rejects.toThrow(StoreInputError);
      });
    });
  });
}
