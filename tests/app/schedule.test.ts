import { describe, expect, it } from 'vitest';
import { MemoryPolicyStore } from '../../functions/adapters/memory-store.ts';
import type { CheckMessage, CheckQueue, PolicyRecord } from '../../functions/core/ports.ts';
import { isDue, scheduleChecks } from '../../functions/app/schedule.ts';

const NOW = new Date('2024-05-02T18:00:00.000Z');

function policy(policyId: string, patch: Partial<PolicyRecord> = {}): PolicyRecord {
  return { policyId, name: policyId, url: `https://example.org/${policyId}`, intervalHours: 12, createdAt: '2024-01-01T00:00:00.000Z', consecutiveFailures: 0, status: 'ok', ...patch };
}

class RecordingQueue implements CheckQueue {
  readonly batches: CheckMessage[][] = [];
  async enqueue(messages: CheckMessage[]): Promise<void> {
    this.batches.push(messages);
  }
}

describe('isDue', () => {
  it('is due when never checked', () => {
    expect(isDue(policy('a'), NOW)).toBe(true);
  });

  it("is not due before the server's Retry-After time, and due after it", () => {
    const lastCheckedAt = '2024-05-01T06:00:00.000Z';
    expect(isDue(policy('a', { lastCheckedAt, retryAfter: '2024-05-02T18:00:01.000Z' }), NOW)).toBe(false);
    expect(isDue(policy('a', { lastCheckedAt, retryAfter: '2024-05-02T18:00:00.000Z' }), NOW)).toBe(true);
  });

  it('is due once the interval has elapsed', () => {
    expect(isDue(policy('a', { lastCheckedAt: '2024-05-02T06:00:00.000Z' }), NOW)).toBe(true);
  });

  it('is due on the next twice-a-day tick although the last check ran seconds after its own tick', () => {
    // Prepare: the 06:00 tick queued the check, which ran at 06:00:07.
    const checkedLate = policy('a', { lastCheckedAt: '2024-05-02T06:00:07.000Z' });
    // Act / Assess
    expect(isDue(checkedLate, NOW)).toBe(true);
  });

  it('is not due halfway through its interval', () => {
    expect(isDue(policy('a', { lastCheckedAt: '2024-05-02T12:00:00.000Z' }), NOW)).toBe(false);
  });

  it('honours a per-policy interval', () => {
    const daily = policy('a', { intervalHours: 24, lastCheckedAt: '2024-05-02T06:00:00.000Z' });
    expect(isDue(daily, NOW)).toBe(false);
  });
});

describe('scheduleChecks', () => {
  it('queues one message per due policy, across pages of the policy table', async () => {
    // Prepare: 150 due policies and 30 checked an hour ago (more than one sweep page).
    const store = new MemoryPolicyStore();
    for (let i = 0; i < 150; i++) await store.putPolicy(policy(`due-${String(i).padStart(3, '0')}`));
    for (let i = 0; i < 30; i++) await store.putPolicy(policy(`fresh-${i}`, { lastCheckedAt: '2024-05-02T17:00:00.000Z' }));
    const queue = new RecordingQueue();
    // Act
    const result = await scheduleChecks({ store, queue, now: () => NOW });
    // Assess
    const messages = queue.batches.flat();
    expect(result.policies).toBe(180);
    expect(result.queued).toHaveLength(150);
    expect(new Set(messages.map((m) => m.policyId)).size).toBe(150);
    expect(messages.every((m) => m.policyId.startsWith('due-') && m.scheduledAt === NOW.toISOString())).toBe(true);
  });

  it('queues nothing when nothing is due', async () => {
    const store = new MemoryPolicyStore();
    await store.putPolicy(policy('a', { lastCheckedAt: '2024-05-02T17:59:00.000Z' }));
    const queue = new RecordingQueue();
    const result = await scheduleChecks({ store, queue, now: () => NOW });
    expect(result.queued).toEqual([]);
    expect(queue.batches).toEqual([]);
  });
});
