// One contract for the notification log, run against the in-memory log and against DynamoDB (dynalite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPolicyStore, createTables, prefixedTables } from '../../functions/adapters/dynamo-store.ts';
import { DynamoNotificationLog, MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import type { NotificationLog } from '../../functions/app/ports.ts';
import { startEmulators, type Emulators } from '../../scripts/local/emulators.ts';

const KEY = { changeId: 'change-1', subscriptionId: 's-1' };
const T0 = '2024-05-02T00:00:00.000Z';
const LEASE_END = '2024-05-02T00:02:00.000Z';
const AFTER_LEASE = '2024-05-02T00:03:00.000Z';
const LATER_LEASE_END = '2024-05-02T00:05:00.000Z';

function runNotificationLogContract(name: string, createLog: () => Promise<NotificationLog>): void {
  describe(name, () => {
    it('grants one claim per change and subscriber while its lease runs', async () => {
      const log = await createLog();
      expect(await log.claim(KEY, { token: 'a', at: T0, leaseUntil: LEASE_END })).toBe(true);
      expect(await log.claim(KEY, { token: 'b', at: T0, leaseUntil: LEASE_END })).toBe(false);
      expect(await log.claim({ ...KEY, subscriptionId: 's-2' }, { token: 'c', at: T0, leaseUntil: LEASE_END })).toBe(true);
    });

    it('lets a claim whose lease ran out be taken over (its sender crashed)', async () => {
      const log = await createLog();
      await log.claim(KEY, { token: 'a', at: T0, leaseUntil: LEASE_END });
      expect(await log.claim(KEY, { token: 'b', at: AFTER_LEASE, leaseUntil: LATER_LEASE_END })).toBe(true);
    });

    it('never grants a claim again once the email is marked sent', async () => {
      const log = await createLog();
      await log.claim(KEY, { token: 'a', at: T0, leaseUntil: LEASE_END });
      await log.markSent(KEY, { token: 'a', at: T0, messageId: 'm-1' });
      expect(await log.claim(KEY, { token: 'b', at: AFTER_LEASE, leaseUntil: LATER_LEASE_END })).toBe(false);
    });

    it('frees a released claim at once', async () => {
      const log = await createLog();
      await log.claim(KEY, { token: 'a', at: T0, leaseUntil: LEASE_END });
      await log.release(KEY, 'a');
      expect(await log.claim(KEY, { token: 'b', at: T0, leaseUntil: LEASE_END })).toBe(true);
    });

    it('ignores markSent and release from a claim that was taken over', async () => {
      // Prepare: a's lease ran out and b took over.
      const log = await createLog();
      await log.claim(KEY, { token: 'a', at: T0, leaseUntil: LEASE_END });
      await log.claim(KEY, { token: 'b', at: AFTER_LEASE, leaseUntil: LATER_LEASE_END });
      // Act
      await log.release(KEY, 'a');
      await log.markSent(KEY, { token: 'a', at: AFTER_LEASE, messageId: 'm-a' });
      // Assess: b's claim still holds, and is still only "sending" (free again after its lease).
      expect(await log.claim(KEY, { token: 'c', at: AFTER_LEASE, leaseUntil: LATER_LEASE_END })).toBe(false);
      expect(await log.claim(KEY, { token: 'c', at: '2024-05-02T00:06:00.000Z', leaseUntil: '2024-05-02T00:08:00.000Z' })).toBe(true);
    });
  });
}

let emulators: Emulators;
let tableSets = 0;

beforeAll(async () => {
  emulators = await startEmulators();
});

afterAll(async () => {
  await emulators?.stop();
});

runNotificationLogContract('MemoryNotificationLog', async () => new MemoryNotificationLog());
runNotificationLogContract('DynamoNotificationLog on dynalite', async () => {
  tableSets += 1;
  const tables = prefixedTables(`n${tableSets}-`);
  await createTables(emulators.clients.dynamodb, tables);
  return new DynamoNotificationLog({ client: emulators.clients.dynamodb, tableName: tables.notifications });
});

describe('DynamoNotificationLog', () => {
  it('treats a claim written by DynamoPolicyStore.claimNotification (no status) as final', async () => {
    const tables = prefixedTables('legacy-');
    await createTables(emulators.clients.dynamodb, tables);
    await new DynamoPolicyStore({ client: emulators.clients.dynamodb, tables }).claimNotification(KEY.changeId, KEY.subscriptionId, T0);
    const log = new DynamoNotificationLog({ client: emulators.clients.dynamodb, tableName: tables.notifications });
    expect(await log.claim(KEY, { token: 'a', at: AFTER_LEASE, leaseUntil: LATER_LEASE_END })).toBe(false);
  });
});
