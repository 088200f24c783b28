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

/** Snapshots read per page while walking back in time. */
const AS_OF_PAGE = 100;

/**
 * The snapshot in force at `at`: the newest one fetched at or before it. Snapshots are distinct
 * versions, each recorded when first seen, so a version stays in force until the next one.
 */
export async function snapshotAsOf(store: Pick<PolicyStore, 'listSnapshots'>, policyId: string, at: Date): Promise<SnapshotRecord | undefined> {
  const limit = at.toISOString();
  let cursor: string | undefined;
  do {
    const page = await store.listSnapshots(policyId, cursor, AS_OF_PAGE);
    // Newest first: the first one not after the date is the answer.
    const found = page.items.find((snapshot) => snapshot.fetchedAt <= limit);
    if (found !== undefined) return found;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return undefined;
}
