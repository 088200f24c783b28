import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SnapshotStore } from '../../functions/adapters/s3-snapshot-store.ts';
import { startEmulators, type Emulators } from '../../scripts/local/emulators.ts';
import { runSnapshotStoreContract } from './snapshot-store.contract.ts';

let emulators: Emulators;
let buckets = 0;

beforeAll(async () => {
  emulators = await startEmulators();
});

afterAll(async () => {
  await emulators?.stop();
});

async function createBucket(): Promise<string> {
  buckets += 1;
  const bucket = `snapshots-${buckets}`;
  await emulators.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Every key in the bucket, two a page, so each count also exercises ListObjectsV2 pagination. */
async function listKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await emulators.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2, ContinuationToken }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key as string));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken !== undefined);
  return keys.sort();
}

runSnapshotStoreContract('S3SnapshotStore on s3rver', async () => {
  const bucket = await createBucket();
  return { store: new S3SnapshotStore({ client: emulators.clients.s3, bucket }), objectKeys: () => listKeys(bucket) };
});

const BODY = new TextEncoder().encode('Privacy policy, version 1');
const BODY_ID = createHash('sha256').update(BODY).digest('hex');

describe('S3SnapshotStore on s3rver', () => {
  it('stores the content type as the object’s Content-Type', async () => {
    // Prepare
    const bucket = await createBucket();
    const store = new S3SnapshotStore({ client: emulators.clients.s3, bucket });
    // Act
    await store.putRaw('imvu-privacy', BODY_ID, BODY, 'text/plain; charset=utf-8');
    await store.putNormalized('imvu-privacy', BODY_ID, { document: { title: 'Privacy', blocks: [] }, sections: [] });
    // Assess
    const head = (Key: string) => emulators.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    expect((await head(`raw/imvu-privacy/${BODY_ID}`)).ContentType).toBe('text/plain; charset=utf-8');
    expect((await head(`normalized/imvu-privacy/${BODY_ID}.json`)).ContentType).toBe('application/json');
  });

  it('lists five objects across three pages of two', async () => {
    // Prepare
    const bucket = await createBucket();
    const store = new S3SnapshotStore({ client: emulators.clients.s3, bucket });
    const bodies = ['v1', 'v2', 'v3', 'v4', 'v5'].map((text) => new TextEncoder().encode(text));
    for (const body of bodies) await store.putRaw('imvu-privacy', createHash('sha256').update(body).digest('hex'), body, 'text/plain');
    // Act
    const pageSizes: number[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await emulators.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2, ContinuationToken }));
      pageSizes.push(page.KeyCount ?? 0);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined);
    // Assess
    expect(pageSizes).toEqual([2, 2, 1]);
  });
});

describe('S3SnapshotStore on AWS behaviours the emulator lacks', () => {
  // An instance mock: mocking the S3Client class would also stub the emulator suites' client.
  const client = new S3Client({ region: 'us-east-1' });
  const s3 = mockClient(client);

  function httpError(name: string, httpStatusCode: number): S3ServiceException {
    return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
  }

  it('reports written:false when a concurrent writer wins the conditional put (412)', async () => {
    // Prepare
    s3.reset();
    s3.on(HeadObjectCommand).rejects(httpError('NotFound', 404));
    s3.on(PutObjectCommand).rejects(httpError('PreconditionFailed', 412));
    const store = new S3SnapshotStore({ client, bucket: 'snapshots' });
    // Act
    const put = await store.putRaw('imvu-privacy', BODY_ID, BODY, 'text/plain');
    // Assess
    expect(put).toEqual({ key: `raw/imvu-privacy/${BODY_ID}`, written: false });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({ IfNoneMatch: '*', ContentType: 'text/plain' });
  });

  it('fails when HeadObject is forbidden instead of treating the key as absent', async () => {
    // Prepare
    s3.reset();
    s3.on(HeadObjectCommand).rejects(httpError('Forbidden', 403));
    const store = new S3SnapshotStore({ client, bucket: 'snapshots' });
    // Act
    const put = store.putRaw('imvu-privacy', BODY_ID, BODY, 'text/plain');
    // Assess
    await expect(put).rejects.toThrow('Forbidden');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
