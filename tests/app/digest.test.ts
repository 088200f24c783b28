import { describe, expect, it } from 'vitest';
import { MemoryPolicyStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { digestKey, sendDailyDigests, type DigestDeps } from '../../functions/app/digest.ts';
import { verifyLinkToken } from '../../functions/app/link-tokens.ts';
import { notifyChanges } from '../../functions/app/notify.ts';
import type { ChangeRecord, PolicyRecord, SubscriptionRecord } from '../../functions/core/ports.ts';
import { RecordingMailer } from './fakes.ts';

const SECRET = 'test-secret';
const BASE = 'https://monitor.example.org/v1';
/** The 07:00 UTC tick; the digest covers 2024-05-01T07:00Z up to it. */
const TICK = new Date('2024-05-02T07:00:04.000Z');

function policy(policyId: string, name: string): PolicyRecord {
  return { policyId, name, url: `https://${policyId}.example/privacy`, intervalHours: 12, createdAt: '2024-01-01T00:00:00.000Z', consecutiveFailures: 0, status: 'ok' };
}

const RETENTION: ChangeRecord = {
  changeId: 'c0ffee000000000000000001',
  policyId: 'acme-privacy',
  policyName: 'Acme Privacy Policy',
  snapshotId: 'b'.repeat(64),
  baselineSnapshotId: 'a'.repeat(64),
  detectedAt: '2024-05-01T18:00:00.000Z',
  sectionId: 'data-retention',
  sectionPath: ['Data retention'],
  kind: 'modified',
  categories: ['retention'],
  material: true,
  severity: 'high',
  before: 'We keep your personal data for 30 days after you close your account.',
  after: 'We keep your personal data for 12 months after you close your account.',
  obligations: [{ type: 'retention-period', before: 'P30D', after: 'P12M' }],
};

const SALE: ChangeRecord = {
  ...RETENTION,
  changeId: 'c0ffee000000000000000002',
  policyId: 'globex-privacy',
  policyName: 'Globex Privacy Notice',
  detectedAt: '2024-05-02T06:00:00.000Z',
  sectionId: 'sharing',
  sectionPath: ['Sharing with third parties'],
  categories: ['sale', 'sharing'],
  before: 'We do not sell personal data.',
  after: 'We may sell personal data to advertising partners.',
  obligations: [],
};

/** Two days old: outside the window. */
const OLD: ChangeRecord = { ...RETENTION, changeId: 'c0ffee000000000000000003', detectedAt: '2024-04-30T12:00:00.000Z', after: 'We keep your personal data forever.' };

function subscription(subscriptionId: string, patch: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return { subscriptionId, email: `${subscriptionId}@example.org`, policies: 'all', categories: 'material', delivery: 'daily', confirmed: true, createdAt: '2024-01-01T00:00:00.000Z', ...patch };
}

async function setup(subscriptions: SubscriptionRecord[], changes: ChangeRecord[] = [RETENTION, SALE, OLD]) {
  const store = new MemoryPolicyStore();
  await store.putPolicy(policy('acme-privacy', 'Acme Privacy Policy'));
  await store.putPolicy(policy('globex-privacy', 'Globex Privacy Notice'));
  for (const change of changes) await store.putChange(change);
  for (const s of subscriptions) await store.putSubscription(s);
  const mailer = new RecordingMailer();
  const notifications = new MemoryNotificationLog();
  let tokens = 0;
  const deps: DigestDeps = {
    store,
    notifications,
    mailer,
    now: () => TICK,
    newClaimToken: () => `token-${++tokens}`,
    publicBaseUrl: BASE,
    unsubscribeSecret: async () => SECRET,
  };
  return { deps, mailer, notifications };
}

describe('sendDailyDigests', () => {
  it('mails a daily subscriber nothing per change, then one digest of both changes of the day', async () => {
    // Prepare
    const { deps, mailer } = await setup([subscription('daily')]);
    // Act
    const immediate = await notifyChanges([RETENTION, SALE], { ...deps, store: deps.store });
    const digest = await sendDailyDigests(deps, TICK);
    // Assess
    expect(immediate.sent).toEqual([]);
    expect(digest.sent).toEqual([digestKey('2024-05-02', 'daily')]);
    expect(mailer.sent.map((email) => [email.to, email.subject])).toEqual([['daily@example.org', 'Policy changes in the last 24 hours: 2 changes in 2 policies']]);
    const [email] = mailer.sent;
    expect(email?.text).toContain('== Acme Privacy Policy ==');
    expect(email?.text).toContain('Section: Data retention');
    expect(email?.text).toContain('- Data retention: 30 days → 12 months');
    expect(email?.text).toContain('> We keep your personal data for 12 months after you close your account.');
    expect(email?.text).toContain('== Globex Privacy Notice ==');
    expect(email?.text).toContain('> We may sell personal data to advertising partners.');
    expect(email?.text).not.toContain('forever');
    expect(email?.html).toContain('<li>Data retention: 30 days → 12 months</li>');
    expect(email?.html).toContain(`${BASE}/changes/${RETENTION.changeId}/view?token=`);
    expect(email?.html).toContain(`${BASE}/changes/${SALE.changeId}/view?token=`);
  });

  it('carries the signed unsubscribe link and the one-click List-Unsubscribe headers', async () => {
    const { deps, mailer } = await setup([subscription('daily')]);
    await sendDailyDigests(deps, TICK);
    const [email] = mailer.sent;
    expect(email?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const token = /token=([^>&]+)>/.exec(email?.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(token && verifyLinkToken(SECRET, 'unsubscribe', token)).toBe('daily');
    expect(email?.text).toContain(`Unsubscribe: ${BASE}/unsubscribe?token=${token}`);
  });

  it('lists only the categories and policies a subscriber follows, and mails none when nothing matches', async () => {
    // Prepare
    const { deps, mailer } = await setup([
      subscription('sale-only', { categories: ['sale'] }),
      subscription('children-only', { categories: ['children'] }),
      subscription('acme-only', { policies: ['acme-privacy'] }),
    ]);
    // Act
    await sendDailyDigests(deps, TICK);
    // Assess
    expect(mailer.sent.map((email) => [email.to, email.subject])).toEqual([
      ['acme-only@example.org', 'Policy changes in the last 24 hours: 1 change in 1 policy'],
      ['sale-only@example.org', 'Policy changes in the last 24 hours: 1 change in 1 policy'],
    ]);
    expect(mailer.sent[1]?.text).toContain('Globex Privacy Notice');
    expect(mailer.sent[1]?.text).not.toContain('Acme Privacy Policy');
  });

  it('sends one digest to an address subscribed twice, with the changes of both subscriptions', async () => {
    // Prepare
    const { deps, mailer } = await setup([
      subscription('b-sale', { email: 'Reader@example.org', categories: ['sale'] }),
      subscription('a-acme', { email: 'reader@example.org', policies: ['acme-privacy'] }),
      subscription('c-children', { email: 'reader@example.org', categories: ['children'] }),
    ]);
    // Act
    const result = await sendDailyDigests(deps, TICK);
    // Assess
    expect(result.sent).toEqual([digestKey('2024-05-02', 'a-acme')]);
    expect(mailer.sent.map((email) => [email.to, email.subject])).toEqual([['reader@example.org', 'Policy changes in the last 24 hours: 2 changes in 2 policies']]);
  });

  it('sends nothing the second time on the same day, nor to a concurrent run', async () => {
    // Prepare
    const { deps, mailer } = await setup([subscription('daily')]);
    // Act
    const [first, concurrent] = await Promise.all([sendDailyDigests(deps, TICK), sendDailyDigests(deps, TICK)]);
    const retry = await sendDailyDigests(deps, new Date('2024-05-02T07:03:00.000Z'));
    // Assess
    expect(mailer.sent).toHaveLength(1);
    expect([...first.sent, ...concurrent.sent]).toEqual([digestKey('2024-05-02', 'daily')]);
    expect(retry.sent).toEqual([]);
    expect(retry.alreadyClaimed).toEqual([digestKey('2024-05-02', 'daily')]);
  });

  it('sends the digest on the retry after a failed send, once', async () => {
    const { deps, mailer, notifications } = await setup([subscription('daily')]);
    mailer.failNextFor.add('daily@example.org');
    const first = await sendDailyDigests(deps, TICK);
    const retry = await sendDailyDigests(deps, TICK);
    expect(first.failed.map((failure) => failure.subscriptionId)).toEqual(['daily']);
    expect(retry.sent).toEqual([digestKey('2024-05-02', 'daily')]);
    expect(mailer.sent).toHaveLength(1);
    expect(notifications.statusOf(digestKey('2024-05-02', 'daily'))).toBe('sent');
  });

  it('leaves "each" subscribers to their per-change emails', async () => {
    // Prepare
    // 'older' was stored before delivery existed: it gets one email per change, like 'each'.
    const { deps, mailer } = await setup([subscription('each', { delivery: 'each' }), { ...subscription('older'), delivery: undefined }]);
    // Act
    const immediate = await notifyChanges([RETENTION], deps);
    const digest = await sendDailyDigests(deps, TICK);
    // Assess
    expect(immediate.sent.map((key) => key.subscriptionId)).toEqual(['each', 'older']);
    expect(digest.sent).toEqual([]);
    expect(mailer.sent.map((email) => email.subject)).toEqual(['Acme Privacy Policy: retention changed', 'Acme Privacy Policy: retention changed']);
  });

  it('mails no one on a day without material changes, nor unconfirmed or suppressed subscribers', async () => {
    // Prepare
    const quiet = await setup([subscription('daily')], [OLD, { ...SALE, material: false, changeId: 'c0ffee000000000000000004' }]);
    const blocked = await setup([
      subscription('unconfirmed', { confirmed: false }),
      subscription('bounced', { suppressed: { reason: 'bounce', at: '2024-04-01T00:00:00.000Z' } }),
    ]);
    // Act
    const quietResult = await sendDailyDigests(quiet.deps, TICK);
    const blockedResult = await sendDailyDigests(blocked.deps, TICK);
    // Assess
    expect(quiet.mailer.sent).toEqual([]);
    expect(blocked.mailer.sent).toEqual([]);
    expect([...quietResult.sent, ...blockedResult.sent]).toEqual([]);
  });
});
