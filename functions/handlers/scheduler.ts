/**
 * Scheduler Lambda: on each EventBridge tick (UTC cron, see infra), queues one check message
 * per due policy. The daily digest rule invokes it with `{ "digest": true }`: it then mails the
 * daily digests (functions/app/digest.ts) instead.
 */
import { Logger } from '@aws-lambda-powertools/logger';
// A namespace import lets esbuild keep only the schemas used; `{ z }` drags in all of zod, locales included (~360 KB).
import * as z from 'zod';
import { sendDailyDigests } from '../app/digest.ts';
import { NotifyError } from '../app/notify.ts';
import { scheduleChecks } from '../app/schedule.ts';
import { createDigestDeps, createScheduleDeps, runtimeConfigFromEnv } from './runtime.ts';

const logger = new Logger({ serviceName: 'policy-monitor', persistentKeys: { function: 'scheduler' } });
const config = runtimeConfigFromEnv();
const deps = createScheduleDeps(config);
const digestDeps = createDigestDeps(config);

/**
 * An EventBridge scheduled event, whose time is only logged, or the digest rule's constant input
 * `{ "digest": true }`. Manual invocations may send `{}`.
 */
const SchedulerEvent = z.looseObject({ time: z.string().optional(), digest: z.literal(true).optional() });

export interface SweepSummary {
  policies: number;
  queued: number;
}

export interface DigestSummary {
  digests: number;
  alreadySent: number;
}

export async function handler(event: unknown): Promise<SweepSummary | DigestSummary> {
  const { time, digest } = SchedulerEvent.parse(event ?? {});
  if (digest) {
    const result = await sendDailyDigests(digestDeps, new Date());
    logger.info('Sent daily digests', { sent: result.sent.length, alreadySent: result.alreadyClaimed.length, failed: result.failed.length });
    // EventBridge retries a failed invocation; the retry sends only the digests not yet sent.
    if (result.failed.length > 0) throw new NotifyError(result.failed);
    return { digests: result.sent.length, alreadySent: result.alreadyClaimed.length };
  }
  const result = await scheduleChecks(deps);
  logger.info('Queued due policies', { tick: time, policies: result.policies, queued: result.queued });
  return { policies: result.policies, queued: result.queued.length };
}
