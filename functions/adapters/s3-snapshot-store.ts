/**
 * Snapshot bodies in S3, content-addressed: `raw/{policyId}/{sha256}` and
 * `normalized/{policyId}/{sha256}.json`. An unchanged fetch maps to an existing key and writes
 * nothing, so a sweep over unchanged policies costs HEAD requests only.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { NormalizedSnapshot, SnapshotStore } from '../core/ports.ts';
import { checkSnapshotAddress } from './store-errors.ts';

export interface S3SnapshotStoreOptions {
  /** @default a client configured from the environment (AWS_REGION, AWS_ENDPOINT_URL_S3, …) */
  client?: S3Client;
  bucket: string;
  /** Only used for the default client; emulators want path-style URLs. @default false */
  forcePathStyle?: boolean;
}

export function rawSnapshotKey(policyId: string, snapshotId: string): string {
  return `raw/${policyId}/${snapshotId}`;
}

export function normalizedSnapshotKey(policyId: string, snapshotId: string): string {
  return `normalized/${policyId}/${snapshotId}.json`;
}

export class S3SnapshotStore implements SnapshotStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3SnapshotStoreOptions) {
    this.#client = options.client ?? new S3Client({ forcePathStyle: options.forcePathStyle ?? false });
    this.#bucket = options.bucket;
  }

  async putRaw(policyId: string, snapshotId: string, body: Uint8Array, contentType: string): Promise<{ key: string; written: boolean }> {
    checkSnapshotAddress(policyId, snapshotId, body);
    const key = rawSnapshotKey(policyId, snapshotId);
    return { key, written: await this.#putIfAbsent(key, body, contentType) };
  }

  async putNormalized(policyId: string, snapshotId: string, normalized: NormalizedSnapshot): Promise<{ key: string; written: boolean }> {
    checkSnapshotAddress(policyId, snapshotId);
    const key = normalizedSnapshotKey(policyId, snapshotId);
    const body = Buffer.from(JSON.stringify(normalized), 'utf8');
    return { key, written: await this.#putIfAbsent(key, body, 'application/json') };
  }

  async getRaw(policyId: string, snapshotId: string): Promise<{ body: Uint8Array; contentType: string } | undefined> {
    checkSnapshotAddress(policyId, snapshotId);
    const object = await this.#get(rawSnapshotKey(policyId, snapshotId));
    return object && { body: object.body, contentType: object.contentType ?? 'application/octet-stream' };
  }

  async getNormalized(policyId: string, snapshotId: string): Promise<NormalizedSnapshot | undefined> {
    checkSnapshotAddress(policyId, snapshotId);
    const object = await this.#get(normalizedSnapshotKey(policyId, snapshotId));
    return object && (JSON.parse(Buffer.from(object.body).toString('utf8')) as NormalizedSnapshot);
  }

  /** Returns whether it wrote. The same key always holds the same bytes, so a lost race is harmless. */
  async #putIfAbsent(key: string, body: Uint8Array, contentType: string): Promise<boolean> {
    // HEAD first: emulators ignore IfNoneMatch, and on AWS it saves a PUT (and a new object
    // version in the versioned bucket) for every unchanged fetch.
    if (await this.#exists(key)) return false;
    try {
      // IfNoneMatch closes the HEAD→PUT race on AWS; emulators ignore it.
      await this.#client.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: '*' }),
      );
      return true;
    } catch (error) {
      // 412: another writer created it first; 409: a concurrent conditional write is in flight.
      if (isHttpStatus(error, 412) || isHttpStatus(error, 409)) return false;
      throw error;
    }
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (error) {
      // A missing key is 404 only with s3:ListBucket; without it S3 answers 403, which must fail loudly.
      if (isHttpStatus(error, 404)) return false;
      throw error;
    }
  }

  async #get(key: string): Promise<{ body: Uint8Array; contentType: string | undefined } | undefined> {
    try {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (response.Body === undefined) throw new Error(`S3 returned no body for s3://${this.#bucket}/${key}`);
      return { body: await response.Body.transformToByteArray(), contentType: response.ContentType };
    } catch (error) {
      if (isHttpStatus(error, 404)) return undefined;
      throw error;
    }
  }
}

/** Structural, so it holds when two copies of the SDK are loaded (bundles, tests). */
function isHttpStatus(error: unknown, status: number): boolean {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return metadata?.httpStatusCode === status;
}
