/**
 * Starts the local AWS API emulators the local runner and the integration tests use (DESIGN.md §5):
 * dynalite (DynamoDB), s3rver (S3, in a child process), aws-ses-v2-local (SES v2) and fauxqs (SQS).
 * Handlers reach them through endpoint environment variables only (see emulatorEnv), so the code
 * under test is the code that runs in AWS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface EmulatorPorts {
  s3?: number;
  dynamodb?: number;
  ses?: number;
  sqs?: number;
}

export interface EmulatorOptions {
  /** Keeps DynamoDB and S3 data here across runs; without it DynamoDB is in memory and S3 in a temp dir removed on stop. */
  dataDir?: string;
  /** Fixed ports; each defaults to 0 (any free port). */
  ports?: EmulatorPorts;
  /** Buckets to create in S3. @default [] */
  buckets?: string[];
  /** Queues to create in SQS; their URLs are in `sqs.queueUrls`. @default [] */
  queues?: string[];
  /** @default 'us-east-1' */
  region?: string;
}

export interface EmulatorClients {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  sesv2: SESv2Client;
  sqs: SQSClient;
}

export interface Emulators {
  region: string;
  /** `pid`: the s3rver child process. */
  s3: { endpoint: string; pid: number };
  dynamodb: { endpoint: string };
  /** `storeUrl` answers GET with the captured emails as JSON; `viewerUrl` is a web page of them. */
  ses: { endpoint: string; storeUrl: string; viewerUrl: string };
  sqs: { endpoint: string; queueUrls: Record<string, string> };
  /** SDK clients already pointed at the emulators; stop() destroys them. */
  clients: EmulatorClients;
  /** Stops every emulator (the S3 child process included) and closes the clients. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/** s3rver checks SigV4 signatures against this fixed key pair; the other emulators accept any. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const S3RVER_CHILD = fileURLToPath(new URL('./s3rver-child.cjs', import.meta.url));
const require = createRequire(import.meta.url);

type SesFactory = (config: { host: string; port: number }) => Promise<Server>;
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number; path?: string }) => Server;

/**
 * The environment that points the AWS SDK v3 at the emulators. The SDK reads
 * `AWS_ENDPOINT_URL_<serviceId>` (serviceId upper-cased, spaces → `_`): S3, DYNAMODB, SESV2, SQS.
 */
export function emulatorEnv(emulators: {
  region: string;
  s3: { endpoint: string };
  dynamodb: { endpoint: string };
  ses: { endpoint: string };
  sqs: { endpoint: string };
}): Record<string, string> {
  return {
    AWS_REGION: emulators.region,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: emulators.s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodb.endpoint,
    AWS_ENDPOINT_URL_SESV2: emulators.ses.endpoint,
    AWS_ENDPOINT_URL_SQS: emulators.sqs.endpoint,
  };
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const region = options.region ?? 'us-east-1';
  const ports = options.ports ?? {};
  // Each starter registers its stop before it can fail, so a failed start cleans up what did start.
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const stop of stops.splice(0)) {
      await stop().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, `Stopping the emulators failed: ${errors.map(String).join('; ')}`);
  };

  try {
    // allSettled, not all: on a failure, the others must finish registering their stops first.
    const [s3, dynamodb, ses, sqs] = settledValues(
      await Promise.allSettled([
        startS3rver(ports.s3 ?? 0, options.dataDir, options.buckets ?? [], stops),
        startDynalite(ports.dynamodb ?? 0, options.dataDir, stops),
        startSes(ports.ses ?? 0, stops),
        startFauxqsServer(ports.sqs ?? 0, region, stops),
      ]),
    );
    const clientConfig = { region, credentials: CREDENTIALS };
    const clients: EmulatorClients = {
      s3: new S3Client({ ...clientConfig, endpoint: s3.endpoint, forcePathStyle: true }),
      dynamodb: new DynamoDBClient({ ...clientConfig, endpoint: dynamodb.endpoint }),
      sesv2: new SESv2Client({ ...clientConfig, endpoint: ses.endpoint }),
      // fauxqs queue URLs name sqs.<region>.localhost, which does not resolve: keep to the endpoint.
      sqs: new SQSClient({ ...clientConfig, endpoint: sqs.endpoint, useQueueUrlAsEndpoint: false }),
    };
    // Clients first: their keep-alive sockets would otherwise hold the servers open.
    stops.unshift(async () => Object.values(clients).forEach((client) => client.destroy()));
    const queueUrls = await createQueues(clients.sqs, options.queues ?? []);
    let stopped: Promise<void> | undefined;
    return { region, s3, dynamodb, ses, sqs: { ...sqs, queueUrls }, clients, stop: () => (stopped ??= stopAll()) };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

/** The values of settled promises, or the first rejection's reason thrown. */
function settledValues<T extends readonly unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

async function startDynalite(port: number, dataDir: string | undefined, stops: (() => Promise<void>)[]): Promise<{ endpoint: string }> {
  const dynalite = require('dynalite') as Dynalite;
  let path: string | undefined;
  if (dataDir !== undefined) {
    path = join(dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  // createTableMs 0: tables are ACTIVE at once instead of after dynalite's simulated 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
  stops.push(() => closeServer(server));
  const { port: boundPort } = await listen(server, port);
  return { endpoint: `http://${HOST}:${boundPort}` };
}

async function startSes(port: number, stops: (() => Promise<void>)[]): Promise<{ endpoint: string; storeUrl: string; viewerUrl: string }> {
  // CommonJS compiled from ESM: Node's import gives the exports object as `default`, and the
  // factory is its `default`; bundlers and vitest may unwrap one level, so accept both.
  const imported: unknown = (await import('aws-ses-v2-local')).default;
  const factory = typeof imported === 'function' ? (imported as SesFactory) : (imported as { default: SesFactory }).default;
  const server = await factory({ host: HOST, port });
  stops.push(() => closeServer(server));
  const endpoint = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  return { endpoint, storeUrl: `${endpoint}/store`, viewerUrl: `${endpoint}/` };
}

async function startFauxqsServer(port: number, region: string, stops: (() => Promise<void>)[]): Promise<{ endpoint: string }> {
  // buildApp rather than startFauxqs: startFauxqs always listens on 0.0.0.0, this binds to loopback.
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false, defaultRegion: region });
  stops.push(async () => {
    await app.close();
  });
  await app.listen({ port, host: HOST });
  return { endpoint: `http://${HOST}:${(app.server.address() as AddressInfo).port}` };
}

async function startS3rver(
  port: number,
  dataDir: string | undefined,
  buckets: string[],
  stops: (() => Promise<void>)[],
): Promise<{ endpoint: string; pid: number }> {
  const directory = dataDir !== undefined ? join(dataDir, 's3') : await mkdtemp(join(tmpdir(), 'policy-monitor-s3-'));
  await mkdir(directory, { recursive: true });
  // Without NODE_OPTIONS: loaders of the parent (tsx, vitest) are not wanted in a plain CommonJS child.
  const { NODE_OPTIONS: _parentNodeOptions, ...env } = process.env;
  const childOptions = { port, directory, buckets, removeDirectoryOnExit: dataDir === undefined };
  const child = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER_CHILD, JSON.stringify(childOptions)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  stops.push(async () => {
    await stopChild(child);
    // The child removes its temporary directory itself; this covers a child that had to be killed.
    if (dataDir === undefined) await rm(directory, { recursive: true, force: true });
  });
  const boundPort = await readChildPort(child);
  return { endpoint: `http://${HOST}:${boundPort}`, pid: child.pid as number };
}

/** fauxqs names queue URLs `http://sqs.<region>.localhost:<port>/000000000000/<name>`. */
async function createQueues(sqs: SQSClient, names: string[]): Promise<Record<string, string>> {
  const created = await Promise.all(names.map((QueueName) => sqs.send(new CreateQueueCommand({ QueueName }))));
  return Object.fromEntries(names.map((name, index) => [name, created[index]?.QueueUrl as string]));
}

function readChildPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`s3rver exited with code ${code} before listening: ${stderr.trim()}`));
    child.once('error', reject);
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      lines.close();
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch (error) {
        reject(new Error(`s3rver printed ${JSON.stringify(line)} instead of its port`, { cause: error }));
      }
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within 2 s. Resolves once it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
    child.stdin?.end();
  });
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Closes a server without waiting for idle keep-alive connections to time out. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
