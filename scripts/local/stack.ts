/**
 * The whole product on one machine: the AWS emulators, the local policy server, and the three
 * Lambda handlers wired to them through the same environment variables the CDK stack sets.
 * `npm start` runs it; the flow tests start it too, so both exercise the deployed code paths.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createTables, prefixedTables, tablesToEnv, type DynamoPolicyStore, type PolicyStoreTables } from '../../functions/adapters/dynamo-store.ts';
import { emulatorEnv, startEmulators, type Emulators } from './emulators.ts';
import { startPolicyServer, type PolicyServer, type ServedPolicy } from './policy-server.ts';
import type { SqsBatchHandler } from './queue-worker.ts';

export const SNAPSHOT_BUCKET = 'policy-snapshots';
export const CHECK_QUEUE = 'policy-checks';
export const SENDER_EMAIL = 'alerts@policy-monitor.local';
/** Where `npm start` keeps its data, relative to the working directory. */
export const LOCAL_DATA_DIR = '.local-data';
/** Written by `npm start` with the URLs it serves, so `npm run demo:edit` finds the policy server. */
export const LOCAL_RUN_FILE = `${LOCAL_DATA_DIR}/local-run.json`;

export interface LocalStackOptions {
  policies: ServedPolicy[];
  /** Keeps DynamoDB, S3 and policy edits here across runs; without it everything is temporary. */
  dataDir?: string;
  /** API port on 127.0.0.1. @default 0 (any free port) */
  apiPort?: number;
}

export interface LocalStack {
  emulators: Emulators;
  policyServer: PolicyServer;
  apiUrl: string;
  tables: PolicyStoreTables;
  queueUrl: string;
  /** The store the handlers use, for seeding and assertions. */
  store: DynamoPolicyStore;
  /** One sweep tick of the scheduler function. */
  scheduler: (event: unknown) => Promise<{ policies: number; queued: number }>;
  /** The daily digest tick of the same function (`{ "digest": true }`). */
  digest: () => Promise<{ digests: number; alreadySent: number }>;
  check: SqsBatchHandler;
  /** Stops the API, the policy server and the emulators. Idempotent. */
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  // The engine and SDK modules take a second or two to load; load them while the emulators start.
  const warmUp = Promise.all([
    import('../../functions/app/check-policy.ts'),
    import('../../functions/app/api.ts'),
    import('../../functions/handlers/runtime.ts'),
  ]);
  // Awaited below; until then a failed import must not surface as an unhandled rejection.
  warmUp.catch(() => undefined);
  try {
    if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
    const emulators = await startEmulators({
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      buckets: [SNAPSHOT_BUCKET],
      queues: [CHECK_QUEUE],
    });
    stops.push(() => emulators.stop());
    const policyServer = await startPolicyServer({
      policies: options.policies,
      ...(options.dataDir !== undefined ? { editsDir: join(options.dataDir, 'policy-edits') } : {}),
    });
    stops.push(() => policyServer.stop());

    const tables = prefixedTables('policy-monitor-');
    const queueUrl = emulators.sqs.queueUrls[CHECK_QUEUE] as string;
    await createTables(emulators.clients.dynamodb, tables);

    // The API's address goes into the emails' links before the API listens, so bind first.
    const api = await listenApi(options.apiPort ?? 0);
    stops.push(() => api.close());
    const apiUrl = `http://127.0.0.1:${api.port}`;

    // The handlers build their adapters from the environment at import, exactly as in Lambda.
    Object.assign(process.env, emulatorEnv(emulators), tablesToEnv(tables), {
      SNAPSHOT_BUCKET,
      CHECK_QUEUE_URL: queueUrl,
      SENDER_EMAIL,
      PUBLIC_BASE_URL: apiUrl,
      UNSUBSCRIBE_SECRET: await localSecret(options.dataDir),
      // The policy server is on loopback, which the fetcher refuses unless told otherwise.
      POLICY_MONITOR_ALLOW_HOSTS: '127.0.0.1',
      // The local policy server never serves two versions at once; no need to wait before confirming an edit.
      CONFIRM_DELAY_SECONDS: process.env.CONFIRM_DELAY_SECONDS ?? '0',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    await warmUp;
    const [schedulerModule, digestModule, checkModule, apiModule, runtimeModule] = await Promise.all([
      import('../../functions/handlers/scheduler.ts'),
      import('../../functions/handlers/digest.ts'),
      import('../../functions/handlers/check.ts'),
      import('../../functions/handlers/api.ts'),
      import('../../functions/handlers/runtime.ts'),
    ]);
    api.attach(apiModule.app.fetch);

    return {
      emulators,
      policyServer,
      apiUrl,
      tables,
      queueUrl,
      store: runtimeModule.createPolicyStore(runtimeModule.runtimeConfigFromEnv(), emulators.clients),
      scheduler: schedulerModule.handler,
      digest: digestModule.handler,
      check: checkModule.handler,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Starts the Node server at once with a placeholder, so the port is known before the app
 * (whose handlers read the environment at import) exists.
 */
async function listenApi(port: number): Promise<{ port: number; attach(fetch: (request: Request) => Response | Promise<Response>): void; close(): Promise<void> }> {
  let appFetch: ((request: Request) => Response | Promise<Response>) | undefined;
  const server: ServerType = await new Promise((resolve, reject) => {
    const started = serve({ fetch: (request) => (appFetch ? appFetch(request) : new Response('Starting', { status: 503 })), hostname: '127.0.0.1', port }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    attach: (fetch) => {
      appFetch = fetch;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/** The unsubscribe-link key: random, kept in the data folder so old links keep working after a restart. */
async function localSecret(dataDir: string | undefined): Promise<string> {
  if (dataDir === undefined) return randomBytes(32).toString('hex');
  const path = join(dataDir, 'unsubscribe-secret');
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const secret = randomBytes(32).toString('hex');
  await writeFile(path, secret, { mode: 0o600 });
  return secret;
}
