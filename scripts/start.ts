/**
 * `npm start`: the monitor on this machine, no AWS account needed. Starts the emulators, the
 * local policy server (the seeds as web pages) and the API; tracks the seeds; subscribes a demo
 * address; then runs the scheduler every CHECK_INTERVAL_SECONDS and a worker that drains the
 * check queue through the check Lambda's handler. Data lives in .local-data/ across restarts.
 * Ctrl-C stops everything.
 *
 * Try: `npm run demo:edit -- imou-privacy`, then watch the email viewer.
 */
import { resolve } from 'node:path';
import pc from 'picocolors';
import type { PolicyRecord, SubscriptionRecord } from '../functions/core/ports.ts';
import { drainQueue } from './local/queue-worker.ts';
import { removeLocalRun, runningLocalRun, writeLocalRun } from './local/run-file.ts';
import { LOCAL_DATA_DIR, LOCAL_RUN_FILE, startLocalStack, SNAPSHOT_BUCKET, type LocalStack } from './local/stack.ts';
import { loadSeeds } from './seeds.ts';

const DATA_DIR = resolve(LOCAL_DATA_DIR);
const RUN_FILE = resolve(LOCAL_RUN_FILE);
const STOP_GRACE_MS = 2000;
const DEMO_SUBSCRIBER: SubscriptionRecord = {
  subscriptionId: 'local-demo-subscriber',
  email: 'demo@example.com',
  policies: 'all',
  categories: 'material',
  confirmed: true,
  createdAt: '2024-01-01T00:00:00.000Z',
};

async function main(): Promise<void> {
  // Local Node is 20 by design (Lambda runs 22); the SDK's "upgrade Node" notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const intervalSeconds = positiveNumber(process.env.CHECK_INTERVAL_SECONDS, 30, 'CHECK_INTERVAL_SECONDS');
  const apiPort = positiveNumber(process.env.PORT, 3000, 'PORT');
  const seeds = loadSeeds();
  const running = await runningLocalRun(RUN_FILE);
  if (running !== undefined) {
    console.error(
      pc.red(`npm start is already running in this directory (pid ${running.pid}, API ${running.api}).`) +
        ` Stop it first (Ctrl-C in its terminal, or kill ${running.pid}): both would use the emulator data in ${LOCAL_DATA_DIR}/.`,
    );
    process.exitCode = 1;
    return;
  }
  const stack = await startLocalStack({
    dataDir: DATA_DIR,
    apiPort,
    policies: seeds.map(({ policyId, name, format, text }) => ({ policyId, name, format, text })),
  });

  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopping) {
      console.log(pc.red('Forced exit'));
      process.exit(1);
    }
    console.log(pc.dim(`\n${signal}: stopping…`));
    stopping = (async () => {
      clearInterval(timer);
      // A check in flight may finish if it is quick; cutting it short is safe, since every
      // write is idempotent and the next start redoes whatever was not committed.
      await Promise.race([tick.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
      await stack.stop();
      await removeLocalRun(RUN_FILE, process.pid);
      console.log(pc.dim('Stopped.'));
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    await registerSeeds(stack, seeds, intervalSeconds);
    if ((await stack.store.getSubscription(DEMO_SUBSCRIBER.subscriptionId)) === undefined) {
      await stack.store.putSubscription(DEMO_SUBSCRIBER);
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }
  await writeLocalRun(RUN_FILE, { api: stack.apiUrl, policyServer: stack.policyServer.url, emailViewer: stack.emulators.ses.viewerUrl, pid: process.pid });

  const label = (name: string) => pc.bold(name.padEnd(15));
  console.log(`${label('API')}${pc.cyan(stack.apiUrl)}   (${stack.apiUrl}/openapi.json)`);
  console.log(`${label('Email viewer')}${pc.cyan(stack.emulators.ses.viewerUrl)}`);
  console.log(`${label('Policy server')}${pc.cyan(stack.policyServer.url)}`);
  console.log(`${label('S3')}${stack.emulators.s3.endpoint}   (bucket ${SNAPSHOT_BUCKET})`);
  console.log(`${label('DynamoDB')}${stack.emulators.dynamodb.endpoint}`);
  console.log(`${label('SQS')}${stack.emulators.sqs.endpoint}`);
  console.log(`${label('Data')}${DATA_DIR}`);
  console.log(
    `${pc.green('ready')} in ${Math.round(performance.now())} ms · ${seeds.length} policies, checks every ${intervalSeconds} s · ` +
      `edit one with ${pc.bold('npm run demo:edit -- imou-privacy')} · Ctrl-C to stop`,
  );

  // One sweep now (the first check of each seed makes its baseline), then one per interval.
  tick = sweep(stack);
  timer = setInterval(() => {
    tick = tick.then(() => sweep(stack));
  }, intervalSeconds * 1000);
}

/** Scheduler, then the worker until the queue is empty; prints one line per check. */
async function sweep(stack: LocalStack): Promise<void> {
  try {
    const { queued } = await stack.scheduler({ time: new Date().toISOString() });
    if (queued === 0) return;
    await drainQueue({
      sqs: stack.emulators.clients.sqs,
      queueUrl: stack.queueUrl,
      handler: stack.check,
      onBatch: ({ policyIds }) => void printChecks(stack, policyIds),
    });
  } catch (error) {
    console.error(pc.red(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

async function printChecks(stack: LocalStack, policyIds: string[]): Promise<void> {
  for (const policyId of policyIds) {
    const [check] = (await stack.store.listChecks(policyId, undefined, 1)).items;
    if (check === undefined) continue;
    const colour = { baseline: pc.blue, unchanged: pc.dim, changed: pc.yellow, cosmetic: pc.dim, failed: pc.red }[check.outcome];
    const detail =
      check.outcome === 'changed' ? ` · ${check.materialChanges} material change(s), emails to matching subscribers`
      : check.outcome === 'failed' ? ` · ${check.reason}: ${check.notes?.[0] ?? ''}`
      : '';
    console.log(`${pc.dim(check.checkedAt.slice(11, 19))} ${policyId.padEnd(16)} ${colour(check.outcome)}${detail}`);
  }
}

/** Tracks each seed at its local URL; idempotent, and repairs the URL when the policy server's port changed. */
async function registerSeeds(stack: LocalStack, seeds: ReturnType<typeof loadSeeds>, intervalSeconds: number): Promise<void> {
  const intervalHours = intervalSeconds / 3600;
  for (const seed of seeds) {
    const url = stack.policyServer.pageUrl(seed.policyId);
    const existing = await stack.store.getPolicy(seed.policyId);
    if (existing === undefined) {
      const policy: PolicyRecord = {
        policyId: seed.policyId,
        name: seed.name,
        url,
        format: 'html',
        intervalHours,
        createdAt: new Date().toISOString(),
        consecutiveFailures: 0,
        status: 'ok',
      };
      await stack.store.putPolicy(policy);
    } else if (existing.url !== url || existing.intervalHours !== intervalHours) {
      await stack.store.updatePolicy(seed.policyId, { url, intervalHours });
    }
  }
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return parsed;
}

main().catch((error: unknown) => {
  console.error(pc.red(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  process.exit(1);
});
