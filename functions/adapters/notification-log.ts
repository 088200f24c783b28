/**
 * The notification log (functions/app/ports.ts NotificationLog) on DynamoDB, and in memory for
 * tests. It uses the notifications table of dynamo-store.ts (key `notificationKey` =
 * `{changeId}#{subscriptionId}`, TTL attribute `expiresAt`) and adds a status and a lease, so a
 * failed send can be retried without ever sending twice. Every write is one conditional
 * UpdateItem or DeleteItem (no transactions: dynalite lacks them).
 *
 * A record written by `DynamoPolicyStore.claimNotification` has no status; it counts as sent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationKey, NotificationLog } from '../app/ports.ts';
import { StoreInputError } from './store-errors.ts';

export interface DynamoNotificationLogOptions {
  /** @default a client configured from the environment */
  client?: DynamoDBClient;
  /** The notifications table (env NOTIFICATIONS_TABLE). */
  tableName: string;
  /** How long a record is kept before DynamoDB's TTL deletes it. @default 90 */
  retentionDays?: number;
}

const DAY_SECONDS = 24 * 60 * 60;

export function notificationKeyOf(key: NotificationKey): string {
  return `${key.changeId}#${key.subscriptionId}`;
}

export class DynamoNotificationLog implements NotificationLog {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #retentionSeconds: number;

  constructor(options: DynamoNotificationLogOptions) {
    this.#documents = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}));
    this.#tableName = options.tableName;
    this.#retentionSeconds = (options.retentionDays ?? 90) * DAY_SECONDS;
  }

  async claim(key: NotificationKey, claim: { token: string; at: string; leaseUntil: string }): Promise<boolean> {
    const atMs = Date.parse(claim.at);
    if (Number.isNaN(atMs) || Number.isNaN(Date.parse(claim.leaseUntil))) throw new StoreInputError(`claim times must be ISO dates: ${claim.at}, ${claim.leaseUntil}`);
    return this.#conditional(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: { notificationKey: notificationKeyOf(key) },
        UpdateExpression:
          'SET changeId = :changeId, subscriptionId = :subscriptionId, #status = :sending, claimToken = :token, claimedAt = :at, leaseUntil = :leaseUntil, expiresAt = :expiresAt',
        // ISO timestamps in one format compare correctly as strings.
        ConditionExpression: 'attribute_not_exists(notificationKey) OR (#status = :sending AND leaseUntil < :at)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':changeId': key.changeId,
          ':subscriptionId': key.subscriptionId,
          ':sending': 'sending',
          ':token': claim.token,
          ':at': claim.at,
          ':leaseUntil': claim.leaseUntil,
          ':expiresAt': Math.floor(atMs / 1000) + this.#retentionSeconds,
        },
      }),
    );
  }

  async markSent(key: NotificationKey, sent: { token: string; at: string; messageId: string }): Promise<void> {
    await this.#conditional(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: { notificationKey: notificationKeyOf(key) },
        UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :messageId REMOVE leaseUntil',
        ConditionExpression: 'claimToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': sent.at, ':messageId': sent.messageId, ':token': sent.token },
      }),
    );
  }

  async release(key: NotificationKey, token: string): Promise<void> {
    await this.#conditional(
      new DeleteCommand({
        TableName: this.#tableName,
        Key: { notificationKey: notificationKeyOf(key) },
        ConditionExpression: 'claimToken = :token AND #status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':token': token, ':sending': 'sending' },
      }),
    );
  }

  /** Runs a conditional write; false when its condition did not hold. */
  async #conditional(command: UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.#documents.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

interface MemoryRecord {
  status: 'sending' | 'sent';
  token: string;
  leaseUntil?: string;
  messageId?: string;
}

/** The same protocol in memory, for use-case tests. */
export class MemoryNotificationLog implements NotificationLog {
  readonly #records = new Map<string, MemoryRecord>();

  async claim(key: NotificationKey, claim: { token: string; at: string; leaseUntil: string }): Promise<boolean> {
    const existing = this.#records.get(notificationKeyOf(key));
    if (existing !== undefined && !(existing.status === 'sending' && (existing.leaseUntil ?? '') < claim.at)) return false;
    this.#records.set(notificationKeyOf(key), { status: 'sending', token: claim.token, leaseUntil: claim.leaseUntil });
    return true;
  }

  async markSent(key: NotificationKey, sent: { token: string; at: string; messageId: string }): Promise<void> {
    const existing = this.#records.get(notificationKeyOf(key));
    if (existing?.token !== sent.token) return;
    this.#records.set(notificationKeyOf(key), { status: 'sent', token: sent.token, messageId: sent.messageId });
  }

  async release(key: NotificationKey, token: string): Promise<void> {
    const existing = this.#records.get(notificationKeyOf(key));
    if (existing?.token === token && existing.status === 'sending') this.#records.delete(notificationKeyOf(key));
  }

  /** Status of one email, for assertions. */
  statusOf(key: NotificationKey): MemoryRecord['status'] | undefined {
    return this.#records.get(notificationKeyOf(key))?.status;
  }
}
