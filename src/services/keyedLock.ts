/** Runs tasks one at a time per key (a server id): every read-modify-write of a server's state goes through it. */
export interface Locks {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/**
 * One process's half of a lock: tasks for the same key run one after another. The store-backed
 * LeasedLocks adds the other half, so processes sharing a store take turns too.
 */
export class KeyedLock implements Locks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
