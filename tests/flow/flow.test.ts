// The flow end to end, against the real emulators (dynalite, s3rver, aws-ses-v2-local,
// fauxqs) and a local policy server: scheduler → SQS → check handler → S3/DynamoDB/SES → API.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeRecord, CheckRecord, SnapshotRecord } from '../../functions/core/ports.ts';
import { cosmeticEdit, materialEdit } from '../../scripts/local/demo-edits.ts';
import { drainQueue } from '../../scripts/local/queue-worker.ts';
import { SNAPSHOT_BUCKET, startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { loadSeeds } from '../../scripts/seeds.ts';

const POLICY_ID = 'imou-privacy';
const RETENTION_READER = 'retention-reader@example.org';
const CHILDREN_READER = 'children-reader@example.org';
// Short, so that every step's scheduler run finds the policy due again.
const INTERVAL_HOURS = 0.0001;

interface CapturedEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

let stack: LocalStack;

beforeAll(async () => {
  const seed = loadSeeds().find((s) => s.policyId === POLICY_ID);
  if (seed === undefined) throw new Error(`seed ${POLICY_ID} missing from seeds/manifest.json`);
  stack = await startLocalStack({ policies: [{ policyId: seed.policyId, name: seed.name, format: seed.format, text: seed.text }] });
});

afterAll(async () => {
  await stack?.stop();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** One scheduler tick and the worker until the queue is empty; returns the newest check. */
async function runChecks(): Promise<CheckRecord> {
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_HOURS * 3600 * 1000 + 50));
  const { queued } = await stack.scheduler({});
  expect(queued).toBe(1);
  await drainQueue({ sqs: stack.emulators.clients.sqs, queueUrl: stack.queueUrl, handler: stack.check });
  const { body } = await api<{ items: CheckRecord[] }>('GET', `/policies/${POLICY_ID}/checks?limit=1`);
  return body.items[0] as CheckRecord;
}

async function s3ObjectCount(): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await stack.emulators.clients.s3.send(new ListObjectsV2Command({ Bucket: SNAPSHOT_BUCKET, ContinuationToken: token }));
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return count;
}

async function emails(): Promise<CapturedEmail[]> {
  const response = await fetch(stack.emulators.ses.storeUrl);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

/** Subscribes through the API, then follows the link in the confirmation email the SES emulator captured. */
async function subscribe(email: string, categories: string[], delivery: 'each' | 'daily' = 'each'): Promise<void> {
  const { status } = await api<{ subscriptionId: string }>('POST', '/subscriptions', { email, policies: [POLICY_ID], categories, delivery });
  expect(status).toBe(201);
  const confirmation = (await emails()).find((sent) => sent.destination.to.includes(email));
  expect(confirmation?.subject).toBe('Confirm your policy-change alerts');
  const link = /(http:\/\/127\.0\.0\.1:\d+\/subscriptions\/confirm\?token=[\w.-]+)/.exec(confirmation?.body.text ?? '')?.[1];
  expect(link?.startsWith(stack.apiUrl)).toBe(true);
  const confirmed = await fetch(link as string);
  expect(confirmed.status).toBe(200);
  expect(await confirmed.json()).toMatchObject({ email, confirmed: true });
}

/** Change emails only: the confirmation emails of the subscriptions are not what the steps count. */
async function changeEmails(): Promise<CapturedEmail[]> {
  return (await emails()).filter((sent) => sent.subject !== 'Confirm your policy-change alerts');
}

describe('flow: register → baseline → unchanged → material edit → cosmetic edit → API', () => {
  let changeId: string;

  it('registers the policy and two subscribers through the API', async () => {
    const created = await api('POST', '/policies', {
      policyId: POLICY_ID,
      name: 'Imou Privacy Policy',
      url: stack.policyServer.pageUrl(POLICY_ID),
      format: 'html',
      intervalHours: INTERVAL_HOURS,
    });
    expect(created.status).toBe(201);
    await subscribe(RETENTION_READER, ['retention']);
    await subscribe(CHILDREN_READER, ['children']);
  });

  it('stores the first version as the baseline snapshot and sends nothing', async () => {
    const check = await runChecks();
    expect(check.outcome).toBe('baseline');
    expect(await s3ObjectCount()).toBe(2);
    expect(await changeEmails()).toEqual([]);
  });

  it('writes nothing new on an unchanged re-check', async () => {
    const check = await runChecks();
    expect(check.outcome).toBe('unchanged');
    expect(await s3ObjectCount()).toBe(2);
    expect((await api<{ items: unknown[] }>('GET', `/policies/${POLICY_ID}/snapshots`)).body.items).toHaveLength(1);
    expect((await api<{ items: unknown[] }>('GET', `/policies/${POLICY_ID}/changes`)).body.items).toHaveLength(0);
  });

  it('records a material edit and emails the retention subscriber only, once', async () => {
    // Prepare
    const edit = materialEdit(POLICY_ID, stack.policyServer.source(POLICY_ID));
    if (edit === undefined) throw new Error('no material edit for the seed');
    await stack.policyServer.edit(POLICY_ID, edit.text);
    // Act
    const check = await runChecks();
    // Assess
    expect(check).toMatchObject({ outcome: 'changed', materialChanges: 1 });
    expect(await s3ObjectCount()).toBe(4);
    const changes = (await api<{ items: ChangeRecord[] }>('GET', `/policies/${POLICY_ID}/changes`)).body.items;
    expect(changes).toHaveLength(1);
    const [change] = changes as [ChangeRecord];
    changeId = change.changeId;
    expect(change.categories).toContain('retention');
    expect(change.obligations).toContainEqual(expect.objectContaining({ type: 'retention-period', before: 'P7D' }));
    const sent = await changeEmails();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.destination.to).toEqual([RETENTION_READER]);
    expect(sent[0]?.subject).toBe('Imou Privacy Policy: retention changed');
    expect(sent[0]?.body.text).toContain('12 months');
    expect(sent[0]?.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
  });

  it('never sends twice when the check of the same version is delivered again', async () => {
    // Prepare: as if the worker had crashed before committing the policy's last snapshot.
    const policy = await stack.store.getPolicy(POLICY_ID);
    await stack.store.updatePolicy(POLICY_ID, { lastSnapshotId: policy?.baselineSnapshotId, etag: undefined });
    // Act
    const check = await runChecks();
    // Assess
    expect(check.outcome).toBe('changed');
    expect((await api<{ items: unknown[] }>('GET', `/policies/${POLICY_ID}/changes`)).body.items).toHaveLength(1);
    expect(await changeEmails()).toHaveLength(1);
    expect(await s3ObjectCount()).toBe(4);
  });

  it('stores a cosmetic edit as a snapshot and emails nobody', async () => {
    const edit = cosmeticEdit(stack.policyServer.source(POLICY_ID));
    if (edit === undefined) throw new Error('no cosmetic edit for the seed');
    await stack.policyServer.edit(POLICY_ID, edit.text);
    const check = await runChecks();
    expect(check.outcome).toBe('cosmetic');
    expect(await s3ObjectCount()).toBe(6);
    expect((await api<{ items: unknown[] }>('GET', `/policies/${POLICY_ID}/changes`)).body.items).toHaveLength(1);
    expect(await changeEmails()).toHaveLength(1);
  });

  it('serves the snapshots, the checks, the change and its clause before and after', async () => {
    const snapshots = await api<{ items: SnapshotRecord[] }>('GET', `/policies/${POLICY_ID}/snapshots`);
    expect(snapshots.status).toBe(200);
    expect(snapshots.body.items).toHaveLength(3);
    const checks = await api<{ items: CheckRecord[] }>('GET', `/policies/${POLICY_ID}/checks`);
    expect(checks.body.items.map((c) => c.outcome)).toEqual(['cosmetic', 'changed', 'changed', 'unchanged', 'baseline']);
    const change = await api<ChangeRecord>('GET', `/changes/${changeId}`);
    expect(change.status).toBe(200);
    expect(change.body.before).toContain('are just 7 days');
    expect(change.body.after).toContain('are 12 months');
    const newest = snapshots.body.items[0] as SnapshotRecord;
    const normalized = await api<{ sections: { heading: string }[] }>('GET', `/policies/${POLICY_ID}/snapshots/${newest.snapshotId}`);
    expect(normalized.status).toBe(200);
    expect(normalized.body.sections.length).toBeGreaterThan(10);
    expect((await api('GET', `/changes/${'0'.repeat(24)}`)).status).toBe(404);
  });

  it('opens the diff page on the local API from the link in the change email', async () => {
    const [sent] = await changeEmails();
    const link = /Full diff: (\S+)/.exec(sent?.body.text ?? '')?.[1] ?? '';
    expect(link.startsWith(`${stack.apiUrl}/changes/${changeId}/view?token=`)).toBe(true);
    const page = await fetch(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<span class="label category">retention</span>');
    expect(html).toMatch(/<ins>[^<]*12 months[^<]*<\/ins>/);
  });

  it('unsubscribes the reader through the one-click List-Unsubscribe URL of the change email', async () => {
    // Prepare
    const [sent] = await changeEmails();
    const header = sent?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    const url = /^<(.+)>$/.exec(header)?.[1] ?? '';
    expect(url.startsWith(`${stack.apiUrl}/unsubscribe?token=`)).toBe(true);
    // Act: what a mail client does for RFC 8058.
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    // Assess
    expect(response.status).toBe(200);
    const remaining = (await stack.store.listSubscriptions()).map((subscription) => subscription.email);
    expect(remaining).toEqual([CHILDREN_READER]);
  });
});

describe('ses-feedback handler', () => {
  it('suppresses an address SES reports as bouncing for good, and drops a malformed notification', async () => {
    // Prepare: the handler reads the same environment the stack set for the others.
    const { handler } = await import('../../functions/handlers/ses-feedback.ts');
    const notification = { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: CHILDREN_READER.toUpperCase() }] } };
    // Act
    const result = await handler({
      Records: [{ Sns: { MessageId: 'sns-1', Message: JSON.stringify(notification) } }, { Sns: { MessageId: 'sns-2', Message: 'not json' } }],
    });
    // Assess
    expect(result).toEqual({ suppressed: 1 });
    const [children] = (await stack.store.listSubscriptions()).filter((subscription) => subscription.email === CHILDREN_READER);
    expect(children?.suppressed).toEqual({ reason: 'bounce', at: expect.any(String) });
    expect((await api('POST', '/subscriptions', { email: CHILDREN_READER, policies: 'all' })).status).toBe(409);
  });
});

describe('check handler: partial batch failures', () => {
  async function register(policyId: string, url: string): Promise<void> {
    expect((await api('POST', '/policies', { policyId, name: policyId, url, format: 'html' })).status).toBe(201);
  }

  function record(messageId: string, body: string) {
    return { messageId, receiptHandle: `receipt-${messageId}`, body, eventSource: 'aws:sqs' };
  }

  it('reports only the transient failure; a permanent one and a malformed message are not retried', async () => {
    // Prepare: nothing listens on port 1 (transient), and the policy server has no such page (permanent 404).
    await register('unreachable-policy', 'http://127.0.0.1:1/privacy');
    await register('missing-policy', `${stack.policyServer.url}/policies/missing.html`);
    const message = (policyId: string) => JSON.stringify({ policyId, scheduledAt: new Date().toISOString() });
    // Act
    const response = await stack.check({
      Records: [record('m-transient', message('unreachable-policy')), record('m-permanent', message('missing-policy')), record('m-malformed', '{"policy":')],
    });
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-transient' }]);
    const transient = await api<{ items: CheckRecord[] }>('GET', '/policies/unreachable-policy/checks');
    const permanent = await api<{ items: CheckRecord[] }>('GET', '/policies/missing-policy/checks');
    expect(transient.body.items).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'network' })]);
    expect(permanent.body.items).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'http-404' })]);
  });

  it('reports a crashed message alone, so SQS deletes the ones that succeeded in the same batch', async () => {
    // Prepare: a good copy of the seed, and a policy whose baseline objects are lost (an unexpected error).
    const seed = await stack.store.getPolicy(POLICY_ID);
    await register('healthy-copy', seed?.url ?? '');
    await register('lost-baseline', seed?.url ?? '');
    await stack.store.updatePolicy('lost-baseline', { baselineSnapshotId: 'f'.repeat(64), lastSnapshotId: 'f'.repeat(64) });
    const message = (policyId: string) => JSON.stringify({ policyId, scheduledAt: new Date().toISOString() });
    // Act
    const response = await stack.check({ Records: [record('m-healthy', message('healthy-copy')), record('m-crash', message('lost-baseline'))] });
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-crash' }]);
    const healthy = await api<{ items: CheckRecord[] }>('GET', '/policies/healthy-copy/checks');
    const crashed = await api<{ items: CheckRecord[] }>('GET', '/policies/lost-baseline/checks');
    expect(healthy.body.items).toEqual([expect.objectContaining({ outcome: 'baseline' })]);
    expect(crashed.body.items).toEqual([]);
  });
});

describe('digest handler: daily digest', () => {
  it('mails a daily subscriber one digest of the day, and nothing on the retry', async () => {
    // Prepare: the digest covers the 24 hours up to the last full hour, so this change is 2 hours old.
    const DAILY_READER = 'daily-reader@example.org';
    await subscribe(DAILY_READER, ['retention'], 'daily');
    const [change] = (await api<{ items: ChangeRecord[] }>('GET', `/policies/${POLICY_ID}/changes`)).body.items as [ChangeRecord];
    await stack.store.putChange({ ...change, changeId: 'd1'.repeat(12), detectedAt: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString(), after: 'We keep logs for 5 years.' });
    // Act
    const first = await stack.digest();
    const retry = await stack.digest();
    // Assess
    expect(first).toEqual({ digests: 1, alreadySent: 0 });
    expect(retry).toEqual({ digests: 0, alreadySent: 1 });
    const digests = (await emails()).filter((sent) => sent.destination.to.includes(DAILY_READER) && sent.subject.startsWith('Policy changes'));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toMatch(/^Policy changes in the last 24 hours: \d+ changes? in 1 policy$/);
    expect(digests[0]?.body.text).toContain('> We keep logs for 5 years.');
    expect(digests[0]?.body.text).toContain(`${stack.apiUrl}/changes/${'d1'.repeat(12)}/view?token=`);
    expect(digests[0]?.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
  });
});
