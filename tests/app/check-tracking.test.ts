// Failed checks in a row: recorded, counted once per scheduled check, one "tracking broken"
// email per run of failures and one "tracking restored" when the page is readable again.
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../functions/adapters/errors.ts';
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { createApp } from '../../functions/app/api.ts';
import { checkPolicy, DEFAULT_BROKEN_AFTER_FAILURES, type CheckDeps } from '../../functions/app/check-policy.ts';
import { NotifyError } from '../../functions/app/notify.ts';
import type { FetchOutcome, FetchRequest, PolicyFetcher, SubscriptionRecord } from '../../functions/core/ports.ts';
import { CHECKED_POLICY as POLICY, policyPage, RecordingMailer } from './fakes.ts';

const subscriber = (subscriptionId: string, email: string, extra: Partial<SubscriptionRecord> = {}): SubscriptionRecord => ({
  subscriptionId,
  email,
  policies: ['acme-privacy'],
  categories: ['children'],
  confirmed: true,
  createdAt: '2024-01-01T00:00:00.000Z',
  ...extra,
});

/** Answers each fetch with the next scripted page or failure; the last one repeats. */
class ScriptedSite implements PolicyFetcher {
  readonly requests: FetchRequest[] = [];
  constructor(public script: (string | FetchError)[]) {}

  async fetch(request: FetchRequest): Promise<FetchOutcome> {
    this.requests.push(request);
    const next = this.script.length > 1 ? this.script.shift() : this.script[0];
    if (next === undefined) throw new Error('ScriptedSite has no script');
    if (next instanceof FetchError) throw next;
    return { status: 'ok', url: request.url, body: new TextEncoder().encode(next), text: next, contentType: 'text/html; charset=utf-8' };
  }
}

const challenge = () => new FetchError('bot-challenge', 'Cloudflare "Just a moment..." (80 characters of text)', { transient: true });

async function setup(options: { brokenAfterFailures?: number; confirm?: boolean } = {}) {
  const store = new MemoryPolicyStore();
  const snapshots = new MemorySnapshotStore();
  const site = new ScriptedSite([policyPage()]);
  const mailer = new RecordingMailer();
  const sleeps: number[] = [];
  await store.putPolicy(POLICY);
  await store.putSubscription(subscriber('children-fan', 'children@example.org'));
  await store.putSubscription(subscriber('everything-fan', 'all@example.org', { policies: 'all', categories: 'material' }));
  await store.putSubscription(subscriber('other-policy', 'other@example.org', { policies: ['other-policy'] }));
  await store.putSubscription(subscriber('unconfirmed', 'unconfirmed@example.org', { confirmed: false }));
  let clock = Date.parse('2024-05-02T06:00:00.000Z');
  let tokens = 0;
  const deps: CheckDeps = {
    store,
    snapshots,
    fetcher: site,
    now: () => new Date((clock += 1000)),
    ...(options.brokenAfterFailures === undefined ? {} : { brokenAfterFailures: options.brokenAfterFailures }),
    ...(options.confirm ? { confirm: { delayMs: 60_000, sleep: async (ms: number) => void sleeps.push(ms) } } : {}),
    notify: {
      store,
      notifications: new MemoryNotificationLog(),
      mailer,
      newClaimToken: () => `token-${++tokens}`,
      publicBaseUrl: 'https://monitor.example.org',
      unsubscribeSecret: async () => 'secret',
    },
  };
  let scheduled = 0;
  /** One scheduled check; `redeliver` repeats the previous message instead. */
  const check = (redeliver = false) => {
    if (!redeliver) scheduled++;
    return checkPolicy(POLICY.policyId, deps, { scheduledAt: `2024-05-02T0${scheduled}:00:00.000Z` });
  };
  await check();
  return { store, snapshots, site, mailer, deps, sleeps, check };
}

const recipients = (mailer: RecordingMailer) => mailer.sent.map((email) => email.to).sort();

describe('tracking broken / restored', () => {
  it('mails "tracking broken" once, to every confirmed subscriber of the policy, after the third failure in a row', async () => {
    // Prepare
    const { store, site, mailer, check } = await setup();
    site.script = [challenge()];
    // Act
    const first = await check();
    const second = await check();
    const sentBeforeThird = mailer.sent.length;
    const third = await check();
    const fourth = await check();
    // Assess
    expect(DEFAULT_BROKEN_AFTER_FAILURES).toBe(3);
    expect([first, second, third, fourth].map((result) => result.check?.reason)).toEqual(['bot-challenge', 'bot-challenge', 'bot-challenge', 'bot-challenge']);
    expect(sentBeforeThird).toBe(0);
    expect(third.emailsSent).toBe(2);
    expect(fourth.emailsSent).toBe(0);
    expect(recipients(mailer)).toEqual(['all@example.org', 'children@example.org']);
    expect(mailer.sent[0]?.subject).toBe('Acme Privacy Policy: tracking broken (bot-challenge)');
    expect(mailer.sent[0]?.text).toContain('The last 3 checks of Acme Privacy Policy failed');
    expect(mailer.sent[0]?.headers?.['List-Unsubscribe']).toMatch(/^<https:\/\/monitor\.example\.org\/unsubscribe\?token=/);
    expect(await store.getPolicy(POLICY.policyId)).toMatchObject({
      status: 'broken',
      consecutiveFailures: 4,
      failingSince: first.check?.checkedAt,
      lastFailure: { reason: 'bot-challenge', at: fourth.check?.checkedAt },
    });
  });

  it('counts a redelivered message once, so retries of one scheduled check never break tracking', async () => {
    // Prepare
    const { store, site, mailer, check } = await setup();
    site.script = [new FetchError('http-status', '503 Service Unavailable', { status: 503, transient: true })];
    // Act
    const results = [await check(), await check(true), await check(true), await check(true)];
    // Assess
    expect(results.map((result) => result.retry)).toEqual([true, true, true, true]);
    expect(await store.getPolicy(POLICY.policyId)).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastFailure: { reason: 'http-503' } });
    expect((await store.listChecks(POLICY.policyId)).items.filter((item) => item.outcome === 'failed')).toHaveLength(4);
    expect(mailer.sent).toEqual([]);
  });

  it('mails "tracking restored" once when a check succeeds again, and a new run of failures mails again', async () => {
    // Prepare
    const { store, site, mailer, check } = await setup({ brokenAfterFailures: 2 });
    site.script = [challenge(), challenge(), policyPage()];
    await check();
    await check();
    // Act
    const restored = await check();
    const later = await check();
    site.script = [challenge()];
    await check();
    await check();
    // Assess
    expect(restored.check?.outcome).toBe('unchanged');
    expect(later.check?.outcome).toBe('unchanged');
    expect(mailer.sent.map((email) => email.subject)).toEqual([
      'Acme Privacy Policy: tracking broken (bot-challenge)',
      'Acme Privacy Policy: tracking broken (bot-challenge)',
      'Acme Privacy Policy: tracking restored',
      'Acme Privacy Policy: tracking restored',
      'Acme Privacy Policy: tracking broken (bot-challenge)',
      'Acme Privacy Policy: tracking broken (bot-challenge)',
    ]);
    expect(await store.getPolicy(POLICY.policyId)).toMatchObject({ status: 'broken', consecutiveFailures: 2 });
  });

  it('sends "tracking broken" once per subscriber when two workers record the breaking failure at once', async () => {
    // Prepare: two failures so far; both workers see the policy before either writes.
    const { site, mailer, deps, check } = await setup();
    site.script = [challenge()];
    await check();
    await check();
    // Act
    const [a, b] = await Promise.all([
      checkPolicy(POLICY.policyId, deps, { scheduledAt: 'worker-a' }),
      checkPolicy(POLICY.policyId, deps, { scheduledAt: 'worker-b' }),
    ]);
    // Assess
    expect(a.emailsSent + b.emailsSent).toBe(2);
    expect(recipients(mailer)).toEqual(['all@example.org', 'children@example.org']);
  });

  it('retries a "tracking broken" email whose send failed, and sends the other one once', async () => {
    // Prepare
    const { site, mailer, deps, check } = await setup({ brokenAfterFailures: 1 });
    site.script = [challenge()];
    mailer.failNextFor.add('children@example.org');
    // Act
    await expect(checkPolicy(POLICY.policyId, deps, { scheduledAt: 'once' })).rejects.toThrow(NotifyError);
    await checkPolicy(POLICY.policyId, deps, { scheduledAt: 'once' });
    await check();
    // Assess
    expect(recipients(mailer)).toEqual(['all@example.org', 'children@example.org']);
  });

  it("keeps a long Retry-After for the scheduler instead of asking the queue to redeliver, and clears it on success", async () => {
    // Prepare
    const { store, site, check } = await setup();
    site.script = [new FetchError('http-status', '429 Too Many Requests', { status: 429, transient: true, retryAfterMs: 3_600_000 }), policyPage()];
    // Act
    const limited = await check();
    const deferred = await store.getPolicy(POLICY.policyId);
    await check();
    // Assess
    expect(limited.retry).toBe(false);
    expect(limited.check).toMatchObject({ outcome: 'failed', reason: 'http-429' });
    expect(deferred?.retryAfter).toBe(new Date(Date.parse(limited.check?.checkedAt ?? '') + 3_600_000).toISOString());
    expect((await store.getPolicy(POLICY.policyId))?.retryAfter).toBeUndefined();
  });

  it('shows the failure on the policy in the API', async () => {
    // Prepare
    const { store, snapshots, site, check } = await setup();
    site.script = [new FetchError('refused-address', '169.254.169.254 is linkLocal (http://169.254.169.254/)')];
    const failed = await check();
    const app = createApp({ store, snapshots, mailer: new RecordingMailer(), now: () => new Date(), newId: () => 'id', publicBaseUrl: 'https://monitor.example', linkSecret: async () => 'test-secret' });
    // Act
    const response = await app.request(`/policies/${POLICY.policyId}`);
    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'failing',
      consecutiveFailures: 1,
      failingSince: failed.check?.checkedAt,
      lastFailure: { at: failed.check?.checkedAt, reason: 'refused-address', detail: expect.stringContaining('169.254.169.254') },
    });
  });
});

describe('confirming a material change with a second fetch', () => {
  const changed = (days: number) => policyPage({ retention: `We keep your personal data for ${days} days after you close your account.` });

  it('records a change found on two fetches a minute apart', async () => {
    // Prepare
    const { site, mailer, sleeps, check } = await setup({ confirm: true });
    site.script = [changed(90), changed(90)];
    // Act
    const result = await check();
    // Assess
    expect(result.check?.outcome).toBe('changed');
    expect(sleeps).toEqual([60_000]);
    expect(site.requests.at(-1)).toEqual({ url: POLICY.url });
    expect(recipients(mailer)).toEqual(['all@example.org']);
  });

  it('refuses a change the second fetch does not repeat (A/B test): a volatile failure, nothing stored, nobody told', async () => {
    // Prepare
    const { store, snapshots, site, mailer, check } = await setup({ confirm: true });
    const baselineKeys = snapshots.keys();
    const before = await store.getPolicy(POLICY.policyId);
    site.script = [changed(90), changed(91)];
    // Act
    const result = await check();
    // Assess
    expect(result.check).toMatchObject({ outcome: 'failed', reason: 'volatile' });
    expect(result.check?.notes?.[0]).toMatch(/^1 changed section\(s\) read differently on a second fetch 60 s later: .*Data retention/);
    expect(result.retry).toBe(false);
    expect(snapshots.keys()).toEqual(baselineKeys);
    expect((await store.listChanges(POLICY.policyId)).items).toEqual([]);
    expect(mailer.sent).toEqual([]);
    expect((await store.getPolicy(POLICY.policyId))?.baselineSnapshotId).toBe(before?.baselineSnapshotId);
  });

  it('does not fetch twice for an unchanged or cosmetic version', async () => {
    // Prepare
    const { site, sleeps, check } = await setup({ confirm: true });
    site.script = [policyPage().replace('Home · Products', 'Home  ·  Products')];
    // Act
    const result = await check();
    // Assess
    expect(result.check?.outcome).toBe('cosmetic');
    expect(sleeps).toEqual([]);
  });
});
