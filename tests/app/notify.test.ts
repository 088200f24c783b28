import { describe, expect, it } from 'vitest';
import { MemoryPolicyStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { verifyLinkToken } from '../../functions/app/link-tokens.ts';
import { notifyChanges, subscriberWants, type NotifyDeps } from '../../functions/app/notify.ts';
import type { ChangeRecord, SubscriptionRecord } from '../../functions/core/ports.ts';
import { RecordingMailer } from './fakes.ts';

const SECRET = 'test-secret';

function change(patch: Partial<ChangeRecord> = {}): ChangeRecord {
  return {
    changeId: 'c0ffee000000000000000001',
    policyId: 'acme-privacy',
    policyName: 'Acme Privacy Policy',
    snapshotId: 'b'.repeat(64),
    baselineSnapshotId: 'a'.repeat(64),
    detectedAt: '2024-05-02T00:00:00.000Z',
    sectionId: 'data-retention',
    sectionPath: ['Data retention'],
    kind: 'modified',
    categories: ['retention'],
    material: true,
    severity: 'high',
    before: 'We keep your personal data for 30 days after you close your account.',
    after: 'We keep your personal data for 12 months after you close your account.',
    obligations: [{ type: 'retention-period', before: 'P30D', after: 'P12M' }],
    ...patch,
  };
}

function subscription(subscriptionId: string, patch: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return { subscriptionId, email: `${subscriptionId}@example.org`, policies: 'all', categories: 'material', confirmed: true, createdAt: '2024-01-01T00:00:00.000Z', ...patch };
}

async function setup(subscriptions: SubscriptionRecord[]) {
  const store = new MemoryPolicyStore();
  for (const s of subscriptions) await store.putSubscription(s);
  const mailer = new RecordingMailer();
  const notifications = new MemoryNotificationLog();
  let clock = Date.parse('2024-05-02T00:00:00.000Z');
  let tokens = 0;
  const deps: NotifyDeps = {
    store,
    notifications,
    mailer,
    now: () => new Date(clock),
    newClaimToken: () => `token-${++tokens}`,
    publicBaseUrl: 'https://monitor.example.org/v1',
    unsubscribeSecret: async () => SECRET,
  };
  return { deps, mailer, notifications, advance: (ms: number) => (clock += ms) };
}

describe('subscriberWants', () => {
  it('matches on policy and category, and only confirmed subscribers', () => {
    const c = change();
    expect(subscriberWants(subscription('all-material'), c)).toBe(true);
    expect(subscriberWants(subscription('retention', { categories: ['retention'], policies: ['acme-privacy'] }), c)).toBe(true);
    expect(subscriberWants(subscription('children', { categories: ['children'] }), c)).toBe(false);
    expect(subscriberWants(subscription('other-policy', { policies: ['other-privacy'] }), c)).toBe(false);
    expect(subscriberWants(subscription('unconfirmed', { confirmed: false }), c)).toBe(false);
  });

  it('never matches a change that is not material', () => {
    expect(subscriberWants(subscription('all-material'), change({ material: false, categories: ['contact'] }))).toBe(false);
  });
});

describe('notifyChanges', () => {
  it('sends one email per matching subscriber, with the obligation delta, the clause and signed links', async () => {
    // Prepare
    const { deps, mailer } = await setup([subscription('retention', { categories: ['retention'] }), subscription('children', { categories: ['children'] })]);
    // Act
    const result = await notifyChanges([change()], deps);
    // Assess
    expect(result.sent).toEqual([{ changeId: change().changeId, subscriptionId: 'retention' }]);
    expect(mailer.sent.map((email) => email.to)).toEqual(['retention@example.org']);
    const [email] = mailer.sent;
    expect(email?.subject).toBe('Acme Privacy Policy: retention changed');
    expect(email?.text).toContain('12 months after you close your account');
    expect(email?.html).toContain('https://monitor.example.org/v1/changes/c0ffee000000000000000001/view');
    expect(email?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const token = /token=([^>&]+)>/.exec(email?.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(token && verifyLinkToken(SECRET, 'unsubscribe', token)).toBe('retention');
  });

  it('sends no per-change email to a daily subscriber, whose changes wait for the digest', async () => {
    const { deps, mailer } = await setup([subscription('daily', { delivery: 'daily' }), subscription('each', { delivery: 'each' })]);
    const result = await notifyChanges([change()], deps);
    expect(result.sent).toEqual([{ changeId: change().changeId, subscriptionId: 'each' }]);
    expect(mailer.sent.map((email) => email.to)).toEqual(['each@example.org']);
  });

  it('sends one email per address when it is subscribed twice with overlapping filters', async () => {
    const { deps, mailer } = await setup([
      subscription('b-retention', { email: 'Reader@example.org', categories: ['retention'] }),
      subscription('a-everything', { email: 'reader@example.org' }),
    ]);
    const result = await notifyChanges([change()], deps);
    expect(result.sent).toEqual([{ changeId: change().changeId, subscriptionId: 'a-everything' }]);
    expect(mailer.sent.map((email) => email.to)).toEqual(['reader@example.org']);
  });

  it('never sends twice when the same changes are delivered again', async () => {
    const { deps, mailer } = await setup([subscription('s1'), subscription('s2')]);
    await notifyChanges([change()], deps);
    const again = await notifyChanges([change()], deps);
    expect(mailer.sent).toHaveLength(2);
    expect(again.sent).toEqual([]);
    expect(again.alreadyClaimed).toHaveLength(2);
  });

  it('releases the claim of a failed send, so that the retry sends it, once', async () => {
    // Prepare: the first send to s2 fails.
    const { deps, mailer, notifications } = await setup([subscription('s1'), subscription('s2')]);
    mailer.failNextFor.add('s2@example.org');
    // Act
    const first = await notifyChanges([change()], deps);
    const retry = await notifyChanges([change()], deps);
    // Assess
    expect(first.failed.map((f) => f.subscriptionId)).toEqual(['s2']);
    expect(retry.sent.map((k) => k.subscriptionId)).toEqual(['s2']);
    expect(mailer.sent.map((email) => email.to).sort()).toEqual(['s1@example.org', 's2@example.org']);
    expect(notifications.statusOf({ changeId: change().changeId, subscriptionId: 's2' })).toBe('sent');
  });

  it('takes over a claim whose sender crashed, once its lease has run out', async () => {
    // Prepare: a worker claimed the email and died before sending.
    const { deps, mailer, notifications, advance } = await setup([subscription('s1')]);
    const key = { changeId: change().changeId, subscriptionId: 's1' };
    await notifications.claim(key, { token: 'crashed', at: '2024-05-02T00:00:00.000Z', leaseUntil: '2024-05-02T00:02:00.000Z' });
    // Act
    const duringLease = await notifyChanges([change()], deps);
    advance(3 * 60 * 1000);
    const afterLease = await notifyChanges([change()], deps);
    // Assess
    expect(duringLease.alreadyClaimed).toEqual([key]);
    expect(afterLease.sent).toEqual([key]);
    expect(mailer.sent).toHaveLength(1);
  });
});
