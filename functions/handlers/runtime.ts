/**
 * The composition root: builds the adapters each use-case needs from the environment the CDK
 * stack sets (DESIGN.md §3, infra/policy-monitor-stack.ts). Handlers call one factory each at
 * module scope, once per cold start; the local runner and the flow tests call the same
 * factories with emulator clients. One factory per use-case, so that a handler's bundle keeps
 * only the SDK clients it uses (the clients are side-effect free, and esbuild drops the rest).
 * The S3 and SES clients are built on first use, since most invocations never call them. Their
 * modules are imported statically: esbuild cannot tree-shake what `import()` reaches, so loading
 * the adapters lazily kept every S3 and SES command in the check bundle (172 KB more), and it
 * imported 14 ms slower than evaluating the two SDK modules up front.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Mailer, OutgoingEmail, PolicyFetcher, SnapshotStore } from '../core/ports.ts';
import { DynamoPolicyStore, tablesFromEnv, type PolicyStoreTables } from '../adapters/dynamo-store.ts';
import { DynamoNotificationLog } from '../adapters/notification-log.ts';
import { S3SnapshotStore } from '../adapters/s3-snapshot-store.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import { SqsCheckQueue } from '../adapters/sqs-queue.ts';
import type { ApiDeps } from '../app/api.ts';
import type { CheckDeps } from '../app/check-policy.ts';
import type { DigestDeps } from '../app/digest.ts';
import type { ScheduleDeps } from '../app/schedule.ts';
import type { SuppressDeps } from '../app/suppress.ts';

export interface RuntimeConfig {
  tables: PolicyStoreTables;
  /** SNAPSHOT_BUCKET */
  bucket: string;
  /** CHECK_QUEUE_URL; only the scheduler needs it. */
  queueUrl?: string;
  /** SENDER_EMAIL; the functions that mail need it (check worker, API, daily digest). */
  senderEmail?: string;
  /** PUBLIC_BASE_URL, without a trailing slash: the base of links in emails. */
  publicBaseUrl: string;
  /** The HMAC key of unsubscribe links: UNSUBSCRIBE_SECRET (local), else the secret UNSUBSCRIBE_SECRET_PARAM names. */
  unsubscribeSecret: { value: string } | { secretId: string };
  /** Path-style S3 URLs, which emulators need: on when AWS_ENDPOINT_URL_S3 points somewhere. */
  s3ForcePathStyle: boolean;
  /** BROKEN_AFTER_FAILURES: failed checks in a row before "tracking broken" is mailed. @default 3 */
  brokenAfterFailures?: number;
  /** CONFIRM_DELAY_SECONDS, in ms: wait before the second fetch that confirms a material change. @default 60 s */
  confirmDelayMs: number;
}

/** SDK clients; omitted ones are built from the environment (region, credentials, AWS_ENDPOINT_URL_*). */
export interface RuntimeClients {
  dynamodb?: DynamoDBClient;
  s3?: S3Client;
  sesv2?: SESv2Client;
  sqs?: SQSClient;
  secretsManager?: SecretsManagerClient;
}

/** Reads the configuration; throws naming every missing variable every function needs. */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const bucket = env.SNAPSHOT_BUCKET;
  if (!bucket) throw new Error('SNAPSHOT_BUCKET is not set');
  const secret = env.UNSUBSCRIBE_SECRET ? { value: env.UNSUBSCRIBE_SECRET } : env.UNSUBSCRIBE_SECRET_PARAM ? { secretId: env.UNSUBSCRIBE_SECRET_PARAM } : undefined;
  return {
    tables: tablesFromEnv(env),
    bucket,
    ...(env.CHECK_QUEUE_URL ? { queueUrl: env.CHECK_QUEUE_URL } : {}),
    ...(env.SENDER_EMAIL ? { senderEmail: env.SENDER_EMAIL } : {}),
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? '').replace(/\/+$/, ''),
    // Checked when a link is signed, so the scheduler and API start without it.
    unsubscribeSecret: secret ?? { value: '' },
    s3ForcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3),
    ...(env.BROKEN_AFTER_FAILURES ? { brokenAfterFailures: positiveInteger(env.BROKEN_AFTER_FAILURES, 'BROKEN_AFTER_FAILURES') } : {}),
    confirmDelayMs: env.CONFIRM_DELAY_SECONDS ? nonNegativeNumber(env.CONFIRM_DELAY_SECONDS, 'CONFIRM_DELAY_SECONDS') * 1000 : DEFAULT_CONFIRM_DELAY_MS,
  };
}

/** Two fetches a minute apart tell a real edit from an A/B test or a rotating block. */
export const DEFAULT_CONFIRM_DELAY_MS = 60_000;

function positiveInteger(value: string, variable: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${variable} must be a positive integer, not ${JSON.stringify(value)}`);
  return number;
}

function nonNegativeNumber(value: string, variable: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${variable} must be a number of seconds, not ${JSON.stringify(value)}`);
  return number;
}

export function createPolicyStore(config: RuntimeConfig, clients: RuntimeClients = {}): DynamoPolicyStore {
  return new DynamoPolicyStore({ client: clients.dynamodb ?? new DynamoDBClient({}), tables: config.tables });
}

/** S3 snapshots; the S3 client is built on first use (an unchanged check never touches S3). */
export function createSnapshotStore(config: RuntimeConfig, clients: RuntimeClients = {}): SnapshotStore {
  return new SnapshotStoreOnFirstUse(() => new S3SnapshotStore({ ...(clients.s3 ? { client: clients.s3 } : {}), forcePathStyle: config.s3ForcePathStyle, bucket: config.bucket }));
}

/** The check worker's adapters. The fetcher comes from the handler, so that no other bundle carries it. */
export function createCheckDeps(config: RuntimeConfig, fetcher: PolicyFetcher, clients: RuntimeClients = {}): CheckDeps {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  const store = createPolicyStore(config, { dynamodb });
  const secretsManager = clients.secretsManager;
  return {
    store,
    snapshots: createSnapshotStore(config, clients),
    fetcher,
    now: () => new Date(),
    ...(config.brokenAfterFailures === undefined ? {} : { brokenAfterFailures: config.brokenAfterFailures }),
    confirm: { delayMs: config.confirmDelayMs, sleep: (ms) => delay(ms) },
    notify: {
      store,
      notifications: new DynamoNotificationLog({ client: dynamodb, tableName: config.tables.notifications }),
      mailer: createMailer(required(config.senderEmail, 'SENDER_EMAIL'), clients.sesv2),
      newClaimToken: randomUUID,
      publicBaseUrl: config.publicBaseUrl,
      unsubscribeSecret: memoize(() => loadSecret(config.unsubscribeSecret, secretsManager)),
    },
  };
}

export function createScheduleDeps(config: RuntimeConfig, clients: RuntimeClients = {}): ScheduleDeps {
  return {
    store: createPolicyStore(config, clients),
    // Without a client of ours the queue builds its own, with the emulator-safe endpoint setting.
    queue: new SqsCheckQueue({ ...(clients.sqs ? { client: clients.sqs } : {}), queueUrl: required(config.queueUrl, 'CHECK_QUEUE_URL') }),
    now: () => new Date(),
  };
}

/** The daily digest function's adapters. */
export function createDigestDeps(config: RuntimeConfig, clients: RuntimeClients = {}): DigestDeps {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  return {
    store: createPolicyStore(config, { dynamodb }),
    notifications: new DynamoNotificationLog({ client: dynamodb, tableName: config.tables.notifications }),
    mailer: createMailer(required(config.senderEmail, 'SENDER_EMAIL'), clients.sesv2),
    now: () => new Date(),
    newClaimToken: randomUUID,
    publicBaseUrl: config.publicBaseUrl,
    unsubscribeSecret: memoize(() => loadSecret(config.unsubscribeSecret, clients.secretsManager)),
  };
}

export function createApiDeps(config: RuntimeConfig, clients: RuntimeClients = {}, logError?: ApiDeps['logError']): ApiDeps {
  return {
    store: createPolicyStore(config, clients),
    snapshots: createSnapshotStore(config, clients),
    now: () => new Date(),
    newId: randomUUID,
    mailer: createMailer(required(config.senderEmail, 'SENDER_EMAIL'), clients.sesv2),
    publicBaseUrl: config.publicBaseUrl,
    linkSecret: memoize(() => loadSecret(config.unsubscribeSecret, clients.secretsManager)),
    ...(logError ? { logError } : {}),
  };
}

/** The SES feedback function's adapters: only the subscriptions. */
export function createSuppressDeps(config: RuntimeConfig, clients: RuntimeClients = {}): SuppressDeps {
  return { store: createPolicyStore(config, clients), now: () => new Date() };
}

async function loadSecret(source: RuntimeConfig['unsubscribeSecret'], client: SecretsManagerClient | undefined): Promise<string> {
  if ('value' in source) return source.value;
  const response = await (client ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: source.secretId }));
  if (!response.SecretString) throw new Error(`Secret ${source.secretId} has no string value`);
  return response.SecretString;
}

function required(value: string | undefined, variable: string): string {
  if (!value) throw new Error(`${variable} is not set`);
  return value;
}

/** Caches a successful result; a failure is retried on the next call. */
function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

/** SES email; the SES client is built with the first email (most checks send none). */
function createMailer(from: string, client: SESv2Client | undefined): Mailer {
  let mailer: SesMailer | undefined;
  return { send: async (email: OutgoingEmail) => (mailer ??= new SesMailer({ ...(client ? { client } : {}), from })).send(email) };
}

/**
 * A SnapshotStore built on its first call: the API and most checks never need it in a given
 * invocation, and building the first S3 client costs about 5 ms of a cold start.
 */
class SnapshotStoreOnFirstUse implements SnapshotStore {
  readonly #build: () => SnapshotStore;
  #store: SnapshotStore | undefined;

  constructor(build: () => SnapshotStore) {
    this.#build = build;
  }

  async putRaw(...args: Parameters<SnapshotStore['putRaw']>): ReturnType<SnapshotStore['putRaw']> {
    return this.#get().putRaw(...args);
  }

  async putNormalized(...args: Parameters<SnapshotStore['putNormalized']>): ReturnType<SnapshotStore['putNormalized']> {
    return this.#get().putNormalized(...args);
  }

  async getRaw(...args: Parameters<SnapshotStore['getRaw']>): ReturnType<SnapshotStore['getRaw']> {
    return this.#get().getRaw(...args);
  }

  async getNormalized(...args: Parameters<SnapshotStore['getNormalized']>): ReturnType<SnapshotStore['getNormalized']> {
    return this.#get().getNormalized(...args);
  }

  #get(): SnapshotStore {
    return (this.#store ??= this.#build());
  }
}
