// Crashes and races in the check flow, against the emulators (dynalite, s3rver): a worker that
// dies after any write is re-run on the same message and must converge — one snapshot, one
// change record, each email once, the baseline untouched — and two workers checking the same
// new version at once send each email once (conditional writes in the notification log).
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, DynamoPolicyStore, prefixedTables } from '../../functions/adapters/dynamo-store.ts';
import { DynamoNotificationLog } from '../../functions/adapters/notification-log.ts';
import { S3SnapshotStore } from '../../functions/adapters/s3-snapshot-store.ts';
import { checkPolicy, type CheckDeps } from '../../functions/app/check-policy.ts';
import type { NotificationLog } from '../../functions/app/ports.ts';
import type { PolicyFetcher, PolicyRecord, PolicyStore, SnapshotStore } from '../../functions/core/ports.ts';
import { FetchError } from '../../functions/adapters/errors.ts';
import { startEmulators, type Emulators } from '../../scripts/local/emulators.ts';
import { FakePage, policyPage, RecordingMailer } from '../app/fakes.ts';

const BUCKET = 'crash-snapshots';
let emulators: Emulators;
let tableSets = 0;

beforeAll(async () => {
  emulators = await startEmulators({ buckets: [BUCKET] });
}, 60_000);

afterAll(async () => {
  await emulators?.stop();
});

class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

/**
 * The object with one method that, the first time it is called, "crashes": after doing its work,
 * or (`before`) instead of it.
 */
function crashing<T extends object>(target: T, method: keyof T & string, when: 'after' | 'before'): T {
  let crashed = false;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== method || crashed) return (value as (...args: unknown[]) => unknown).bind(object);
      return async (...args: unknown[]) => {
        crashed = true;
        if (when === 'after') await (value as (...args: unknown[]) => Promise<unknown>).apply(object, args);
        throw new InjectedCrash(`crash after ${method}`);
      };
    },
  });
}

async function setup() {
  const tables = prefixedTables(`crash${++tableSets}-`);
  await createTables(emulators.clients.dynamodb, tables);
  const policy: PolicyRecord = {
    policyId: `crash-policy-${tableSets}`,
    name: 'Acme Privacy Policy',
    url: 'https://acme.example/privacy',
    format: 'html',
    intervalHours: 12,
    createdAt: '2024-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    status: 'ok',
  };
  const store = new DynamoPolicyStore({ client: emulators.clients.dynamodb, tables });
  const snapshots = new S3SnapshotStore({ client: emulators.clients.s3, bucket: BUCKET });
  const notifications = new DynamoNotificationLog({ client: emulators.clients.dynamodb, tableName: tables.notifications });
  const page = new FakePage(policyPage());
  const mailer = new RecordingMailer();
  await store.putPolicy(policy);
  const subscription = { policies: [policy.policyId], confirmed: true, createdAt: policy.createdAt };
  await store.putSubscription({ ...subscription, subscriptionId: 'retention-fan', email: 'retention@example.org', categories: ['retention'] });
  await store.putSubscription({ ...subscription, subscriptionId: 'everything-fan', email: 'all@example.org', categories: 'material' });
  let clock = Date.parse('2024-05-02T06:00:00.000Z');
  let tokens = 0;
  const depsWith = (parts: { store?: PolicyStore; snapshots?: SnapshotStore; notifications?: NotificationLog; fetcher?: PolicyFetcher } = {}): CheckDeps => ({
    store: parts.store ?? store,
    snapshots: parts.snapshots ?? snapshots,
    fetcher: parts.fetcher ?? page,
    now: () => new Date((clock += 1000)),
    notify: {
      store: parts.store ?? store,
      notifications: parts.notifications ?? notifications,
      mailer,
      newClaimToken: () => `token-${++tokens}`,
      publicBaseUrl: 'https://monitor.example.org',
      unsubscribeSecret: async () => 'secret',
    },
  });
  const objectKeys = async () =>
    ((await emulators.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [])
      .map((object) => object.Key ?? '')
      .filter((key) => key.includes(`/${policy.policyId}/`))
      .sort();

  const baseline = await checkPolicy(policy.policyId, depsWith(), { scheduledAt: 'baseline' });
  expect(baseline.check?.outcome).toBe('baseline');
  page.html = policyPage({ retention: 'We keep your personal data for 12 months after you close your account.' });
  return { policy, store, snapshots, notifications, page, mailer, depsWith, objectKeys, baselineSnapshotId: baseline.check?.snapshotId as string };
}

type Step =
  | { on: 'store'; method: keyof PolicyStore & string }
  | { on: 'snapshots'; method: keyof SnapshotStore & string }
  | { on: 'notifications'; method: 'markSent' };

const STEPS: Step[] = [
  { on: 'snapshots', method: 'putRaw' },
  { on: 'snapshots', method: 'putNormalized' },
  { on: 'store', method: 'putSnapshot' },
  { on: 'store', method: 'putChange' },
  // SES accepted the first email, then the worker died before marking it sent: the claim's
  // lease keeps the re-run from sending it again.
  { on: 'notifications', method: 'markSent' },
  { on: 'store', method: 'putCheck' },
  { on: 'store', method: 'updatePolicy' },
];

describe('a worker that crashes after a write, re-run on the same message', () => {
  for (const step of STEPS) {
    const where = step.on === 'notifications' ? `mailer.send, before ${step.on}.${step.method}` : `${step.on}.${step.method}`;
    it(`converges after a crash right after ${where}`, async () => {
      // Prepare
      const { policy, store, snapshots, notifications, mailer, depsWith, objectKeys, baselineSnapshotId } = await setup();
      const crashed =
        step.on === 'store' ? depsWith({ store: crashing(store, step.method, 'after') })
        : step.on === 'snapshots' ? depsWith({ snapshots: crashing(snapshots, step.method, 'after') })
        : depsWith({ notifications: crashing(notifications, step.method, 'before') });
      // Act
      await expect(checkPolicy(policy.policyId, crashed, { scheduledAt: 'edit' })).rejects.toThrow(InjectedCrash);
      const rerun = await checkPolicy(policy.policyId, depsWith(), { scheduledAt: 'edit' });
      const again = await checkPolicy(policy.policyId, depsWith(), { scheduledAt: 'edit' });
      // Assess: one new version, one change, each email once, the baseline untouched.
      const after = await store.getPolicy(policy.policyId);
      const changes = (await store.listChanges(policy.policyId)).items;
      expect(rerun.check?.outcome).toBe(step.method === 'updatePolicy' ? 'unchanged' : 'changed');
      expect(again.check?.outcome).toBe('unchanged');
      expect(changes).toHaveLength(1);
      expect(changes[0]?.categories).toContain('retention');
      expect((await store.listSnapshots(policy.policyId)).items).toHaveLength(2);
      expect(await objectKeys()).toHaveLength(4);
      expect(mailer.sent.map((email) => email.to).sort()).toEqual(['all@example.org', 'retention@example.org']);
      expect(after?.baselineSnapshotId).toBe(baselineSnapshotId);
      expect(after?.lastSnapshotId).toBe(changes[0]?.snapshotId);
      expect(after).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    });
  }
});

describe('two workers checking the same new version at once', () => {
  it('store one change and send each email once', async () => {
    // Prepare: separate adapter instances, as two Lambda workers would have.
    const { policy, store, mailer, depsWith, baselineSnapshotId } = await setup();
    const tables = prefixedTables(`crash${tableSets}-`);
    const otherStore = new DynamoPolicyStore({ client: emulators.clients.dynamodb, tables });
    // Act
    const [a, b] = await Promise.all([
      checkPolicy(policy.policyId, depsWith(), { scheduledAt: 'edit' }),
      checkPolicy(policy.policyId, depsWith({ store: otherStore }), { scheduledAt: 'edit' }),
    ]);
    // Assess
    expect([a.check?.outcome, b.check?.outcome]).toEqual(['changed', 'changed']);
    expect(a.emailsSent + b.emailsSent).toBe(2);
    expect(mailer.sent.map((email) => email.to).sort()).toEqual(['all@example.org', 'retention@example.org']);
    expect((await store.listChanges(policy.policyId)).items).toHaveLength(1);
    expect((await store.listSnapshots(policy.policyId)).items).toHaveLength(2);
    expect((await store.getPolicy(policy.policyId))?.baselineSnapshotId).toBe(baselineSnapshotId);
  });
});

describe('tracking broken / restored on the emulators', () => {
  /** A site behind a bot wall, for as long as it is used. */
  const walled: PolicyFetcher = {
    fetch: async () => {
      throw new FetchError('bot-challenge', 'Cloudflare "Just a moment..." (80 characters of text)', { transient: true });
    },
  };

  it('sends each notice once per subscriber under redelivery and two concurrent workers', async () => {
    // Prepare: the baseline is stored; the edited page is put back to the baseline's text.
    const { policy, store, page, mailer, depsWith } = await setup();
    page.html = policyPage();
    const blocked = depsWith({ fetcher: walled });
    await checkPolicy(policy.policyId, blocked, { scheduledAt: 't1' });
    await checkPolicy(policy.policyId, blocked, { scheduledAt: 't2' });
    await checkPolicy(policy.policyId, blocked, { scheduledAt: 't2' });
    const afterRedelivery = mailer.sent.length;
    // Act: the third failure, recorded by two workers at once, then delivered again.
    await Promise.all([checkPolicy(policy.policyId, blocked, { scheduledAt: 't3' }), checkPolicy(policy.policyId, blocked, { scheduledAt: 't3-duplicate' })]);
    await checkPolicy(policy.policyId, blocked, { scheduledAt: 't3' });
    const broken = mailer.sent.splice(0);
    const whileBroken = await store.getPolicy(policy.policyId);
    // ...and recovery, seen by two workers at once, then delivered again.
    await Promise.all([checkPolicy(policy.policyId, depsWith(), { scheduledAt: 't4' }), checkPolicy(policy.policyId, depsWith(), { scheduledAt: 't4-duplicate' })]);
    await checkPolicy(policy.policyId, depsWith(), { scheduledAt: 't4' });
    // Assess
    expect(afterRedelivery).toBe(0);
    expect(broken.map((email) => `${email.to}: ${email.subject}`).sort()).toEqual([
      'all@example.org: Acme Privacy Policy: tracking broken (bot-challenge)',
      'retention@example.org: Acme Privacy Policy: tracking broken (bot-challenge)',
    ]);
    expect(whileBroken).toMatchObject({ status: 'broken', lastFailure: { reason: 'bot-challenge' } });
    expect(mailer.sent.map((email) => `${email.to}: ${email.subject}`).sort()).toEqual([
      'all@example.org: Acme Privacy Policy: tracking restored',
      'retention@example.org: Acme Privacy Policy: tracking restored',
    ]);
    expect(await store.getPolicy(policy.policyId)).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect((await store.listChanges(policy.policyId)).items).toEqual([]);
  });
});
