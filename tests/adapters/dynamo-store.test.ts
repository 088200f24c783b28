import { DeleteItemCommand, DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoPolicyStore,
  createTables,
  prefixedTables,
  tablesFromEnv,
  tablesToEnv,
  type PolicyStoreTables,
} from '../../functions/adapters/dynamo-store.ts';
import { startEmulators, type Emulators } from '../../scripts/local/emulators.ts';
import { runPolicyStoreContract } from './policy-store.contract.ts';

let emulators: Emulators;
let tableSets = 0;

beforeAll(async () => {
  emulators = await startEmulators();
});

afterAll(async () => {
  await emulators?.stop();
});

/** Fresh tables for each test, so tests share one dynalite without seeing each other's items. */
async function createStoreWithTables(): Promise<{ store: DynamoPolicyStore; tables: PolicyStoreTables }> {
  tableSets += 1;
  const tables = prefixedTables(`t${tableSets}-`);
  await createTables(emulators.clients.dynamodb, tables);
  return { store: new DynamoPolicyStore({ client: emulators.clients.dynamodb, tables }), tables };
}

runPolicyStoreContract('DynamoPolicyStore on dynalite', async () => (await createStoreWithTables()).store);

describe('DynamoPolicyStore', () => {
  it('writes a notification claim that expires 90 days after the claim time', async () => {
    // Prepare
    const { store, tables } = await createStoreWithTables();
    // Act
    await store.claimNotification('change-1', 's-1', '2024-05-02T00:00:00.000Z');
    // Assess
    const { Item } = await emulators.clients.dynamodb.send(
      new GetItemCommand({ TableName: tables.notifications, Key: { notificationKey: { S: 'change-1#s-1' } } }),
    );
    expect(Item).toEqual({
      notificationKey: { S: 'change-1#s-1' },
      changeId: { S: 'change-1' },
      subscriptionId: { S: 's-1' },
      claimedAt: { S: '2024-05-02T00:00:00.000Z' },
      expiresAt: { N: String(Date.UTC(2024, 4, 2) / 1000 + 90 * 86_400) },
    });
  });

  it('restores a snapshot’s listing entry when a retry finds only its id item', async () => {
    // Prepare
    const { store, tables } = await createStoreWithTables();
    const snapshot = {
      policyId: 'imvu-privacy',
      snapshotId: 'a'.repeat(64),
      fetchedAt: '2024-05-01T00:00:00.000Z',
      contentType: 'text/plain',
      bytes: 10,
      title: 'Privacy',
      effectiveDate: null,
      rawKey: `raw/imvu-privacy/${'a'.repeat(64)}`,
      normalizedKey: `normalized/imvu-privacy/${'a'.repeat(64)}.json`,
    };
    await store.putSnapshot(snapshot);
    // A crash between the two writes of putSnapshot leaves the id item without its time item.
    await emulators.clients.dynamodb.send(
      new DeleteItemCommand({
        TableName: tables.snapshots,
        Key: { policyId: { S: 'imvu-privacy' }, sk: { S: `t#2024-05-01T00:00:00.000Z#${'a'.repeat(64)}` } },
      }),
    );
    // Act
    const retried = await store.putSnapshot(snapshot);
    // Assess
    expect(retried).toBe(false);
    expect(await store.listSnapshots('imvu-privacy')).toEqual({ items: [snapshot] });
  });

  it('creates the tables with the keys and indexes the CDK stack uses, and tolerates existing ones', async () => {
    // Prepare
    const tables = prefixedTables('keys-');
    await createTables(emulators.clients.dynamodb, tables);
    // Act
    await createTables(emulators.clients.dynamodb, tables);
    // Assess
    const describe = async (name: string) => (await emulators.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
    const snapshots = await describe(tables.snapshots);
    const changes = await describe(tables.changes);
    const subscriptions = await describe(tables.subscriptions);
    expect(snapshots?.KeySchema).toEqual([
      { AttributeName: 'policyId', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(changes?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema])).toEqual([
      [
        'byPolicy',
        [
          { AttributeName: 'policyId', KeyType: 'HASH' },
          { AttributeName: 'detectedAt', KeyType: 'RANGE' },
        ],
      ],
    ]);
    expect(subscriptions?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema])).toEqual([
      ['byEmail', [{ AttributeName: 'email', KeyType: 'HASH' }]],
    ]);
  });
});

describe('tablesFromEnv', () => {
  it('reads the six table names from their variables', () => {
    // Prepare
    const env = tablesToEnv(prefixedTables('pm-'));
    // Act
    const tables = tablesFromEnv(env);
    // Assess
    expect(env).toEqual({
      POLICIES_TABLE: 'pm-policies',
      SNAPSHOTS_TABLE: 'pm-snapshots',
      CHECKS_TABLE: 'pm-checks',
      CHANGES_TABLE: 'pm-changes',
      SUBSCRIPTIONS_TABLE: 'pm-subscriptions',
      NOTIFICATIONS_TABLE: 'pm-notifications',
    });
    expect(tables).toEqual(prefixedTables('pm-'));
  });

  it('names every missing variable', () => {
    // Prepare
    const env = { POLICIES_TABLE: 'p', SNAPSHOTS_TABLE: 's', CHECKS_TABLE: 'c', CHANGES_TABLE: 'ch' };
    // Act
    const read = () => tablesFromEnv(env);
    // Assess
    expect(read).toThrow('DynamoDB table names missing from the environment: SUBSCRIPTIONS_TABLE, NOTIFICATIONS_TABLE');
  });
});
