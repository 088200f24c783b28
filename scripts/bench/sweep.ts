/**
 * Sweep benchmark: N tracked policies on a local multi-host server, checked by the real use-cases
 * (functions/app/schedule.ts → SQS → functions/app/check-policy.ts) against the local emulators
 * (dynalite, s3rver, fauxqs, aws-ses-v2-local), with a pool of local queue workers in place of
 * concurrent Lambda invocations.
 *
 * Two sweeps: the first records every policy's baseline (setup, also timed); then 10 % of the
 * pages get a material clause edit and the second, measured sweep runs. S3 is listed before and
 * after it, so the objects written for unchanged policies are counted, not assumed. Half the
 * hosts answer conditional GETs (304), half send the whole page again (sha256 short-circuit).
 *
 * Bench-specific fetcher settings (the only difference from the check Lambda's wiring):
 * - `allowHosts: ['127.0.0.1']`, as `npm start` and the tests do: the sites are on loopback;
 * - `perHostDelayMs: BENCH_PER_HOST_DELAY_MS` instead of 1 s. Production pacing is per real site;
 *   here 1,000 sites share a few ports, so the production delay would measure the sleep, not the
 *   system. Requests to one host:port stay one at a time (per-host concurrency 1 is unchanged).
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createTables, DynamoPolicyStore, prefixedTables, tablesToEnv } from '../../functions/adapters/dynamo-store.ts';
import { HttpPolicyFetcher } from '../../functions/adapters/http-fetcher.ts';
import { checkPolicy } from '../../functions/app/check-policy.ts';
import { scheduleChecks } from '../../functions/app/schedule.ts';
import { SqsCheckQueue } from '../../functions/adapters/sqs-queue.ts';
import { createCheckDeps, runtimeConfigFromEnv } from '../../functions/handlers/runtime.ts';
import { emulatorEnv, startEmulators } from '../local/emulators.ts';
import { drainQueue, type SqsBatchHandler } from '../local/queue-worker.ts';
import { loadSeeds } from '../seeds.ts';
import { startSweepServer } from './sweep-server.ts';

export const BENCH_PER_HOST_DELAY_MS = 20;

export interface SweepOptions {
  policies: number;
  hosts: number;
  /** Share of pages edited before the measured sweep. */
  changedShare: number;
  /** Concurrent queue workers (concurrent Lambda invocations). */
  workers: number;
  /** Messages per handler call (the event source's batch size in infra). */
  batchSize: number;
  onCheck?: (phase: 'baseline' | 'sweep', done: number) => void;
}

export interface SweepResult {
  policies: number;
  seconds: number;
  checksPerSecond: number;
  objectsWrittenForUnchanged: number;
  changedPolicies: number;
  objectsWrittenForChanged: number;
  outcomes: Record<string, number>;
  materialChanges: number;
  baselineSweepSeconds: number;
  hosts: number;
  workers: number;
  perHostDelayMs: number;
  /** Check durations in the measured sweep (ms, per policy, inside the worker). */
  unchangedCheckMedianMs: number;
  changedCheckMedianMs: number;
}

const BUCKET = 'bench-snapshots';
const QUEUE = 'bench-checks';
// Every scheduler tick finds every policy due again (as the flow tests do).
const INTERVAL_HOURS = 0.0001;

/** A material edit any seed page has room for: a new third party in the middle of the policy. */
export function addThirdPartyClause(html: string): string {
  const paragraphs = [...html.matchAll(/<\/p>/g)];
  const middle = paragraphs[Math.floor(paragraphs.length / 2)];
  if (middle?.index === undefined) throw new Error('page has no paragraph to edit; this is a bug in the benchmark');
  const clause = ' We may also share your personal information with Acme Analytics Inc. for advertising purposes.';
  return `${html.slice(0, middle.index)}${clause}${html.slice(middle.index)}`;
}

export async function benchSweep(options: SweepOptions): Promise<SweepResult> {
  const seeds = loadSeeds();
  const server = await startSweepServer({ count: options.policies, hosts: options.hosts, templates: seeds });
  const emulators = await startEmulators({ buckets: [BUCKET], queues: [QUEUE] });
  try {
    const tables = prefixedTables('bench-');
    await createTables(emulators.clients.dynamodb, tables);
    const queueUrl = emulators.sqs.queueUrls[QUEUE] as string;
    const env = { ...emulatorEnv(emulators), ...tablesToEnv(tables), SNAPSHOT_BUCKET: BUCKET, SENDER_EMAIL: 'bench@policy-monitor.local', UNSUBSCRIBE_SECRET: 'bench',
      // The confirming second fetch of a changed page still happens, without the production minute of waiting.
      CONFIRM_DELAY_SECONDS: '0' };
    Object.assign(process.env, env);

    const fetcher = new HttpPolicyFetcher({ allowHosts: ['127.0.0.1'], perHostDelayMs: BENCH_PER_HOST_DELAY_MS, validatePage: false });
    const deps = createCheckDeps(runtimeConfigFromEnv(), fetcher, emulators.clients);
    const store = new DynamoPolicyStore({ client: emulators.clients.dynamodb, tables });
    const queue = new SqsCheckQueue({ client: emulators.clients.sqs, queueUrl });

    const createdAt = new Date().toISOString();
    await inBatches(server.sites, 25, (site) =>
      store.putPolicy({ policyId: site.policyId, name: site.name, url: site.url, intervalHours: INTERVAL_HOURS, createdAt, consecutiveFailures: 0, status: 'ok' }),
    );

    const outcomes: Record<string, number> = {};
    const durations = new Map<string, number>();
    let materialChanges = 0;
    let phase: 'baseline' | 'sweep' = 'baseline';
    let done = 0;
    // The check Lambda's handler, minus the zod parsing and logging: one checkPolicy per record, in parallel.
    const handler: SqsBatchHandler = async ({ Records }) => {
      const failed = await Promise.all(
        Records.map(async (record) => {
          const { policyId } = JSON.parse(record.body) as { policyId: string };
          const started = performance.now();
          const result = await checkPolicy(policyId, deps);
          durations.set(policyId, performance.now() - started);
          const outcome = result.check?.outcome ?? 'deleted';
          if (phase === 'sweep') {
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            materialChanges += result.changes.length;
          }
          options.onCheck?.(phase, ++done);
          return result.retry ? record.messageId : undefined;
        }),
      );
      return { batchItemFailures: failed.filter((id): id is string => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
    };
    const sweep = async (): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_HOURS * 3600 * 1000 + 50));
      done = 0;
      const started = performance.now();
      const { queued } = await scheduleChecks({ store, queue, now: () => new Date() });
      if (queued.length !== options.policies) throw new Error(`the scheduler queued ${queued.length} of ${options.policies} policies`);
      const workers = Array.from({ length: options.workers }, () => drainQueue({ sqs: emulators.clients.sqs, queueUrl, handler, batchSize: options.batchSize }));
      const handled = (await Promise.all(workers)).reduce((a, b) => a + b, 0);
      if (handled < options.policies) throw new Error(`the workers handled ${handled} of ${options.policies} messages`);
      return (performance.now() - started) / 1000;
    };

    const baselineSweepSeconds = await sweep();

    const changed = new Set<string>();
    const step = Math.round(1 / options.changedShare);
    server.sites.forEach((site, i) => {
      // Shifted by one every row of hosts, so that edits land on every host and every template.
      if ((i + Math.floor(i / options.hosts)) % step === step - 1) {
        server.edit(site.policyId, addThirdPartyClause);
        changed.add(site.policyId);
      }
    });

    const before = await listKeys(emulators.clients.s3);
    phase = 'sweep';
    durations.clear();
    const seconds = await sweep();
    const after = await listKeys(emulators.clients.s3);
    await fetcher.close();

    const written = [...after].filter((key) => !before.has(key));
    const policyOfKey = (key: string): string => key.split('/')[1] ?? '';
    const unchangedWritten = written.filter((key) => !changed.has(policyOfKey(key))).length;
    const median = (values: number[]): number => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
    };
    const durationsOf = (wanted: boolean) => [...durations].filter(([id]) => changed.has(id) === wanted).map(([, ms]) => ms);
    return {
      policies: options.policies,
      seconds: round(seconds),
      checksPerSecond: round(options.policies / seconds, 1),
      objectsWrittenForUnchanged: unchangedWritten,
      changedPolicies: changed.size,
      objectsWrittenForChanged: written.length - unchangedWritten,
      outcomes,
      materialChanges,
      baselineSweepSeconds: round(baselineSweepSeconds),
      hosts: options.hosts,
      workers: options.workers,
      perHostDelayMs: BENCH_PER_HOST_DELAY_MS,
      unchangedCheckMedianMs: round(median(durationsOf(false)), 1),
      changedCheckMedianMs: round(median(durationsOf(true)), 1),
    };
  } finally {
    await emulators.stop().catch(() => undefined);
    await server.stop();
  }
}

async function listKeys(s3: S3Client): Promise<Set<string>> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}
