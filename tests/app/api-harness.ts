// The API app over in-memory stores, a recording mailer and a settable clock, for route tests.
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { createApp } from '../../functions/app/api.ts';
import type { PolicyRecord, SnapshotRecord } from '../../functions/core/ports.ts';
import { readPolicy } from '../../functions/core/engine.ts';
import { sha256Hex } from '../../functions/core/text.ts';
import { RecordingMailer } from './fakes.ts';

export const LINK_SECRET = 'test-link-secret';
export const PUBLIC_BASE_URL = 'https://monitor.example.org/v1';

export const POLICY: PolicyRecord = {
  policyId: 'acme-privacy',
  name: 'Acme Privacy Policy',
  url: 'https://acme.example/privacy',
  intervalHours: 12,
  createdAt: '2024-01-01T00:00:00.000Z',
  consecutiveFailures: 0,
  status: 'ok',
};

export function apiHarness(options: { now?: string } = {}) {
  const store = new MemoryPolicyStore();
  const snapshots = new MemorySnapshotStore();
  const mailer = new RecordingMailer();
  let clock = Date.parse(options.now ?? '2024-05-02T00:00:00.000Z');
  let ids = 0;
  const errors: unknown[] = [];
  const app = createApp({
    store,
    snapshots,
    mailer,
    now: () => new Date(clock),
    newId: () => `sub-${++ids}`,
    publicBaseUrl: PUBLIC_BASE_URL,
    linkSecret: async () => LINK_SECRET,
    logError: (_, error) => errors.push(error),
  });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return {
    store,
    snapshots,
    mailer,
    app,
    call,
    errors,
    setNow: (iso: string) => {
      clock = Date.parse(iso);
    },
  };
}

/** Stores one version of POLICY's page (raw, normalized, its record and the check that saw it) as the check worker would. */
export async function storeSnapshot(store: MemoryPolicyStore, snapshots: MemorySnapshotStore, html: string, fetchedAt: string): Promise<SnapshotRecord> {
  const body = new TextEncoder().encode(html);
  const snapshotId = sha256Hex(body);
  const { key: rawKey } = await snapshots.putRaw(POLICY.policyId, snapshotId, body, 'text/html; charset=utf-8');
  const { key: normalizedKey } = await snapshots.putNormalized(POLICY.policyId, snapshotId, readPolicy(html, { format: 'html' }));
  const record: SnapshotRecord = { policyId: POLICY.policyId, snapshotId, fetchedAt, contentType: 'text/html; charset=utf-8', bytes: body.byteLength, title: 'Acme', effectiveDate: null, rawKey, normalizedKey };
  const known = await store.getSnapshot(POLICY.policyId, snapshotId);
  await store.putSnapshot(record);
  await store.putCheck({ policyId: POLICY.policyId, checkedAt: fetchedAt, outcome: 'changed', snapshotId });
  return known ?? record;
}
