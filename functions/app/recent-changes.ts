/**
 * Changes across every tracked policy: the newest, for the global Atom feed, and those of a time
 * window, for the daily digest (digest.ts). The store
 * lists changes per policy (its index is per policy), so this reads each policy's newest page
 * and merges: cost grows with the number of policies, fine for the tens a team tracks.
 */
import type { ChangeRecord, PolicyStore } from '../core/ports.ts';

const POLICY_PAGE = 100;

export async function recentChanges(store: Pick<PolicyStore, 'listPolicies' | 'listChanges'>, limit: number): Promise<ChangeRecord[]> {
  const changes: ChangeRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPolicies(cursor, POLICY_PAGE);
    const perPolicy = await Promise.all(page.items.map((policy) => store.listChanges(policy.policyId, undefined, limit)));
    changes.push(...perPolicy.flatMap((listing) => listing.items));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return changes
    .sort((a, b) => (a.detectedAt === b.detectedAt ? a.changeId.localeCompare(b.changeId) : a.detectedAt < b.detectedAt ? 1 : -1))
    .slice(0, limit);
}

/**
 * Every change detected in [from, to) across every tracked policy, oldest first, for the daily
 * digest. Pages each policy's changes (newest first) only until they are older than `from`, so a
 * long history costs one page per policy, not a read of all of it.
 */
export async function changesDetectedBetween(store: Pick<PolicyStore, 'listPolicies' | 'listChanges'>, from: Date, to: Date): Promise<ChangeRecord[]> {
  const [fromIso, toIso] = [from.toISOString(), to.toISOString()];
  const changes: ChangeRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPolicies(cursor, POLICY_PAGE);
    const perPolicy = await Promise.all(page.items.map((policy) => changesOfPolicySince(store, policy.policyId, fromIso)));
    changes.push(...perPolicy.flat().filter((change) => change.detectedAt < toIso));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return changes.sort((a, b) => (a.detectedAt === b.detectedAt ? a.changeId.localeCompare(b.changeId) : a.detectedAt < b.detectedAt ? -1 : 1));
}

async function changesOfPolicySince(store: Pick<PolicyStore, 'listChanges'>, policyId: string, fromIso: string): Promise<ChangeRecord[]> {
  const changes: ChangeRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listChanges(policyId, cursor, POLICY_PAGE);
    const recent = page.items.filter((change) => change.detectedAt >= fromIso);
    changes.push(...recent);
    // Newest first: once a page reaches past `from`, older pages hold nothing for the window.
    if (recent.length < page.items.length) break;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return changes;
}
