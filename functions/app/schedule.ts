/**
 * Which policies are due for a check, and the sweep that queues them. The clock is passed in, so
 * the rule is testable without timers.
 */
import type { CheckQueue, PolicyRecord, PolicyStore } from '../core/ports.ts';

const HOUR_MS = 60 * 60 * 1000;
/**
 * A check runs a little after the tick that queued it, so measured from the check the next tick
 * comes a little early. Without a grace, a 12-hour policy on a twice-a-day schedule would be
 * skipped on every other tick. 10% of the interval, at most 30 minutes.
 */
const GRACE_SHARE = 0.1;
const MAX_GRACE_MS = 30 * 60 * 1000;

/**
 * True when the policy was never checked, or its interval (less the grace) has elapsed; never
 * before the time its server asked us to come back (Retry-After).
 */
export function isDue(policy: Pick<PolicyRecord, 'lastCheckedAt' | 'intervalHours' | 'retryAfter'>, now: Date): boolean {
  if (policy.retryAfter !== undefined && Date.parse(policy.retryAfter) > now.getTime()) return false;
  if (policy.lastCheckedAt === undefined) return true;
  const lastCheckedMs = Date.parse(policy.lastCheckedAt);
  if (Number.isNaN(lastCheckedMs)) return true;
  const intervalMs = policy.intervalHours * HOUR_MS;
  const graceMs = Math.min(intervalMs * GRACE_SHARE, MAX_GRACE_MS);
  return lastCheckedMs + intervalMs - graceMs <= now.getTime();
}

export interface ScheduleDeps {
  store: Pick<PolicyStore, 'listPolicies'>;
  queue: CheckQueue;
  now: () => Date;
}

export interface ScheduleResult {
  /** Policies seen in the sweep. */
  policies: number;
  /** Ids of the policies queued for a check. */
  queued: string[];
}

/** Page size of the sweep: a scan page, not a limit on how many policies are checked. */
const SWEEP_PAGE = 100;

/** Queues one check message per due policy, page by page over all tracked policies. */
export async function scheduleChecks(deps: ScheduleDeps): Promise<ScheduleResult> {
  const now = deps.now();
  const scheduledAt = now.toISOString();
  const result: ScheduleResult = { policies: 0, queued: [] };
  let cursor: string | undefined;
  do {
    const page = await deps.store.listPolicies(cursor, SWEEP_PAGE);
    result.policies += page.items.length;
    const due = page.items.filter((policy) => isDue(policy, now));
    // Per page, so one enormous sweep never holds every message in memory before sending.
    if (due.length > 0) await deps.queue.enqueue(due.map(({ policyId }) => ({ policyId, scheduledAt })));
    result.queued.push(...due.map(({ policyId }) => policyId));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return result;
}
