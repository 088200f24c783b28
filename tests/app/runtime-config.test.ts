// The composition root: the check worker's settings read from the environment, and the adapters it builds.
import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { prefixedTables, tablesToEnv } from '../../functions/adapters/dynamo-store.ts';
import type { PolicyFetcher } from '../../functions/core/ports.ts';
import { DEFAULT_CONFIRM_DELAY_MS, createCheckDeps, runtimeConfigFromEnv } from '../../functions/handlers/runtime.ts';

const BASE = { SNAPSHOT_BUCKET: 'bucket', ...tablesToEnv(prefixedTables('test-')) };

describe('runtimeConfigFromEnv: failure handling', () => {
  it('confirms changes after a minute and leaves the broken threshold to the use-case by default', () => {
    const config = runtimeConfigFromEnv(BASE);
    expect(DEFAULT_CONFIRM_DELAY_MS).toBe(60_000);
    expect(config.confirmDelayMs).toBe(60_000);
    expect(config.brokenAfterFailures).toBeUndefined();
  });

  it('reads BROKEN_AFTER_FAILURES and CONFIRM_DELAY_SECONDS', () => {
    const config = runtimeConfigFromEnv({ ...BASE, BROKEN_AFTER_FAILURES: '5', CONFIRM_DELAY_SECONDS: '0.5' });
    expect(config).toMatchObject({ brokenAfterFailures: 5, confirmDelayMs: 500 });
  });

  it('refuses a threshold or delay that is not a number, naming the variable', () => {
    expect(() => runtimeConfigFromEnv({ ...BASE, BROKEN_AFTER_FAILURES: '0' })).toThrow('BROKEN_AFTER_FAILURES must be a positive integer, not "0"');
    expect(() => runtimeConfigFromEnv({ ...BASE, CONFIRM_DELAY_SECONDS: 'soon' })).toThrow('CONFIRM_DELAY_SECONDS must be a number of seconds, not "soon"');
  });
});

describe('createCheckDeps: the S3 and SES adapters, built on first use', () => {
  const config = runtimeConfigFromEnv({ ...BASE, SENDER_EMAIL: 'alerts@example.org', AWS_REGION: 'us-east-1' });
  const fetcher = { fetch: async () => ({ kind: 'unchanged' as const }) } as unknown as PolicyFetcher;

  it('writes snapshots to the configured bucket through the S3 client given', async () => {
    const s3 = mockClient(S3Client);
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    s3.on(PutObjectCommand).resolves({});
    const deps = createCheckDeps(config, fetcher, { s3: new S3Client({}) });
    const body = new TextEncoder().encode('<p>x</p>');
    const snapshotId = createHash('sha256').update(body).digest('hex');

    const written = await deps.snapshots.putRaw('acme', snapshotId, body, 'text/html');

    expect(written).toEqual({ key: `raw/acme/${snapshotId}`, written: true });
    expect(s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Bucket, call.args[0].input.Key])).toEqual([['bucket', `raw/acme/${snapshotId}`]]);
    s3.restore();
  });

  it('sends every mail from SENDER_EMAIL through the SES client given', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const deps = createCheckDeps(config, fetcher, { sesv2: new SESv2Client({}) });
    const email = { to: 'dpo@example.org', subject: 'Policy changed', html: '<p>30 → 90 days</p>', text: '30 → 90 days' };

    const sent = [await deps.notify.mailer.send(email), await deps.notify.mailer.send(email)];

    expect(sent).toEqual([{ messageId: 'm-1' }, { messageId: 'm-1' }]);
    expect(ses.commandCalls(SendEmailCommand).map((call) => [call.args[0].input.FromEmailAddress, call.args[0].input.Destination?.ToAddresses])).toEqual([
      ['alerts@example.org', ['dpo@example.org']],
      ['alerts@example.org', ['dpo@example.org']],
    ]);
    ses.restore();
  });

  it('refuses to build the check worker without SENDER_EMAIL, naming the variable', () => {
    expect(() => createCheckDeps(runtimeConfigFromEnv(BASE), fetcher, {})).toThrow('SENDER_EMAIL');
  });
});
