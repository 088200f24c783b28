/**
 * Scheduler Lambda: on each EventBridge tick (UTC cron, see infra), queues one check message
 * per due policy.
 */
import { Logger } from '@aws-lambda-powertools/logger';
// zod's tree-shakable build: one small schema, and classic zod's core alone is ~85 KB.
import * as z from 'zod/mini';
import { scheduleChecks } from '../app/schedule.ts';
import { createScheduleDeps, runtimeConfigFromEnv } from './runtime.ts';

const logger = new Logger({ serviceName: 'policy-monitor', persistentKeys: { function: 'scheduler' } });
const deps = createScheduleDeps(runtimeConfigFromEnv());

/** An EventBridge scheduled event, whose time is only logged. Manual invocations may send `{}`. */
const SchedulerEvent = z.looseObject({ time: z.optional(z.string()) });

export interface SweepSummary {
  policies: number;
  queued: number;
}

export async function handler(event: unknown): Promise<SweepSummary> {
  const { time } = SchedulerEvent.parse(event ?? {});
  const result = await scheduleChecks(deps);
  logger.info('Queued due policies', { tick: time, policies: result.policies, queued: result.queued.length });
  return { policies: result.policies, queued: result.queued.length };
}
