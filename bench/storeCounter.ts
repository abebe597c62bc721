import { KeyvHooks } from 'keyv';
import type { Store } from '../src/store/openStore.ts';
import type { StoreBackend } from '../src/store/storeBackend.ts';

/** Counts what reaches the store: Keyv reads and writes and the backend's own queries. */
export interface StoreCounts {
  reads: number;
  writes: number;
}

/** The store with its operations counted (Keyv through its hooks, the backend by wrapping it). */
export function countingStore(store: Store): { store: Store; counts: StoreCounts } {
  const counts: StoreCounts = { reads: 0, writes: 0 };
  store.keyv.hooks.addHandler(KeyvHooks.PRE_GET, () => void (counts.reads += 1));
  store.keyv.hooks.addHandler(KeyvHooks.PRE_GET_MANY, () => void (counts.reads += 1));
  store.keyv.hooks.addHandler(KeyvHooks.PRE_SET, () => void (counts.writes += 1));
  store.keyv.hooks.addHandler(KeyvHooks.PRE_DELETE, () => void (counts.writes += 1));
  const reads = new Set<keyof StoreBackend>(['due', 'dueAt', 'setMembers']);
  const backend = new Proxy(store.backend, {
    get(target, property: keyof StoreBackend) {
      const value = target[property];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (reads.has(property)) counts.reads += 1;
        else counts.writes += 1;
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: { ...store, backend }, counts };
}
