import { describe, expect, it } from 'vitest';
import { FetchError } from '../../functions/adapters/errors.ts';
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { changeIdOf, checkPolicy, type CheckDeps } from '../../functions/app/check-policy.ts';
import { NotifyError } from '../../functions/app/notify.ts';
import { readPolicy } from '../../functions/core/engine.ts';
import type { SubscriptionRecord } from '../../functions/core/ports.ts';
import { hashSectionText } from '../../functions/core/sections.ts';
import { sha256Hex } from '../../functions/core/text.ts';
import { CHECKED_POLICY as POLICY, FakePage, policyPage, RecordingMailer } from './fakes.ts';

const RETENTION_SUBSCRIBER: SubscriptionRecord = {
  subscriptionId: 'retention-fan',
  email: 'retention@example.org',
  policies: ['acme-privacy'],
  categories: ['retention'],
  confirmed: true,
  createdAt: '2024-01-01T00:00:00.000Z',
};
const CHILDREN_SUBSCRIBER: SubscriptionRecord = { ...RETENTION_SUBSCRIBER, subscriptionId: 'children-fan', email: 'children@example.org', categories: ['children'] };

async function setup(html = policyPage()) {
  const store = new MemoryPolicyStore();
  const snapshots = new MemorySnapshotStore();
  const page = new FakePage(html);
  const mailer = new RecordingMailer();
  await store.putPolicy(POLICY);
  await store.putSubscription(RETENTION_SUBSCRIBER);
  await store.putSubscription(CHILDREN_SUBSCRIBER);
  let clock = Date.parse('2024-05-02T06:00:00.000Z');
  let tokens = 0;
  const deps: CheckDeps = {
    store,
    snapshots,
    fetcher: page,
    // Every call a second later, so check records never share a timestamp.
    now: () => new Date((clock += 1000)),
    notify: {
      store,
      notifications: new MemoryNotificationLog(),
      mailer,
      newClaimToken: () => `token-${++tokens}`,
      publicBaseUrl: 'https://monitor.example.org',
      unsubscribeSecret: async () => 'secret',
    },
  };
  return { store, snapshots, page, mailer, deps, check: () => checkPolicy(POLICY.policyId, deps) };
}

describe('checkPolicy', () => {
  it('makes the first version the baseline and tells nobody', async () => {
    // Prepare
    const { store, snapshots, mailer, check } = await setup();
    // Act
    const result = await check();
    // Assess
    const policy = await store.getPolicy(POLICY.policyId);
    expect(result.check?.outcome).toBe('baseline');
    expect(snapshots.keys()).toHaveLength(2);
    expect(policy?.baselineSnapshotId).toBe(result.check?.snapshotId);
    expect(policy?.lastSnapshotId).toBe(result.check?.snapshotId);
    expect(mailer.sent).toEqual([]);
  });

  it('records an unchanged check and writes nothing else, whether the server says 304 or sends the same bytes', async () => {
    // Prepare
    const { store, snapshots, page, check } = await setup();
    await check();
    // Act
    const notModified = await check();
    const policy = await store.getPolicy(POLICY.policyId);
    await store.updatePolicy(POLICY.policyId, { etag: undefined });
    const sameBytes = await check();
    // Assess
    expect(page.requests[1]?.etag).toBe(policy?.etag);
    expect(notModified.check?.outcome).toBe('unchanged');
    expect(sameBytes.check?.outcome).toBe('unchanged');
    expect(snapshots.keys()).toHaveLength(2);
    expect((await store.listSnapshots(POLICY.policyId)).items).toHaveLength(1);
    expect((await store.listChecks(POLICY.policyId)).items.map((c) => c.outcome)).toEqual(['unchanged', 'unchanged', 'baseline']);
  });

  it('records a material change and emails the subscriber of its category only', async () => {
    // Prepare
    const { store, snapshots, page, mailer, check } = await setup();
    await check();
    page.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
    // Act
    const result = await check();
    // Assess
    expect(result.check?.outcome).toBe('changed');
    expect(snapshots.keys()).toHaveLength(4);
    expect(result.changes).toHaveLength(1);
    const [change] = result.changes;
    expect(change?.categories).toContain('retention');
    expect(change?.before).toContain('30 days');
    expect(change?.after).toContain('12 months');
    expect(change?.obligations).toContainEqual(expect.objectContaining({ type: 'retention-period' }));
    expect(change?.changeId).toBe(changeIdOf(POLICY.policyId, result.check?.snapshotId as string, change?.sectionId as string));
    expect(await store.getChange(change?.changeId as string)).toEqual(change);
    expect(mailer.sent.map((email) => email.to)).toEqual(['retention@example.org']);
    expect(result.emailsSent).toBe(1);
  });

  it('stores a cosmetic edit as a snapshot, with no change record and no email', async () => {
    // Prepare: a material change first, already reported.
    const { store, snapshots, page, mailer, check } = await setup();
    await check();
    page.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
    await check();
    page.html = policyPage({ retention: 'We keep your Personal Data for 12 months after you close your account.' });
    // Act
    const result = await check();
    // Assess
    expect(result.check?.outcome).toBe('cosmetic');
    expect(result.changes).toEqual([]);
    expect(snapshots.keys()).toHaveLength(6);
    expect((await store.listChanges(POLICY.policyId)).items).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it('re-reads a baseline an older engine normalized from its raw page, so an engine upgrade alerts nobody', async () => {
    // Prepare: the baseline as an older engine stored it. Same raw page, but that engine read a
    // line of site chrome into the first section, and stamped no engine version.
    const { store, snapshots, page, mailer, check } = await setup();
    const html = policyPage();
    const snapshotId = sha256Hex(html);
    const current = readPolicy(html, { format: 'html', title: POLICY.name });
    const [first, ...rest] = current.sections;
    const leaked = `${first!.text}\nAccept all cookies and we keep your personal data for 10 years.`;
    await snapshots.putRaw(POLICY.policyId, snapshotId, new TextEncoder().encode(html), 'text/html; charset=utf-8');
    await snapshots.putNormalized(POLICY.policyId, snapshotId, { document: current.document, sections: [{ ...first!, text: leaked, hash: hashSectionText(leaked) }, ...rest] });
    await store.updatePolicy(POLICY.policyId, { baselineSnapshotId: snapshotId, lastSnapshotId: snapshotId });
    page.html = policyPage({ retention: 'We keep your Personal Data for 30 days after you close your account.' });
    // Act
    const result = await check();
    // Assess
    expect(result.check?.outcome).toBe('cosmetic');
    expect(result.changes).toEqual([]);
    expect(mailer.sent).toEqual([]);
  });

  it('reports a later material edit of another section alone, not the one already reported', async () => {
    // Prepare: the retention change was reported; the baseline is not approved yet.
    const { page, mailer, check } = await setup();
    await check();
    page.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
    await check();
    page.html = policyPage({
      retention: 'We keep your personal data for 12 months after you close your account.',
      extra: '<h2>Children and teens</h2><p>Teens from 13 to 16 need the consent of a parent, and we collect their personal data only with it.</p>',
    });
    // Act
    const result = await check();
    // Assess
    expect(result.changes.map((change) => change.kind)).toEqual(['added']);
    expect(result.check?.notes).toContain('1 material change(s) against the baseline were reported for an earlier snapshot.');
    expect(mailer.sent.map((email) => email.to)).toEqual(['retention@example.org', 'children@example.org']);
  });

  it('reports a return to the baseline wording as a change against the previous version', async () => {
    // Prepare
    const { page, check } = await setup();
    await check();
    page.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
    await check();
    page.html = policyPage();
    // Act
    const result = await check();
    // Assess
    expect(result.check?.outcome).toBe('changed');
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]?.before).toContain('12 months');
    expect(result.changes[0]?.after).toContain('30 days');
  });

  it('converges when the check is retried after a failed send: each email goes out once', async () => {
    // Prepare: the send to the retention subscriber fails the first time.
    const { store, page, mailer, deps, check } = await setup();
    await store.putSubscription({ ...RETENTION_SUBSCRIBER, subscriptionId: 'everything', email: 'everything@example.org', categories: 'material' });
    await check();
    page.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
    mailer.failNextFor.add('retention@example.org');
    // Act
    const first = checkPolicy(POLICY.policyId, deps);
    await expect(first).rejects.toThrow(NotifyError);
    const retry = await check();
    // Assess
    expect(retry.check?.outcome).toBe('changed');
    expect(mailer.sent.map((email) => email.to).sort()).toEqual(['everything@example.org', 'retention@example.org']);
    expect((await store.listChanges(POLICY.policyId)).items).toHaveLength(1);
    expect((await store.getPolicy(POLICY.policyId))?.lastSnapshotId).toBe(retry.check?.snapshotId);
  });

  it('records a transient fetch failure and asks for a retry', async () => {
    const { store, snapshots, page, check } = await setup();
    page.failWith = new FetchError('http-status', '503 Service Unavailable', { status: 503, transient: true });
    const result = await check();
    expect(result.retry).toBe(true);
    expect(result.check).toMatchObject({ outcome: 'failed', reason: 'http-503' });
    expect(await store.getPolicy(POLICY.policyId)).toMatchObject({ consecutiveFailures: 1, status: 'failing' });
    expect(snapshots.keys()).toEqual([]);
  });

  it('refuses a page that lost most of its sections: recorded, not retried, never a change', async () => {
    // Prepare
    const { store, snapshots, page, mailer, check } = await setup();
    await check();
    page.html = '<!doctype html><html><head><title>Acme</title></head><body><main><h1>Acme Privacy Policy</h1><p>We care about your privacy. Our full policy is being updated and will be back soon.</p></main></body></html>';
    // Act
    const result = await check();
    // Assess
    expect(result.retry).toBe(false);
    expect(result.check).toMatchObject({ outcome: 'failed', reason: 'shrunk' });
    expect(snapshots.keys()).toHaveLength(2);
    expect((await store.listChanges(POLICY.policyId)).items).toEqual([]);
    expect(mailer.sent).toEqual([]);
  });

  it('does nothing for a policy deleted after it was queued', async () => {
    const { store, deps } = await setup();
    await store.deletePolicy(POLICY.policyId);
    const result = await checkPolicy(POLICY.policyId, deps);
    expect(result.check).toBeUndefined();
    expect((await store.listChecks(POLICY.policyId)).items).toEqual([]);
  });
});
