import { describe, expect, it } from 'vitest';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { signLinkToken } from '../../functions/app/link-tokens.ts';
import { notifyChanges } from '../../functions/app/notify.ts';
import { applySuppression, FeedbackError, suppressionOf } from '../../functions/app/suppress.ts';
import type { ChangeRecord } from '../../functions/core/ports.ts';
import { apiHarness, LINK_SECRET, POLICY, PUBLIC_BASE_URL } from './api-harness.ts';

const CHANGE: ChangeRecord = {
  changeId: 'c0ffee000000000000000001',
  policyId: POLICY.policyId,
  policyName: POLICY.name,
  snapshotId: 'b'.repeat(64),
  baselineSnapshotId: 'a'.repeat(64),
  detectedAt: '2024-05-03T00:00:00.000Z',
  sectionId: 'data-retention',
  sectionPath: ['Data retention'],
  kind: 'modified',
  categories: ['retention'],
  material: true,
  severity: 'high',
  before: 'We keep your personal data for 30 days.',
  after: 'We keep your personal data for 12 months.',
  obligations: [{ type: 'retention-period', before: 'P30D', after: 'P12M' }],
};

/** The link in an email's plain-text part that starts with `prefix`. */
function linkIn(text: string | undefined, prefix: string): string {
  const link = (text ?? '').split(/\s+/).find((word) => word.startsWith(prefix));
  if (link === undefined) throw new Error(`no ${prefix} link in:\n${text}`);
  return link;
}

async function subscribed() {
  const harness = apiHarness();
  await harness.store.putPolicy(POLICY);
  const response = await harness.call('POST', '/subscriptions', { email: 'reader@example.org', policies: [POLICY.policyId], categories: ['retention'] });
  const confirmUrl = linkIn(harness.mailer.sent[0]?.text, `${PUBLIC_BASE_URL}/subscriptions/confirm?token=`);
  const confirmPath = confirmUrl.slice(PUBLIC_BASE_URL.length);
  return { ...harness, response, confirmPath };
}

async function notify(harness: ReturnType<typeof apiHarness>) {
  let tokens = 0;
  return notifyChanges([CHANGE], {
    store: harness.store,
    notifications: new MemoryNotificationLog(),
    mailer: harness.mailer,
    now: () => new Date('2024-05-03T00:00:00.000Z'),
    newClaimToken: () => `claim-${++tokens}`,
    publicBaseUrl: PUBLIC_BASE_URL,
    unsubscribeSecret: async () => LINK_SECRET,
  });
}

describe('POST /subscriptions (double opt-in)', () => {
  it('stores the subscription unconfirmed and emails a confirmation link to the address only', async () => {
    const { response, mailer, store } = await subscribed();
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ subscriptionId: 'sub-1', email: 'reader@example.org', confirmed: false });
    expect(mailer.sent.map((email) => [email.to, email.subject])).toEqual([['reader@example.org', 'Confirm your policy-change alerts']]);
    expect(mailer.sent[0]?.text).toContain('changes to retention of Acme Privacy Policy');
    expect(mailer.sent[0]?.html).toContain('>Confirm subscription</a>');
    expect(await store.getSubscription('sub-1')).toMatchObject({ confirmed: false });
  });

  it('sends no change email before the address confirms, and one after', async () => {
    // Prepare
    const harness = await subscribed();
    // Act
    const before = await notify(harness);
    const confirmed = await harness.call('GET', harness.confirmPath);
    const after = await notify(harness);
    // Assess
    expect(before.sent).toEqual([]);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ subscriptionId: 'sub-1', confirmed: true, confirmedAt: '2024-05-02T00:00:00.000Z' });
    expect(after.sent).toEqual([{ changeId: CHANGE.changeId, subscriptionId: 'sub-1' }]);
    expect(harness.mailer.sent.map((email) => email.subject)).toEqual(['Confirm your policy-change alerts', 'Acme Privacy Policy: retention changed']);
  });

  it('shows a confirmation page to a browser', async () => {
    const { call, confirmPath } = await subscribed();
    const response = await call('GET', confirmPath, undefined, { accept: 'text/html,application/xhtml+xml' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('reader@example.org will be emailed when a tracked policy changes.');
  });

  it('refuses a forged token and an expired one with 403 JSON', async () => {
    // Prepare
    const { call, confirmPath, setNow, store } = await subscribed();
    const forged = `/subscriptions/confirm?token=${signLinkToken('not-our-secret', 'confirm', 'sub-1', new Date('2030-01-01T00:00:00.000Z'))}`;
    const unsubscribeToken = `/subscriptions/confirm?token=${signLinkToken(LINK_SECRET, 'unsubscribe', 'sub-1')}`;
    // Act
    const forgedResponse = await call('GET', forged);
    const wrongPurpose = await call('GET', unsubscribeToken);
    setNow('2024-05-09T00:00:01.000Z');
    const expired = await call('GET', confirmPath);
    const missing = await call('GET', '/subscriptions/confirm');
    // Assess
    expect(forgedResponse.status).toBe(403);
    expect(await forgedResponse.json()).toEqual({ error: 'invalid-token', message: expect.stringContaining('not valid') });
    expect(wrongPurpose.status).toBe(403);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toEqual({ error: 'expired-token', message: expect.stringContaining('expired') });
    expect(missing.status).toBe(400);
    expect(await store.getSubscription('sub-1')).toMatchObject({ confirmed: false });
  });

  it('stores the delivery asked for, "each" by default, and lists it', async () => {
    // Prepare
    const harness = apiHarness();
    await harness.store.putPolicy(POLICY);
    // Act
    const daily = await harness.call('POST', '/subscriptions', { email: 'daily@example.org', policies: 'all', delivery: 'daily' });
    const each = await harness.call('POST', '/subscriptions', { email: 'each@example.org', policies: 'all' });
    const weekly = await harness.call('POST', '/subscriptions', { email: 'weekly@example.org', policies: 'all', delivery: 'weekly' });
    const listing = await harness.call('GET', '/subscriptions');
    // Assess
    expect(daily.status).toBe(201);
    expect(await daily.json()).toMatchObject({ email: 'daily@example.org', delivery: 'daily' });
    expect(await each.json()).toMatchObject({ email: 'each@example.org', delivery: 'each' });
    expect(weekly.status).toBe(422);
    const { items } = (await listing.json()) as { items: { email: string; delivery: string }[] };
    expect(items.map(({ email, delivery }) => [email, delivery])).toEqual([
      ['daily@example.org', 'daily'],
      ['each@example.org', 'each'],
    ]);
  });

  it('documents delivery in /openapi.json', async () => {
    const { call } = apiHarness();
    const document = (await (await call('GET', '/openapi.json')).json()) as { components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> } };
    expect(document.components.schemas.NewSubscription?.properties.delivery?.enum).toEqual(['each', 'daily']);
  });

  it('stores nothing and answers 503 when the confirmation email cannot be sent', async () => {
    const harness = apiHarness();
    await harness.store.putPolicy(POLICY);
    harness.mailer.failNextFor.add('reader@example.org');
    const response = await harness.call('POST', '/subscriptions', { email: 'reader@example.org', policies: 'all' });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'mail-failed' });
    expect(await harness.store.listSubscriptions()).toEqual([]);
  });
});

describe('unsubscribe (RFC 8058)', () => {
  async function confirmedWithUnsubscribeLink() {
    const harness = await subscribed();
    await harness.call('GET', harness.confirmPath);
    await notify(harness);
    const header = harness.mailer.sent[1]?.headers?.['List-Unsubscribe'] ?? '';
    const url = /^<(.+)>$/.exec(header)?.[1] ?? '';
    return { ...harness, unsubscribePath: url.slice(PUBLIC_BASE_URL.length) };
  }

  it('puts a signed one-click link in every change email', async () => {
    const { mailer, unsubscribePath } = await confirmedWithUnsubscribeLink();
    expect(unsubscribePath).toMatch(/^\/unsubscribe\?token=[\w-]+\.[\w-]+$/);
    expect(mailer.sent[1]?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mailer.sent[1]?.text).toContain(`Unsubscribe: ${PUBLIC_BASE_URL}${unsubscribePath}`);
  });

  it('unsubscribes on the one-click POST a mail client sends, and stays unsubscribed on a repeat', async () => {
    // Prepare
    const { app, store, unsubscribePath } = await confirmedWithUnsubscribeLink();
    const oneClick = () =>
      app.request(unsubscribePath, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    // Act
    const first = await oneClick();
    const again = await oneClick();
    // Assess
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ unsubscribed: true, message: 'You will get no more policy-change emails.' });
    expect(again.status).toBe(200);
    expect(await store.getSubscription('sub-1')).toBeUndefined();
  });

  it('answers a GET with a page whose button POSTs, and unsubscribes nobody on the GET alone', async () => {
    const { call, store, unsubscribePath } = await confirmedWithUnsubscribeLink();
    const page = await call('GET', unsubscribePath, undefined, { accept: 'text/html' });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Stop emailing reader@example.org about policy changes?');
    expect(html).toContain(`<form method="post" action="${PUBLIC_BASE_URL}${unsubscribePath}">`);
    expect(await store.getSubscription('sub-1')).toBeDefined();
  });

  it('refuses a forged unsubscribe token with 403 JSON, on GET and POST', async () => {
    const { call, store } = await confirmedWithUnsubscribeLink();
    const forged = `/unsubscribe?token=${signLinkToken('not-our-secret', 'unsubscribe', 'sub-1')}`;
    for (const method of ['GET', 'POST']) {
      const response = await call(method, forged);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'invalid-token' });
    }
    expect(await store.getSubscription('sub-1')).toBeDefined();
  });
});

describe('suppression (SES bounces and complaints)', () => {
  const bounce = (bounceType: string, emailAddress: string) =>
    JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType, bouncedRecipients: [{ emailAddress }] }, mail: { messageId: 'm-1' } });

  it('reads permanent bounces and complaints, and ignores transient bounces and deliveries', () => {
    expect(suppressionOf(bounce('Permanent', 'Reader@Example.org'))).toEqual({ reason: 'bounce', addresses: ['reader@example.org'] });
    expect(suppressionOf(JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'a@example.org' }] } }))).toEqual({
      reason: 'complaint',
      addresses: ['a@example.org'],
    });
    expect(suppressionOf(bounce('Transient', 'reader@example.org'))).toBeUndefined();
    expect(suppressionOf(JSON.stringify({ notificationType: 'Delivery' }))).toBeUndefined();
    expect(() => suppressionOf('not json')).toThrow(FeedbackError);
  });

  it('stops change emails to a suppressed address and refuses to subscribe it again', async () => {
    // Prepare
    const harness = await subscribed();
    await harness.call('GET', harness.confirmPath);
    const suppression = suppressionOf(bounce('Permanent', 'READER@example.org'));
    if (suppression === undefined) throw new Error('expected a suppression');
    // Act
    const marked = await applySuppression(suppression, { store: harness.store, now: () => new Date('2024-05-02T12:00:00.000Z') });
    const result = await notify(harness);
    const again = await harness.call('POST', '/subscriptions', { email: 'reader@example.org', policies: 'all' });
    // Assess
    expect(marked).toEqual(['sub-1']);
    expect(await harness.store.getSubscription('sub-1')).toMatchObject({ suppressed: { reason: 'bounce', at: '2024-05-02T12:00:00.000Z' } });
    expect(result.sent).toEqual([]);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'suppressed' });
    expect(harness.mailer.sent.map((email) => email.subject)).toEqual(['Confirm your policy-change alerts']);
  });
});

describe('GET /subscriptions', () => {
  it('pages through every subscription by id, confirmed or not', async () => {
    // Prepare
    const harness = apiHarness();
    for (const id of ['s-3', 's-1', 's-2']) {
      await harness.store.putSubscription({ subscriptionId: id, email: `${id}@example.org`, policies: 'all', categories: 'material', confirmed: id !== 's-2', createdAt: '2024-01-01T00:00:00.000Z' });
    }
    // Act
    const first = (await (await harness.call('GET', '/subscriptions?limit=2')).json()) as { items: { subscriptionId: string; confirmed: boolean }[]; cursor?: string };
    const second = (await (await harness.call('GET', `/subscriptions?limit=2&cursor=${first.cursor}`)).json()) as { items: { subscriptionId: string }[]; cursor?: string };
    const bogus = await harness.call('GET', '/subscriptions?cursor=bogus');
    // Assess
    expect(first.items.map((s) => [s.subscriptionId, s.confirmed])).toEqual([['s-1', true], ['s-2', false]]);
    expect(second).toEqual({ items: [expect.objectContaining({ subscriptionId: 's-3' })] });
    expect(bogus.status).toBe(400);
  });
});
