import { describe, expect, it } from 'vitest';
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { createApp } from '../../functions/app/api.ts';
import { checkPolicy, type CheckDeps } from '../../functions/app/check-policy.ts';
import type { PolicyRecord } from '../../functions/core/ports.ts';
import { apiHarness, POLICY, storeSnapshot } from './api-harness.ts';
import { FakePage, policyPage, RecordingMailer } from './fakes.ts';

const page = (retention: string) => `<html><body><main><h1>Acme</h1><h2>Data retention</h2><p>${retention}</p></main></body></html>`;

describe('GET /policies/{id}/as-of', () => {
  async function withHistory() {
    const harness = apiHarness();
    await harness.store.putPolicy(POLICY);
    await storeSnapshot(harness.store, harness.snapshots, page('We keep data for 30 days.'), '2024-01-10T08:00:00.000Z');
    await storeSnapshot(harness.store, harness.snapshots, page('We keep data for 90 days.'), '2024-03-01T08:00:00.000Z');
    await storeSnapshot(harness.store, harness.snapshots, page('We keep data for 12 months.'), '2024-04-20T08:00:00.000Z');
    return harness;
  }

  it('answers with the version in force on a day, through the end of that day', async () => {
    const { call } = await withHistory();
    const said = async (date: string) => ((await (await call('GET', `/policies/acme-privacy/as-of?date=${date}`)).json()) as { sections: { text: string }[] }).sections[0]?.text;
    expect(await said('2024-02-15')).toBe('We keep data for 30 days.');
    expect(await said('2024-03-01')).toBe('We keep data for 90 days.');
    expect(await said('2024-03-01T07:59:59Z')).toBe('We keep data for 30 days.');
    expect(await said('2025-01-01')).toBe('We keep data for 12 months.');
  });

  it('answers with an earlier version the page went back to, and ignores failed checks', async () => {
    // Prepare: 30 days → 90 days → back to 30 days, then a failed check.
    const { call, store, snapshots } = await withHistory();
    await storeSnapshot(store, snapshots, page('We keep data for 30 days.'), '2024-06-01T08:00:00.000Z');
    await store.putCheck({ policyId: POLICY.policyId, checkedAt: '2024-06-02T08:00:00.000Z', outcome: 'failed', reason: 'http-503' });
    // Act
    const response = await call('GET', '/policies/acme-privacy/as-of?date=2024-06-05');
    // Assess
    const body = (await response.json()) as { snapshot: { fetchedAt: string }; sections: { text: string }[] };
    expect(body.sections[0]?.text).toBe('We keep data for 30 days.');
    expect(body.snapshot.fetchedAt).toBe('2024-01-10T08:00:00.000Z');
  });

  it('answers 404 before the first snapshot and 400 for a date it cannot read', async () => {
    const { call } = await withHistory();
    const early = await call('GET', '/policies/acme-privacy/as-of?date=2023-12-31');
    const garbled = await call('GET', '/policies/acme-privacy/as-of?date=last-tuesday');
    expect(early.status).toBe(404);
    expect(await early.json()).toEqual({ error: 'not-found', message: 'Policy "acme-privacy" has no snapshot from 2023-12-31 or earlier' });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: 'bad-request', message: expect.stringContaining('query.date') });
  });
});

describe('POST /policies/{id}/baseline', () => {
  it('approves a snapshot as the baseline and keeps every approval as the audit trail', async () => {
    // Prepare
    const { store, snapshots, call } = apiHarness();
    const first = await storeSnapshot(store, snapshots, page('We keep data for 30 days.'), '2024-01-10T08:00:00.000Z');
    const second = await storeSnapshot(store, snapshots, page('We keep data for 12 months.'), '2024-04-20T08:00:00.000Z');
    await store.putPolicy({ ...POLICY, baselineSnapshotId: first.snapshotId, lastSnapshotId: second.snapshotId });
    // Act
    const approved = await call('POST', '/policies/acme-privacy/baseline', { snapshotId: second.snapshotId, approvedBy: 'dpo@example.org', reason: 'Legal accepted 12 months' });
    const again = await call('POST', '/policies/acme-privacy/baseline', { snapshotId: second.snapshotId, approvedBy: 'dpo@example.org', reason: 'twice' });
    const unknown = await call('POST', '/policies/acme-privacy/baseline', { snapshotId: 'f'.repeat(64), approvedBy: 'dpo@example.org', reason: 'typo' });
    const anonymous = await call('POST', '/policies/acme-privacy/baseline', { snapshotId: second.snapshotId, reason: 'who?' });
    // Assess
    expect(approved.status).toBe(200);
    const approval = { snapshotId: second.snapshotId, previousSnapshotId: first.snapshotId, approvedBy: 'dpo@example.org', approvedAt: '2024-05-02T00:00:00.000Z', reason: 'Legal accepted 12 months' };
    expect(await approved.json()).toMatchObject({ baselineSnapshotId: second.snapshotId, baselineApproval: approval, baselineApprovals: [approval] });
    expect(await store.getPolicy('acme-privacy')).toMatchObject({ baselineSnapshotId: second.snapshotId, baselineApprovals: [approval] });
    expect(again.status).toBe(409);
    expect(unknown.status).toBe(404);
    expect(anonymous.status).toBe(422);
  });

  it('makes the next check diff against the approved version, and only an approval moves the baseline', async () => {
    // Prepare: baseline 30 days, then a 12-month version is checked and reported.
    const store = new MemoryPolicyStore();
    const snapshots = new MemorySnapshotStore();
    const fetcher = new FakePage(policyPage());
    const mailer = new RecordingMailer();
    await store.putPolicy({ ...POLICY, format: 'html' });
    await store.putSubscription({ subscriptionId: 'reader', email: 'reader@example.org', policies: 'all', categories: 'material', confirmed: true, createdAt: '2024-01-01T00:00:00.000Z' });
    let clock = Date.parse('2024-05-02T06:00:00.000Z');
    const deps: CheckDeps = {
      store,
      snapshots,
      fetcher,
      now: () => new Date((clock += 1000)),
      notify: { store, notifications: new MemoryNotificationLog(), mailer, newClaimToken: () => `t-${clock}`, publicBaseUrl: 'https://m.example', unsubscribeSecret: async () => 's' },
    };
    const app = createApp({ store, snapshots, mailer, now: () => new Date(clock), newId: () => 'x', publicBaseUrl: 'https://m.example', linkSecret: async () => 's' });
    const original = (await checkPolicy(POLICY.policyId, deps)).check?.snapshotId;
    fetcher.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
    const reported = await checkPolicy(POLICY.policyId, deps);
    const policyAfterChange = (await store.getPolicy(POLICY.policyId)) as PolicyRecord;
    // Act
    const approval = await app.request('/policies/acme-privacy/baseline', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ snapshotId: reported.check?.snapshotId, approvedBy: 'dpo@example.org', reason: 'Accepted' }),
    });
    fetcher.html = policyPage({ retention: 'We keep your personal data for 24 months after you close your account.' });
    const next = await checkPolicy(POLICY.policyId, deps);
    // Assess
    expect(policyAfterChange.baselineSnapshotId).toBe(original);
    expect(approval.status).toBe(200);
    expect(next.changes).toHaveLength(1);
    expect(next.changes[0]?.baselineSnapshotId).toBe(reported.check?.snapshotId);
    expect(next.changes[0]?.before).toContain('12 months');
    expect(next.changes[0]?.after).toContain('24 months');
    expect((await store.getPolicy(POLICY.policyId))?.baselineSnapshotId).toBe(reported.check?.snapshotId);
  });
});
