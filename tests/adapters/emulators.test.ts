import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoPolicyStore, createTables, prefixedTables } from '../../functions/adapters/dynamo-store.ts';
import { S3SnapshotStore } from '../../functions/adapters/s3-snapshot-store.ts';
import { SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { SqsCheckQueue } from '../../functions/adapters/sqs-queue.ts';
import { emulatorEnv, startEmulators, type Emulators } from '../../scripts/local/emulators.ts';

const BODY = new TextEncoder().encode('Privacy policy, version 1');
const BODY_ID = createHash('sha256').update(BODY).digest('hex');
const POLICY = {
  policyId: 'imvu-privacy',
  name: 'IMVU Privacy Notice',
  url: 'http://127.0.0.1:8080/imvu',
  intervalHours: 12,
  createdAt: '2024-05-01T00:00:00.000Z',
  consecutiveFailures: 0,
  status: 'ok' as const,
};

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

async function listenOnFreePort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

describe('startEmulators', () => {
  const started: Emulators[] = [];
  const directories: string[] = [];

  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(started.splice(0).map((emulators) => emulators.stop()));
    await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
  });

  it('serves every adapter through default clients configured by emulatorEnv alone', async () => {
    // Prepare
    const emulators = await startEmulators({ buckets: ['snapshots'], queues: ['checks'] });
    started.push(emulators);
    for (const [name, value] of Object.entries(emulatorEnv(emulators))) vi.stubEnv(name, value);
    const tables = prefixedTables('env-');
    const dynamodb = new DynamoDBClient({});
    await createTables(dynamodb, tables);
    // Act
    const put = await new S3SnapshotStore({ bucket: 'snapshots' }).putRaw('imvu-privacy', BODY_ID, BODY, 'text/plain');
    const store = new DynamoPolicyStore({ tables });
    await store.putPolicy(POLICY);
    const { messageId } = await new SesMailer({ from: 'alerts@policy-monitor.test' }).send({
      to: 'reader@example.org',
      subject: 'Changed',
      html: '<p>Changed</p>',
      text: 'Changed',
    });
    await new SqsCheckQueue({ queueUrl: emulators.sqs.queueUrls.checks as string }).enqueue([
      { policyId: 'imvu-privacy', scheduledAt: '2024-05-02T00:00:00.000Z' },
    ]);
    // Assess
    expect(put.written).toBe(true);
    expect(await store.getPolicy('imvu-privacy')).toEqual(POLICY);
    // aws-ses-v2-local keeps one store per process, shared by every emulator set started in it.
    const { emails } = (await (await fetch(emulators.ses.storeUrl)).json()) as { emails: { messageId: string }[] };
    expect(emails.filter((email) => email.messageId === messageId)).toHaveLength(1);
    const { Messages = [] } = await emulators.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: emulators.sqs.queueUrls.checks }));
    expect(Messages.map((message) => message.Body)).toEqual(['{"policyId":"imvu-privacy","scheduledAt":"2024-05-02T00:00:00.000Z"}']);
    expect(Object.keys(emulatorEnv(emulators)).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_S3',
      'AWS_ENDPOINT_URL_SESV2',
      'AWS_ENDPOINT_URL_SQS',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    dynamodb.destroy();
  });

  it('keeps DynamoDB items and S3 objects in dataDir across restarts', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'emulators-test-'));
    directories.push(dataDir);
    const tables = prefixedTables('kept-');
    const first = await startEmulators({ dataDir, buckets: ['snapshots'] });
    await createTables(first.clients.dynamodb, tables);
    await new DynamoPolicyStore({ client: first.clients.dynamodb, tables }).putPolicy(POLICY);
    await new S3SnapshotStore({ client: first.clients.s3, bucket: 'snapshots' }).putRaw('imvu-privacy', BODY_ID, BODY, 'text/plain');
    await first.stop();
    // Act
    const second = await startEmulators({ dataDir, buckets: ['snapshots'] });
    started.push(second);
    // Assess
    expect(await new DynamoPolicyStore({ client: second.clients.dynamodb, tables }).getPolicy('imvu-privacy')).toEqual(POLICY);
    expect(await new S3SnapshotStore({ client: second.clients.s3, bucket: 'snapshots' }).getRaw('imvu-privacy', BODY_ID)).toEqual({
      body: BODY,
      contentType: 'text/plain',
    });
  });

  it('stops the s3rver child process and closes every port', async () => {
    // Prepare
    const emulators = await startEmulators();
    const endpoints = [emulators.s3.endpoint, emulators.dynamodb.endpoint, emulators.ses.endpoint, emulators.sqs.endpoint];
    // Act
    await emulators.stop();
    await emulators.stop();
    // Assess
    expect(isRunning(emulators.s3.pid)).toBe(false);
    const results = await Promise.allSettled(endpoints.map((endpoint) => fetch(endpoint)));
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });

  it('stops the emulators that did start when another cannot bind its port', async () => {
    // Prepare
    const occupied = await listenOnFreePort();
    const reserved = await listenOnFreePort();
    const s3Port = portOf(reserved);
    await new Promise((resolve) => reserved.close(resolve));
    // Act
    const start = startEmulators({ ports: { dynamodb: portOf(occupied), s3: s3Port } });
    // Assess
    await expect(start).rejects.toThrow('EADDRINUSE');
    const s3 = await Promise.allSettled([fetch(`http://127.0.0.1:${s3Port}/`)]);
    expect(s3.map((result) => result.status)).toEqual(['rejected']);
    await new Promise((resolve) => occupied.close(resolve));
  });

  it('leaves no s3rver child behind when the parent process dies without stopping', async () => {
    // Prepare
    const emulatorsModule = fileURLToPath(new URL('../../scripts/local/emulators.ts', import.meta.url));
    const script = `const { startEmulators } = await import(${JSON.stringify(emulatorsModule)});
      const emulators = await startEmulators();
      process.stdout.write(String(emulators.s3.pid) + '\\n');
      process.exit(0);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Act
    await new Promise((resolve) => parent.once('exit', resolve));
    const childPid = Number(output.trim());
    // Assess
    expect(childPid).toBeGreaterThan(0);
    expect(await waitUntil(() => !isRunning(childPid), 5000)).toBe(true);
  });
});
