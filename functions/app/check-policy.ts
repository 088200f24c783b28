/**
 * One check of one policy: fetch → (unchanged? stop) → validate → store the snapshot →
 * baseline, or diff against the baseline → change records → notify.
 *
 * Write order is what makes a crash safe to retry: S3 objects (content-addressed), then the
 * snapshot record, then change records (idempotent on changeId), then emails (claimed per
 * change and subscriber), then the check record, and last the policy's `lastSnapshotId`. Until
 * that last write, a redelivered message finds the same body "new" again and walks the same
 * path, every write converging on what is already there.
 */
import type { comparePolicies as ComparePolicies } from '../core/engine.ts';
import type {
  ChangeRecord,
  CheckRecord,
  FetchOutcome,
  NormalizedSnapshot,
  PolicyFetcher,
  PolicyRecord,
  PolicyStore,
  SnapshotRecord,
  SnapshotStore,
} from '../core/ports.ts';
import { sha256Hex } from '../core/text.ts';
import type { Change, InputFormat } from '../core/types.ts';
import { FetchError } from '../adapters/errors.ts';
import { NotifyError, notifyChanges, type NotifyDeps } from './notify.ts';

/**
 * The engine and the page checks, with their parsers (parse5, marked, chrono) and language model
 * (franc), are loaded when a check first meets a new version: most checks find the page unchanged
 * (a 304 or the same hash) and never need them, and they are most of the check Lambda's cold start.
 */
const loadEngine = async () => {
  const [{ comparePolicies, readPolicy }, { assessPage, detectLanguage }] = await Promise.all([import('../core/engine.ts'), import('../core/page-validity.ts')]);
  return { comparePolicies, readPolicy, assessPage, detectLanguage };
};

/** After this many failed checks in a row a policy is `broken` (it is still checked). */
export const BROKEN_AFTER_FAILURES = 5;

export interface CheckDeps {
  store: PolicyStore;
  snapshots: SnapshotStore;
  fetcher: PolicyFetcher;
  now: () => Date;
  notify: Omit<NotifyDeps, 'now'>;
}

export interface CheckResult {
  policyId: string;
  /** What was recorded; absent when the policy no longer exists (deleted after it was queued). */
  check?: CheckRecord;
  /** Change records of material changes first seen in this check. */
  changes: ChangeRecord[];
  emailsSent: number;
  /** A transient failure: the caller should let the queue redeliver the message. */
  retry: boolean;
}

/** Deterministic, so a reprocessed snapshot yields the same ids and putChange stays a no-op. */
export function changeIdOf(policyId: string, snapshotId: string, sectionId: string): string {
  return sha256Hex(`${policyId}\n${snapshotId}\n${sectionId}`).slice(0, 24);
}

export async function checkPolicy(policyId: string, deps: CheckDeps): Promise<CheckResult> {
  const policy = await deps.store.getPolicy(policyId);
  if (policy === undefined) return { policyId, changes: [], emailsSent: 0, retry: false };
  const startedAt = deps.now().toISOString();

  let fetched: FetchOutcome;
  try {
    // Validators only when the version they describe is stored; otherwise a 304 would leave us with nothing.
    const validators = policy.lastSnapshotId === undefined ? {} : { etag: policy.etag, lastModified: policy.lastModified };
    fetched = await deps.fetcher.fetch({ url: policy.url, ...validators });
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const reason = error.reason === 'http-status' && error.status !== undefined ? `http-${error.status}` : error.reason;
    return recordFailure(deps, policy, startedAt, reason, error.message, error.transient);
  }

  if (fetched.status === 'not-modified') return recordUnchanged(deps, policy, startedAt, {});
  const snapshotId = sha256Hex(fetched.body);
  if (snapshotId === policy.lastSnapshotId) return recordUnchanged(deps, policy, startedAt, { etag: fetched.etag, lastModified: fetched.lastModified });

  const { comparePolicies, readPolicy, assessPage, detectLanguage } = await loadEngine();
  let current: NormalizedSnapshot;
  try {
    current = readPolicy(fetched.text, { format: formatOf(policy, fetched.contentType), title: policy.name, select: policy.select });
  } catch (error) {
    // An unmatched selector or an unreadable page fails the same way on every retry.
    return recordFailure(deps, policy, startedAt, 'unreadable', error instanceof Error ? error.message : String(error), false);
  }

  const baseline = policy.baselineSnapshotId === undefined ? undefined : await loadBaseline(deps.snapshots, policyId, policy.baselineSnapshotId);
  const assessment = assessPage(fetched.text, fetched.contentType, {
    baselineSectionCount: baseline?.sections.length,
    currentSectionCount: current.sections.length,
    baselineLanguage: baseline && detectLanguage(baseline.sections.map((section) => `${section.heading}\n${section.text}`).join('\n\n')),
  });
  if (!assessment.ok) {
    // The next scheduled check looks again; an immediate redelivery would see the same page.
    return recordFailure(deps, policy, startedAt, assessment.reason, assessment.detail, false);
  }

  const { key: rawKey } = await deps.snapshots.putRaw(policyId, snapshotId, fetched.body, fetched.contentType);
  const { key: normalizedKey } = await deps.snapshots.putNormalized(policyId, snapshotId, current);
  const snapshot: SnapshotRecord = {
    policyId,
    snapshotId,
    fetchedAt: startedAt,
    contentType: fetched.contentType,
    bytes: fetched.body.byteLength,
    title: current.document.title,
    effectiveDate: current.document.effectiveDate ?? null,
    rawKey,
    normalizedKey,
  };
  await deps.store.putSnapshot(snapshot);
  const committed = {
    lastSnapshotId: snapshotId,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    lastCheckedAt: startedAt,
    consecutiveFailures: 0,
    status: 'ok' as const,
  };

  if (baseline === undefined) {
    // The first version ever seen is the baseline: there is nothing to compare it with, and nobody to tell.
    const check: CheckRecord = { policyId, checkedAt: startedAt, outcome: 'baseline', snapshotId };
    await deps.store.putCheck(check);
    await deps.store.updatePolicy(policyId, { ...committed, baselineSnapshotId: snapshotId });
    return { policyId, check, changes: [], emailsSent: 0, retry: false };
  }

  const diff = comparePolicies(
    { effectiveDate: baseline.document.effectiveDate ?? null, sections: baseline.sections },
    { effectiveDate: current.document.effectiveDate ?? null, sections: current.sections },
  );
  const previous =
    policy.lastSnapshotId === undefined || policy.lastSnapshotId === policy.baselineSnapshotId
      ? undefined
      : await deps.snapshots.getNormalized(policyId, policy.lastSnapshotId);
  const fresh = newMaterialChanges(diff.changes, previous, current, comparePolicies);
  const changes = withChangeIds(fresh, { policy, snapshotId, baselineSnapshotId: baseline.snapshotId, detectedAt: startedAt });
  for (const change of changes) await deps.store.putChange(change);

  const notified = await notifyChanges(changes, { ...deps.notify, now: deps.now });
  if (notified.failed.length > 0) throw new NotifyError(notified.failed);

  const alreadyReported = diff.changes.filter((change) => change.material && !fresh.includes(change)).length;
  const notes = [...diff.notes];
  if (alreadyReported > 0) notes.push(`${alreadyReported} material change(s) against the baseline were reported for an earlier snapshot.`);
  const check: CheckRecord = {
    policyId,
    checkedAt: startedAt,
    outcome: changes.length > 0 ? 'changed' : 'cosmetic',
    snapshotId,
    materialChanges: changes.length,
    ...(notes.length > 0 ? { notes } : {}),
  };
  await deps.store.putCheck(check);
  await deps.store.updatePolicy(policyId, committed);
  return { policyId, check, changes, emailsSent: notified.sent.length, retry: false };
}

/**
 * The material changes against the baseline that are new since the previous snapshot. The
 * baseline stays until someone approves a new one, so without this every later version (even
 * a cosmetic edit) would report the same clauses again. A section counts as new when it changed
 * materially between the previous snapshot and now; its change is still told against the
 * baseline, the version the reader approved. A section that went back to its baseline wording
 * is reported against the previous snapshot, since the reader was told of the other wording.
 */
function newMaterialChanges(
  againstBaseline: Change[],
  previous: NormalizedSnapshot | undefined,
  current: NormalizedSnapshot,
  comparePolicies: typeof ComparePolicies,
): Change[] {
  const material = againstBaseline.filter((change) => change.material);
  if (previous === undefined) return material;
  const sincePrevious = comparePolicies({ sections: previous.sections }, { sections: current.sections }).changes.filter((change) => change.material);
  const reported: Change[] = [];
  for (const recent of sincePrevious) {
    const baselineChange = material.find((change) => sameSection(change, recent));
    const change = baselineChange ?? recent;
    if (!reported.includes(change)) reported.push(change);
  }
  return reported;
}

function sameSection(a: Change, b: Change): boolean {
  return a.sectionId === b.sectionId || a.sectionPath.join('\u001f') === b.sectionPath.join('\u001f');
}

function withChangeIds(
  changes: Change[],
  { policy, snapshotId, baselineSnapshotId, detectedAt }: { policy: PolicyRecord; snapshotId: string; baselineSnapshotId: string; detectedAt: string },
): ChangeRecord[] {
  const seen = new Map<string, number>();
  return changes.map((change) => {
    // Two changes of one section (an added and a removed one) must not share an id.
    const count = (seen.get(change.sectionId) ?? 0) + 1;
    seen.set(change.sectionId, count);
    const sectionKey = count === 1 ? change.sectionId : `${change.sectionId}~${count}`;
    return {
      ...change,
      changeId: changeIdOf(policy.policyId, snapshotId, sectionKey),
      policyId: policy.policyId,
      policyName: policy.name,
      snapshotId,
      baselineSnapshotId,
      detectedAt,
    };
  });
}

async function loadBaseline(snapshots: SnapshotStore, policyId: string, snapshotId: string): Promise<NormalizedSnapshot & { snapshotId: string }> {
  const normalized = await snapshots.getNormalized(policyId, snapshotId);
  // The baseline's objects are written before the policy points at them; a miss is a bug or lost data.
  if (normalized === undefined) throw new Error(`Baseline ${snapshotId} of policy ${policyId} has no normalized snapshot in storage; this is a bug or lost data`);
  return { ...normalized, snapshotId };
}

/** Same version as last time: one check record, fresh validators, nothing else written. */
async function recordUnchanged(
  deps: CheckDeps,
  policy: PolicyRecord,
  checkedAt: string,
  validators: Pick<PolicyRecord, 'etag' | 'lastModified'>,
): Promise<CheckResult> {
  const check: CheckRecord = { policyId: policy.policyId, checkedAt, outcome: 'unchanged', snapshotId: policy.lastSnapshotId };
  await deps.store.putCheck(check);
  await deps.store.updatePolicy(policy.policyId, { ...validators, lastCheckedAt: checkedAt, consecutiveFailures: 0, status: 'ok' });
  return { policyId: policy.policyId, check, changes: [], emailsSent: 0, retry: false };
}

async function recordFailure(
  deps: CheckDeps,
  policy: PolicyRecord,
  checkedAt: string,
  reason: string,
  detail: string,
  transient: boolean,
): Promise<CheckResult> {
  const consecutiveFailures = policy.consecutiveFailures + 1;
  const check: CheckRecord = { policyId: policy.policyId, checkedAt, outcome: 'failed', reason, notes: [detail] };
  await deps.store.putCheck(check);
  await deps.store.updatePolicy(policy.policyId, {
    lastCheckedAt: checkedAt,
    consecutiveFailures,
    status: consecutiveFailures >= BROKEN_AFTER_FAILURES ? 'broken' : 'failing',
  });
  return { policyId: policy.policyId, check, changes: [], emailsSent: 0, retry: transient };
}

/** The policy's declared format, else the one its content type names, else sniffed by the parser. */
function formatOf(policy: PolicyRecord, contentType: string): InputFormat | undefined {
  if (policy.format !== undefined) return policy.format;
  const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  return undefined;
}
