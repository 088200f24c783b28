import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { runPolicyStoreContract } from './policy-store.contract.ts';
import { runSnapshotStoreContract } from './snapshot-store.contract.ts';

runPolicyStoreContract('MemoryPolicyStore', async () => new MemoryPolicyStore());

runSnapshotStoreContract('MemorySnapshotStore', async () => {
  const store = new MemorySnapshotStore();
  return { store, objectKeys: async () => store.keys() };
});
