/**
 * The newest material changes across every tracked policy, for the global Atom feed. The store
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
