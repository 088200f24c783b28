/**
 * One check of one policy: fetch → (unchanged? stop) → validate → store the snapshot →
 * baseline, or diff against the baseline → change records → notify.
 *
 * Write order is what makes a crash safe to retry: S3 objects (content-addressed), then the
 * snapshot record, then change records (idempotent on changeId), then emails (claimed per
 * change and subscriber), then the check record, and last the policy's `lastSnapshotId`. Until
 * that last write, a redelivered message finds the same body "new" again and walks the same
 * path, every write converging on what is already there.
 *
 * A failed check writes no snapshot and no change: it is recorded (check record with its reason,
 * and `lastFailure` on the policy). After `brokenAfterFailures` failed checks in a row the policy
 * is `broken` and its subscribers get one "tracking broken" email; the first good check after
 * that sends one "tracking restored" (notify-tracking.ts). A redelivered message (same
 * `scheduledAt`) is not counted twice.
 */
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
import { decodeBody } from '../adapters/body-decoding.ts';
import { FetchError } from '../adapters/errors.ts';
import { NotifyError, notifyChanges, type NotifyDeps } from './notify.ts';
import { notifyTracking } from './notify-tracking.ts';

/**
 * The engine and the page checks, with their parsers (htmlparser2, marked, chrono), are loaded
 * when a check first meets a new version: most checks find the page unchanged (a 304 or the same
 * hash) and never need them, and they are most of the check Lambda's cold start.
 */
const loadEngine = async () => {
  const [{ comparePolicies, readPolicy, ENGINE_VERSION }, { assessPage, assessRetention, detectLanguage }] = await Promise.all([
    import('../core/engine.ts'),
    import('../core/page-validity.ts'),
  ]);
  return { comparePolicies, readPolicy, assessPage, assessRetention, detectLanguage, ENGINE_VERSION };
};
type Engine = Awaited<ReturnType<typeof loadEngine>>;

/** After this many failed checks in a row a policy is `broken` (it is still checked). */
export const DEFAULT_BROKEN_AFTER_FAILURES = 3;

export interface CheckDeps {
  store: PolicyStore;
  snapshots: SnapshotStore;
  fetcher: PolicyFetcher;
  now: () => Date;
  notify: Omit<NotifyDeps, 'now'>;
  /** Failed checks in a row that make a policy `broken` and mail "tracking broken". @default DEFAULT_BROKEN_AFTER_FAILURES */
  brokenAfterFailures?: number;
  /**
   * Before a new material change is believed, the page is fetched again after `delayMs`: a
   * section that differs between the two fetches is volatile (A/B test, rotating banner, a
   * token), and a change found only there is a `volatile` fetch failure, never an alert.
   * Absent: no second fetch.
   */
  confirm?: { delayMs: number; sleep: (ms: number) => Promise<void> };
}

/** Where the check came from; the check Lambda passes its SQS message. */
export interface CheckContext {
  /** When the scheduler queued the check; a redelivery of the same message has the same one. */
  scheduledAt?: string;
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

export async function checkPolicy(policyId: string, deps: CheckDeps, context: CheckContext = {}): Promise<CheckResult> {
  const policy = await deps.store.getPolicy(policyId);
  if (policy === undefined) return { policyId, changes: [], emailsSent: 0, retry: false };
  const startedAt = deps.now().toISOString();

  let fetched: FetchOutcome;
  try {
    // Validators only when the version they describe is stored; otherwise a 304 would leave us with nothing.
    const validators = policy.lastSnapshotId === undefined ? {} : { etag: policy.etag, lastModified: policy.lastModified };
    fetched = await deps.fetcher.fetch({ url: policy.url, ...validators, ...robotsOf(policy) });
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    if (error.retryAfterMs !== undefined) {
      // The server named a time to come back: the scheduler waits for it, the queue does not redeliver sooner.
      const retryAfter = new Date(Date.parse(startedAt) + error.retryAfterMs).toISOString();
      return recordFailure(deps, policy, context, startedAt, failureReason(error), error.message, false, { retryAfter });
    }
    return recordFailure(deps, policy, context, startedAt, failureReason(error), error.message, error.transient);
  }

  if (fetched.status === 'not-modified') return recordUnchanged(deps, policy, startedAt, {});
  const snapshotId = sha256Hex(fetched.body);
  if (snapshotId === policy.lastSnapshotId) return recordUnchanged(deps, policy, startedAt, { etag: fetched.etag, lastModified: fetched.lastModified });

  const engine = await loadEngine();
  const { comparePolicies, readPolicy, assessPage, assessRetention, detectLanguage } = engine;
  let current: NormalizedSnapshot;
  try {
    current = readPolicy(fetched.text, { format: formatOf(policy, fetched.contentType), title: policy.name, select: policy.select });
  } catch (error) {
    // An unmatched selector or an unreadable page fails the same way on every retry.
    return recordFailure(deps, policy, context, startedAt, 'unreadable', error instanceof Error ? error.message : String(error), false);
  }

  const baseline = policy.baselineSnapshotId === undefined ? undefined : await loadBaseline(deps.snapshots, policy, policy.baselineSnapshotId, engine);
  const assessment = assessPage(fetched.text, fetched.contentType, {
    baselineSectionCount: baseline?.sections.length,
    currentSectionCount: current.sections.length,
    baselineLanguage: baseline && detectLanguage(baseline.sections.map((section) => `${section.heading}\n${section.text}`).join('\n\n')),
  });
  if (!assessment.ok) {
    // The next scheduled check looks again; an immediate redelivery would see the same page.
    return recordFailure(deps, policy, context, startedAt, assessment.reason, assessment.detail, false);
  }

  // Decided before anything is written: a volatile page leaves no snapshot behind.
  const baselineDiff =
    baseline === undefined
      ? undefined
      : comparePolicies(
          { effectiveDate: baseline.document.effectiveDate ?? null, sections: baseline.sections },
          { effectiveDate: current.document.effectiveDate ?? null, sections: current.sections },
        );
  if (baseline !== undefined && baselineDiff !== undefined) {
    const retention = assessRetention(baseline.sections.length, baselineDiff.changes.filter((change) => change.kind === 'removed').length);
    if (!retention.ok) return recordFailure(deps, policy, context, startedAt, retention.reason, retention.detail, false);
  }
  const previous =
    baselineDiff === undefined || policy.lastSnapshotId === undefined || policy.lastSnapshotId === policy.baselineSnapshotId
      ? undefined
      : await loadNormalized(deps.snapshots, policy, policy.lastSnapshotId, engine);
  const fresh = baselineDiff === undefined ? [] : newMaterialChanges(baselineDiff.changes, previous, current, engine);
  if (fresh.length > 0 && deps.confirm !== undefined) {
    const volatile = await volatileChanges(fresh, current, policy, deps.fetcher, deps.confirm, engine);
    if (volatile.failure !== undefined) {
      const { reason, detail, transient } = volatile.failure;
      return recordFailure(deps, policy, context, startedAt, reason, detail, transient);
    }
  }

  const { key: rawKey } = await deps.snapshots.putRaw(policyId, snapshotId, fetched.body, fetched.contentType);
  const { key: normalizedKey } = await deps.snapshots.putNormalized(policyId, snapshotId, { ...current, engineVersion: engine.ENGINE_VERSION });
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

  if (baseline === undefined || baselineDiff === undefined) {
    // The first version ever seen is the baseline: there is nothing to compare it with, and nobody to tell.
    const check: CheckRecord = { policyId, checkedAt: startedAt, outcome: 'baseline', snapshotId };
    await deps.store.putCheck(check);
    await commitSuccess(deps, policy, { ...committed, baselineSnapshotId: snapshotId });
    return { policyId, check, changes: [], emailsSent: 0, retry: false };
  }

  const diff = baselineDiff;
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
  await commitSuccess(deps, policy, committed);
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
function newMaterialChanges(againstBaseline: Change[], previous: NormalizedSnapshot | undefined, current: NormalizedSnapshot, { comparePolicies }: Engine): Change[] {
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

async function loadBaseline(snapshots: SnapshotStore, policy: PolicyRecord, snapshotId: string, engine: Engine): Promise<NormalizedSnapshot & { snapshotId: string }> {
  const normalized = await loadNormalized(snapshots, policy, snapshotId, engine);
  // The baseline's objects are written before the policy points at them; a miss is a bug or lost data.
  if (normalized === undefined) throw new Error(`Baseline ${snapshotId} of policy ${policy.policyId} has no normalized snapshot in storage; this is a bug or lost data`);
  return { ...normalized, snapshotId };
}

/**
 * A stored version as this engine reads it. One normalized by another engine version is read
 * again from its raw page, as the fetch was: otherwise whatever the new engine reads differently
 * (chrome it now drops, text it now keeps) would be reported as a change of the policy.
 */
async function loadNormalized(snapshots: SnapshotStore, policy: PolicyRecord, snapshotId: string, { readPolicy, ENGINE_VERSION }: Engine): Promise<NormalizedSnapshot | undefined> {
  const normalized = await snapshots.getNormalized(policy.policyId, snapshotId);
  if (normalized === undefined || normalized.engineVersion === ENGINE_VERSION) return normalized;
  const raw = await snapshots.getRaw(policy.policyId, snapshotId);
  // Without its raw page the stored reading is all there is.
  if (raw === undefined) return normalized;
  try {
    const reread = readPolicy(decodeBody(raw.body, raw.contentType), { format: formatOf(policy, raw.contentType), title: policy.name, select: policy.select });
    return { ...reread, engineVersion: ENGINE_VERSION };
  } catch {
    return normalized; // e.g. a selector this engine no longer matches: keep the reading it was approved as
  }
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
  await commitSuccess(deps, policy, { ...validators, lastCheckedAt: checkedAt, consecutiveFailures: 0, status: 'ok' });
  return { policyId: policy.policyId, check, changes: [], emailsSent: 0, retry: false };
}

async function recordFailure(
  deps: CheckDeps,
  policy: PolicyRecord,
  context: CheckContext,
  checkedAt: string,
  reason: string,
  detail: string,
  transient: boolean,
  extra: Pick<PolicyRecord, 'retryAfter'> = {},
): Promise<CheckResult> {
  // A redelivered message is the same scheduled check failing again, not one more failure.
  const redelivery = context.scheduledAt !== undefined && policy.lastFailure?.scheduledAt === context.scheduledAt;
  const consecutiveFailures = redelivery ? Math.max(policy.consecutiveFailures, 1) : policy.consecutiveFailures + 1;
  const failingSince = policy.failingSince ?? checkedAt;
  const brokenAfter = deps.brokenAfterFailures ?? DEFAULT_BROKEN_AFTER_FAILURES;
  const broken = consecutiveFailures >= brokenAfter;
  const check: CheckRecord = { policyId: policy.policyId, checkedAt, outcome: 'failed', reason, notes: [detail] };
  await deps.store.putCheck(check);
  await deps.store.updatePolicy(policy.policyId, {
    lastCheckedAt: checkedAt,
    consecutiveFailures,
    status: broken ? 'broken' : 'failing',
    failingSince,
    lastFailure: { at: checkedAt, reason, detail, ...(context.scheduledAt === undefined ? {} : { scheduledAt: context.scheduledAt }) },
    ...extra,
  });
  let emailsSent = 0;
  if (broken) {
    // Every failed check of a broken run tries; the notification log lets one email through per subscriber.
    const notified = await notifyTracking(
      { kind: 'broken', policy, failingSince, failures: consecutiveFailures, reason, detail },
      { ...deps.notify, now: deps.now },
    );
    if (notified.failed.length > 0) throw new NotifyError(notified.failed);
    emailsSent = notified.sent.length;
  }
  return { policyId: policy.policyId, check, changes: [], emailsSent, retry: transient };
}

/**
 * The last write of a good check: clears the run of failures. A policy that was `broken`
 * first tells its subscribers that tracking works again, so a crash before the update
 * repeats the (idempotent) notice rather than losing it.
 */
async function commitSuccess(deps: CheckDeps, policy: PolicyRecord, patch: Partial<Omit<PolicyRecord, 'policyId'>>): Promise<void> {
  if (policy.status === 'broken' && policy.failingSince !== undefined) {
    const notified = await notifyTracking(
      {
        kind: 'restored',
        policy,
        failingSince: policy.failingSince,
        failures: policy.consecutiveFailures,
        reason: policy.lastFailure?.reason ?? 'unknown',
        detail: policy.lastFailure?.detail ?? '',
      },
      { ...deps.notify, now: deps.now },
    );
    if (notified.failed.length > 0) throw new NotifyError(notified.failed);
  }
  await deps.store.updatePolicy(policy.policyId, { ...patch, consecutiveFailures: 0, status: 'ok', failingSince: undefined, retryAfter: undefined });
}

/** The per-policy robots.txt opt-out, passed only when set, so fetch requests stay minimal. */
function robotsOf(policy: PolicyRecord): { respectRobots?: false } {
  return policy.ignoreRobots === true ? { respectRobots: false } : {};
}

/** `http-503` for a status failure, else the fetcher's reason. */
function failureReason(error: FetchError): string {
  return error.reason === 'http-status' && error.status !== undefined ? `http-${error.status}` : error.reason;
}

/**
 * Fetches the page again after `confirm.delayMs` and compares it section by section with the
 * first fetch. The new changes must all be in sections both fetches agree on; otherwise the
 * page is volatile and the check a failure. A failed second fetch fails the check the same way.
 */
async function volatileChanges(
  fresh: readonly Change[],
  current: NormalizedSnapshot,
  policy: PolicyRecord,
  fetcher: PolicyFetcher,
  confirm: NonNullable<CheckDeps['confirm']>,
  { readPolicy }: Engine,
): Promise<{ failure?: { reason: string; detail: string; transient: boolean } }> {
  await confirm.sleep(confirm.delayMs);
  let second: NormalizedSnapshot;
  try {
    const fetched = await fetcher.fetch({ url: policy.url, ...robotsOf(policy) });
    if (fetched.status !== 'ok') return { failure: { reason: 'volatile', detail: 'the confirming fetch answered 304 without validators', transient: false } };
    second = readPolicy(fetched.text, { format: formatOf(policy, fetched.contentType), title: policy.name, select: policy.select });
  } catch (error) {
    if (error instanceof FetchError) return { failure: { reason: failureReason(error), detail: `confirming fetch: ${error.message}`, transient: error.transient } };
    return { failure: { reason: 'unreadable', detail: `confirming fetch: ${error instanceof Error ? error.message : String(error)}`, transient: false } };
  }
  const again = new Map(second.sections.map((section) => [section.id, section.hash]));
  const unstable = new Set(current.sections.filter((section) => again.get(section.id) !== section.hash).map((section) => section.id));
  const volatile = fresh.filter((change) => unstable.has(change.sectionId));
  if (volatile.length === 0) return {};
  const where = volatile.map((change) => change.sectionPath.join(' › ')).join('; ');
  return {
    failure: {
      reason: 'volatile',
      detail: `${volatile.length} changed section(s) read differently on a second fetch ${Math.round(confirm.delayMs / 1000)} s later: ${where}`,
      transient: false,
    },
  };
}

/** The policy's declared format, else the one its content type names, else sniffed by the parser. */
function formatOf(policy: PolicyRecord, contentType: string): InputFormat | undefined {
  if (policy.format !== undefined) return policy.format;
  const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  return undefined;
}
