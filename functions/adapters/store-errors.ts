/**
 * Errors shared by the storage adapters (DynamoDB, S3 and their in-memory twins), and the page
 * cursor codec whose failures they report. Handlers map these to HTTP statuses (400, 404).
 */
import { createHash } from 'node:crypto';

/** A page cursor that this store did not issue, or issued for another listing. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';

  constructor(reason: string, options?: ErrorOptions) {
    super(`Invalid cursor: ${reason}`, options);
  }
}

/** An update addressed a record that does not exist (updates never create partial records). */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';

  constructor(
    readonly kind: 'policy' | 'subscription',
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`Record not found: ${kind} ${JSON.stringify(id)}`, options);
  }
}

/** An argument that would produce an unsafe or ambiguous storage key, or break an invariant. */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';

  constructor(reason: string) {
    super(`Invalid store input: ${reason}`);
  }
}

/** Page size when the caller gives none. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest page a caller may ask for; keeps one request's read cost bounded. */
export const MAX_PAGE_LIMIT = 1000;

/** Checks a caller's page size: an integer from 1 to MAX_PAGE_LIMIT. */
export function resolvePageLimit(limit: number | undefined): number {
  const resolved = limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(resolved) || resolved < 1 || resolved > MAX_PAGE_LIMIT) {
    throw new RangeError(`Page limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${limit}`);
  }
  return resolved;
}

/** A position in a listing: the key attributes of the last item returned, all strings here. */
export type CursorKey = Record<string, string>;

/** Encodes a listing position as an opaque, URL-safe cursor (base64url of the key's JSON). */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks it names exactly `attributes`, so a cursor from another listing
 * fails here with a clear error instead of deep inside the database client.
 */
export function decodeCursor(cursor: string, attributes: readonly string[]): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError('not a cursor issued by this store', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidCursorError('not a cursor issued by this store');
  }
  const entries = Object.entries(parsed);
  const expected = [...attributes].sort();
  const actual = entries.map(([name]) => name).sort();
  if (actual.length !== expected.length || actual.some((name, index) => name !== expected[index])) {
    throw new InvalidCursorError('issued for another listing');
  }
  if (entries.some(([, value]) => typeof value !== 'string')) {
    throw new InvalidCursorError('not a cursor issued by this store');
  }
  return Object.fromEntries(entries) as CursorKey;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Control characters would make keys unreadable in consoles and logs.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Checks that (policyId, snapshotId) makes a safe, unambiguous object key and, given the raw body,
 * that snapshotId really is its sha256: a store that writes nothing for an existing key is only
 * correct when the key is the content's address.
 */
export function checkSnapshotAddress(policyId: string, snapshotId: string, rawBody?: Uint8Array): void {
  if (policyId === '' || policyId === '.' || policyId === '..' || policyId.includes('/') || CONTROL_CHARACTERS.test(policyId)) {
    throw new StoreInputError(`policyId ${JSON.stringify(policyId)} cannot be part of an object key`);
  }
  if (!SHA256_HEX.test(snapshotId)) {
    throw new StoreInputError(`snapshotId ${JSON.stringify(snapshotId)} is not a lowercase hex sha256`);
  }
  if (rawBody !== undefined) {
    const actual = createHash('sha256').update(rawBody).digest('hex');
    if (actual !== snapshotId) {
      throw new StoreInputError(`snapshotId ${snapshotId} is not the sha256 of the body (${actual})`);
    }
  }
}
