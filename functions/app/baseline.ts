/**
 * The baseline's history: approving a snapshot as the new baseline (the only way a baseline
 * ever changes after the first check), and finding the version in force at a date.
 */
import type { BaselineApproval, PolicyRecord, PolicyStore, SnapshotRecord, SnapshotStore } from '../core/ports.ts';

export type ApprovalOutcome =
  | { status: 'approved'; policy: PolicyRecord }
  | { status: 'no-policy' | 'no-snapshot' | 'already-baseline' };

export interface ApprovalRequest {
  snapshotId: string;
  approvedBy: string;
  reason: string;
  apiKeyId?: string;
}

/**
 * Makes `snapshotId` the baseline and appends the approval to the policy's audit trail. The
 * check worker reads `baselineSnapshotId` at its start, so the next check diffs against it.
 * Read-then-write: two approvals at the same moment both land in the trail only if they do not
 * race; approvals are rare, deliberate operator actions.
 */
export async function approveBaseline(
  policyId: string,
  request: ApprovalRequest,
  deps: { store: PolicyStore; snapshots: SnapshotStore; now: () => Date },
): Promise<ApprovalOutcome> {
  const policy = await deps.store.getPolicy(policyId);
  if (policy === undefined) return { status: 'no-policy' };
  // The diff needs the normalized sections; a snapshot record without them cannot be a baseline.
  const [snapshot, normalized] = await Promise.all([
    deps.store.getSnapshot(policyId, request.snapshotId),
    deps.snapshots.getNormalized(policyId, request.snapshotId),
  ]);
  if (snapshot === undefined || normalized === undefined) return { status: 'no-snapshot' };
  if (policy.baselineSnapshotId === request.snapshotId) return { status: 'already-baseline' };
  const approval: BaselineApproval = {
    snapshotId: request.snapshotId,
    ...(policy.baselineSnapshotId !== undefined ? { previousSnapshotId: policy.baselineSnapshotId } : {}),
    approvedBy: request.approvedBy,
    approvedAt: deps.now().toISOString(),
    reason: request.reason,
    ...(request.apiKeyId !== undefined ? { apiKeyId: request.apiKeyId } : {}),
  };
  const patch = { baselineSnapshotId: request.snapshotId, baselineApproval: approval, baselineApprovals: [...(policy.baselineApprovals ?? []), approval] };
  await deps.store.updatePolicy(policyId, patch);
  return { status: 'approved', policy: { ...policy, ...patch } };
}

/** Checks read per page while looking for the last successful one before a date. */
const AS_OF_PAGE = 50;

/**
 * The snapshot in force at `at`: the one the last successful check at or before it saw. The
 * check timeline, not the snapshots' first-seen times, because a page can go back to an earlier
 * version (A → B → A), and a snapshot record only says when its version was first seen.
 */
export async function snapshotAsOf(store: Pick<PolicyStore, 'listChecks' | 'getSnapshot'>, policyId: string, at: Date): Promise<SnapshotRecord | undefined> {
  let cursor: string | undefined;
  do {
    const page = await store.listChecks(policyId, cursor, AS_OF_PAGE, { atOrBefore: at.toISOString() });
    // Newest first; failed checks saw nothing and say nothing about what was in force.
    const found = page.items.find((check) => check.snapshotId !== undefined && check.outcome !== 'failed');
    if (found?.snapshotId !== undefined) return store.getSnapshot(policyId, found.snapshotId);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return undefined;
}
