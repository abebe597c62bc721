/** The record without keys set to undefined: a patch of `{ retryAt: undefined }` removes the field. */
export function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
