/**
 * The PolicyStore on DynamoDB: one table per record type, single conditional puts for
 * idempotency (no transactions: dynalite, the local emulator, lacks TransactWriteItems).
 *
 * Key schema (the CDK stack creates the same tables; `createTables` makes them locally):
 * - policies: `policyId`
 * - snapshots: `policyId` + `sk`, two items per snapshot: `t#{fetchedAt}#{snapshotId}` lists
 *   newest first, `id#{snapshotId}` answers getSnapshot with one GetItem and guards idempotency
 * - checks: `policyId` + `checkedAt`
 * - changes: `changeId`; GSI `byPolicy` = `policyId` + `detectedAt`
 * - subscriptions: `subscriptionId`; GSI `byEmail` = `email`
 * - notifications: `notificationKey` = `{changeId}#{subscriptionId}`; TTL attribute `expiresAt`
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  ChangeRecord,
  CheckRecord,
  Page,
  PolicyRecord,
  PolicyStore,
  SnapshotRecord,
  SubscriptionRecord,
} from '../core/ports.ts';
import {
  InvalidCursorError,
  RecordNotFoundError,
  StoreInputError,
  decodeCursor,
  encodeCursor,
  resolvePageLimit,
  type CursorKey,
} from './store-errors.ts';

/** Table names, one per record type. */
export interface PolicyStoreTables {
  policies: string;
  snapshots: string;
  checks: string;
  changes: string;
  subscriptions: string;
  notifications: string;
}

export const CHANGES_BY_POLICY_INDEX = 'byPolicy';
export const SUBSCRIPTIONS_BY_EMAIL_INDEX = 'byEmail';

/** Environment variable that names each table (set by the CDK stack and the local runner). */
export const TABLE_ENV_VARS: Readonly<Record<keyof PolicyStoreTables, string>> = {
  policies: 'POLICIES_TABLE',
  snapshots: 'SNAPSHOTS_TABLE',
  checks: 'CHECKS_TABLE',
  changes: 'CHANGES_TABLE',
  subscriptions: 'SUBSCRIPTIONS_TABLE',
  notifications: 'NOTIFICATIONS_TABLE',
};

/** Reads the six table names from the environment; throws naming every missing variable. */
export function tablesFromEnv(env: NodeJS.ProcessEnv = process.env): PolicyStoreTables {
  const entries = Object.entries(TABLE_ENV_VARS) as [keyof PolicyStoreTables, string][];
  const missing = entries.filter(([, variable]) => !env[variable]).map(([, variable]) => variable);
  if (missing.length > 0) throw new Error(`DynamoDB table names missing from the environment: ${missing.join(', ')}`);
  return Object.fromEntries(entries.map(([table, variable]) => [table, env[variable]])) as unknown as PolicyStoreTables;
}

/** Table names with a common prefix, for local runs and tests (DynamoDB wants ≥ 3 characters). */
export function prefixedTables(prefix: string): PolicyStoreTables {
  const tables = Object.keys(TABLE_ENV_VARS) as (keyof PolicyStoreTables)[];
  return Object.fromEntries(tables.map((table) => [table, `${prefix}${table}`])) as unknown as PolicyStoreTables;
}

/** Environment variables naming `tables`, the inverse of tablesFromEnv. */
export function tablesToEnv(tables: PolicyStoreTables): Record<string, string> {
  const entries = Object.entries(TABLE_ENV_VARS) as [keyof PolicyStoreTables, string][];
  return Object.fromEntries(entries.map(([table, variable]) => [variable, tables[table]]));
}

export interface DynamoPolicyStoreOptions {
  /** @default a client configured from the environment (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, …) */
  client?: DynamoDBClient;
  /** @default tablesFromEnv() */
  tables?: PolicyStoreTables;
  /** How long a notification claim is kept (DynamoDB TTL deletes it after). @default 90 */
  notificationRetentionDays?: number;
}

const SNAPSHOT_TIME_PREFIX = 't#';
const SNAPSHOT_ID_PREFIX = 'id#';
const DAY_SECONDS = 24 * 60 * 60;

export class DynamoPolicyStore implements PolicyStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tables: PolicyStoreTables;
  readonly #notificationRetentionSeconds: number;

  constructor(options: DynamoPolicyStoreOptions = {}) {
    this.#documents = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#tables = options.tables ?? tablesFromEnv();
    this.#notificationRetentionSeconds = (options.notificationRetentionDays ?? 90) * DAY_SECONDS;
  }

  // Policies

  async putPolicy(policy: PolicyRecord): Promise<void> {
    await this.#documents.send(new PutCommand({ TableName: this.#tables.policies, Item: policy }));
  }

  async getPolicy(policyId: string): Promise<PolicyRecord | undefined> {
    return this.#get<PolicyRecord>(this.#tables.policies, { policyId });
  }

  async listPolicies(cursor?: string, limit?: number): Promise<Page<PolicyRecord>> {
    return this.#page<PolicyRecord>('scan', { TableName: this.#tables.policies }, ['policyId'], cursor, limit);
  }

  async deletePolicy(policyId: string): Promise<void> {
    // Snapshots, checks and changes stay: they are the audit trail of what the policy said.
    await this.#documents.send(new DeleteCommand({ TableName: this.#tables.policies, Key: { policyId } }));
  }

  async updatePolicy(policyId: string, patch: Partial<Omit<PolicyRecord, 'policyId'>>): Promise<void> {
    await this.#update(this.#tables.policies, 'policyId', policyId, patch, 'policy');
  }

  // Snapshots

  async putSnapshot(snapshot: SnapshotRecord): Promise<boolean> {
    const { policyId, snapshotId } = snapshot;
    // The id item goes first and decides idempotency; the time item is derived from it.
    const claimed = await this.#putIfAbsent(this.#tables.snapshots, { ...snapshot, sk: SNAPSHOT_ID_PREFIX + snapshotId }, 'sk');
    if (!claimed) {
      await this.#repairSnapshotTimeItem(policyId, snapshotId);
      return false;
    }
    await this.#documents.send(new PutCommand({ TableName: this.#tables.snapshots, Item: { ...snapshot, sk: snapshotTimeKey(snapshot) } }));
    return true;
  }

  async getSnapshot(policyId: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    const item = await this.#get<SnapshotRecord & { sk: string }>(this.#tables.snapshots, { policyId, sk: SNAPSHOT_ID_PREFIX + snapshotId });
    return item && withoutSortKey(item);
  }

  async listSnapshots(policyId: string, cursor?: string, limit?: number): Promise<Page<SnapshotRecord>> {
    const page = await this.#page<SnapshotRecord & { sk: string }>(
      'query',
      {
        TableName: this.#tables.snapshots,
        KeyConditionExpression: 'policyId = :policyId AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':policyId': policyId, ':prefix': SNAPSHOT_TIME_PREFIX },
        ScanIndexForward: false,
      },
      ['policyId', 'sk'],
      cursor,
      limit,
      (key) => key.policyId === policyId && key.sk?.startsWith(SNAPSHOT_TIME_PREFIX) === true,
    );
    return { ...page, items: page.items.map(withoutSortKey) };
  }

  // Checks

  async putCheck(check: CheckRecord): Promise<void> {
    await this.#documents.send(new PutCommand({ TableName: this.#tables.checks, Item: check }));
  }

  /** Newest first. */
  async listChecks(policyId: string, cursor?: string, limit?: number, options: { atOrBefore?: string } = {}): Promise<Page<CheckRecord>> {
    const { atOrBefore } = options;
    return this.#page<CheckRecord>(
      'query',
      {
        TableName: this.#tables.checks,
        // The sort key bounds the query, so finding the check in force at a date reads one page.
        KeyConditionExpression: atOrBefore === undefined ? 'policyId = :policyId' : 'policyId = :policyId AND checkedAt <= :atOrBefore',
        ExpressionAttributeValues: { ':policyId': policyId, ...(atOrBefore === undefined ? {} : { ':atOrBefore': atOrBefore }) },
        ScanIndexForward: false,
      },
      ['policyId', 'checkedAt'],
      cursor,
      limit,
      (key) => key.policyId === policyId,
    );
  }

  // Changes

  async putChange(change: ChangeRecord): Promise<boolean> {
    return this.#putIfAbsent(this.#tables.changes, change, 'changeId');
  }

  async getChange(changeId: string): Promise<ChangeRecord | undefined> {
    return this.#get<ChangeRecord>(this.#tables.changes, { changeId });
  }

  async listChanges(policyId: string, cursor?: string, limit?: number): Promise<Page<ChangeRecord>> {
    return this.#page<ChangeRecord>(
      'query',
      {
        TableName: this.#tables.changes,
        IndexName: CHANGES_BY_POLICY_INDEX,
        KeyConditionExpression: 'policyId = :policyId',
        ExpressionAttributeValues: { ':policyId': policyId },
        ScanIndexForward: false,
      },
      ['changeId', 'policyId', 'detectedAt'],
      cursor,
      limit,
      (key) => key.policyId === policyId,
    );
  }

  // Subscriptions

  async putSubscription(subscription: SubscriptionRecord): Promise<void> {
    await this.#documents.send(new PutCommand({ TableName: this.#tables.subscriptions, Item: subscription }));
  }

  async getSubscription(subscriptionId: string): Promise<SubscriptionRecord | undefined> {
    return this.#get<SubscriptionRecord>(this.#tables.subscriptions, { subscriptionId });
  }

  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    const subscriptions: SubscriptionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.#documents.send(new ScanCommand({ TableName: this.#tables.subscriptions, ExclusiveStartKey: startKey }));
      subscriptions.push(...((result.Items ?? []) as SubscriptionRecord[]));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return subscriptions;
  }

  async updateSubscription(subscriptionId: string, patch: Partial<Omit<SubscriptionRecord, 'subscriptionId'>>): Promise<void> {
    await this.#update(this.#tables.subscriptions, 'subscriptionId', subscriptionId, patch, 'subscription');
  }

  async deleteSubscription(subscriptionId: string): Promise<void> {
    await this.#documents.send(new DeleteCommand({ TableName: this.#tables.subscriptions, Key: { subscriptionId } }));
  }

  // Notifications

  async claimNotification(changeId: string, subscriptionId: string, at: string): Promise<boolean> {
    const claimedAtMs = Date.parse(at);
    if (Number.isNaN(claimedAtMs)) throw new StoreInputError(`claim time ${JSON.stringify(at)} is not an ISO date`);
    return this.#putIfAbsent(
      this.#tables.notifications,
      {
        notificationKey: `${changeId}#${subscriptionId}`,
        changeId,
        subscriptionId,
        claimedAt: at,
        // Epoch seconds, the unit DynamoDB TTL reads.
        expiresAt: Math.floor(claimedAtMs / 1000) + this.#notificationRetentionSeconds,
      },
      'notificationKey',
    );
  }

  // Helpers

  async #get<T>(tableName: string, key: Record<string, string>): Promise<T | undefined> {
    const result = await this.#documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return result.Item as T | undefined;
  }

  /** A conditional put on the item's key: false when an item with that key already exists. */
  async #putIfAbsent(tableName: string, item: object, keyAttribute: string): Promise<boolean> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: tableName,
          Item: item as Record<string, unknown>,
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': keyAttribute },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** A crash between putSnapshot's two writes leaves the id item alone; a retry restores the time item. */
  async #repairSnapshotTimeItem(policyId: string, snapshotId: string): Promise<void> {
    const existing = await this.getSnapshot(policyId, snapshotId);
    if (existing === undefined) return;
    await this.#putIfAbsent(this.#tables.snapshots, { ...existing, sk: snapshotTimeKey(existing) }, 'sk');
  }

  /** SET for defined values, REMOVE for keys given as undefined (e.g. a validator the server dropped). */
  async #update(tableName: string, keyName: string, keyValue: string, patch: object, kind: 'policy' | 'subscription'): Promise<void> {
    const names: Record<string, string> = { '#key': keyName };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    Object.entries(patch).forEach(([name, value], index) => {
      if (name === keyName) return;
      names[`#a${index}`] = name;
      if (value === undefined) {
        removes.push(`#a${index}`);
      } else {
        values[`:v${index}`] = value;
        sets.push(`#a${index} = :v${index}`);
      }
    });
    if (sets.length === 0 && removes.length === 0) return;
    const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [keyName]: keyValue },
          UpdateExpression: expression,
          // Without it, an update of a deleted record would recreate it as a partial item.
          ConditionExpression: 'attribute_exists(#key)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: sets.length > 0 ? values : undefined,
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new RecordNotFoundError(kind, keyValue, { cause: error });
      throw error;
    }
  }

  /**
   * One page of a query or scan. Reads limit + 1 items so that the last page carries no cursor
   * (DynamoDB alone returns a LastEvaluatedKey whenever it stops at Limit, even at the end).
   */
  async #page<T extends object>(
    operation: 'query' | 'scan',
    input: Omit<QueryCommandInput & ScanCommandInput, 'Limit' | 'ExclusiveStartKey'>,
    keyAttributes: readonly string[],
    cursor: string | undefined,
    limit: number | undefined,
    cursorBelongs: (key: CursorKey) => boolean = () => true,
  ): Promise<Page<T>> {
    const pageLimit = resolvePageLimit(limit);
    let startKey: CursorKey | undefined;
    if (cursor !== undefined) {
      startKey = decodeCursor(cursor, keyAttributes);
      if (!cursorBelongs(startKey)) throw new InvalidCursorError('issued for another listing');
    }
    const request = { ...input, Limit: pageLimit + 1, ExclusiveStartKey: startKey };
    const result = await this.#documents.send(operation === 'query' ? new QueryCommand(request) : new ScanCommand(request));
    const items = (result.Items ?? []) as T[];
    if (items.length > pageLimit) {
      const pageItems = items.slice(0, pageLimit);
      const last = pageItems[pageItems.length - 1] as Record<string, unknown>;
      return { items: pageItems, cursor: encodeCursor(Object.fromEntries(keyAttributes.map((name) => [name, String(last[name])]))) };
    }
    // Fewer items but a LastEvaluatedKey: DynamoDB stopped at its 1 MB page size; carry on from there.
    const nextKey = result.LastEvaluatedKey as CursorKey | undefined;
    return nextKey === undefined ? { items } : { items, cursor: encodeCursor(nextKey) };
  }
}

function snapshotTimeKey(snapshot: Pick<SnapshotRecord, 'fetchedAt' | 'snapshotId'>): string {
  return `${SNAPSHOT_TIME_PREFIX}${snapshot.fetchedAt}#${snapshot.snapshotId}`;
}

function withoutSortKey(item: SnapshotRecord & { sk: string }): SnapshotRecord {
  const { sk: _sortKey, ...snapshot } = item;
  return snapshot;
}

/** Structural, so it holds when two copies of the SDK are loaded (bundles, tests). */
function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * Creates the six tables with their keys and indexes, on demand billing, and waits until they are
 * active. Idempotent: existing tables are left as they are. For local runs and tests; in AWS the
 * CDK stack owns the tables (and their TTL, which dynalite cannot set).
 */
export async function createTables(client: DynamoDBClient, tables: PolicyStoreTables): Promise<void> {
  const definitions = tableDefinitions(tables);
  await Promise.all(
    definitions.map(async (definition) => {
      try {
        await client.send(new CreateTableCommand(definition));
      } catch (error) {
        if ((error as { name?: unknown } | null)?.name !== 'ResourceInUseException') throw error;
      }
    }),
  );
  await Promise.all(definitions.map((definition) => waitUntilActive(client, definition.TableName as string)));
}

function tableDefinitions(tables: PolicyStoreTables): CreateTableCommandInput[] {
  const stringKeys = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));
  const hash = (AttributeName: string) => ({ AttributeName, KeyType: 'HASH' as const });
  const range = (AttributeName: string) => ({ AttributeName, KeyType: 'RANGE' as const });
  const onDemand = { BillingMode: 'PAY_PER_REQUEST' as const };
  return [
    { TableName: tables.policies, AttributeDefinitions: stringKeys('policyId'), KeySchema: [hash('policyId')], ...onDemand },
    { TableName: tables.snapshots, AttributeDefinitions: stringKeys('policyId', 'sk'), KeySchema: [hash('policyId'), range('sk')], ...onDemand },
    { TableName: tables.checks, AttributeDefinitions: stringKeys('policyId', 'checkedAt'), KeySchema: [hash('policyId'), range('checkedAt')], ...onDemand },
    {
      TableName: tables.changes,
      AttributeDefinitions: stringKeys('changeId', 'policyId', 'detectedAt'),
      KeySchema: [hash('changeId')],
      GlobalSecondaryIndexes: [
        { IndexName: CHANGES_BY_POLICY_INDEX, KeySchema: [hash('policyId'), range('detectedAt')], Projection: { ProjectionType: 'ALL' } },
      ],
      ...onDemand,
    },
    {
      TableName: tables.subscriptions,
      AttributeDefinitions: stringKeys('subscriptionId', 'email'),
      KeySchema: [hash('subscriptionId')],
      GlobalSecondaryIndexes: [{ IndexName: SUBSCRIPTIONS_BY_EMAIL_INDEX, KeySchema: [hash('email')], Projection: { ProjectionType: 'ALL' } }],
      ...onDemand,
    },
    { TableName: tables.notifications, AttributeDefinitions: stringKeys('notificationKey'), KeySchema: [hash('notificationKey')], ...onDemand },
  ];
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`DynamoDB table ${tableName} not active after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
