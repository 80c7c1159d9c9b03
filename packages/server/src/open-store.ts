/**
 * Opening the store that `--store` names.
 *
 * @packageDocumentation
 */
import type { NotebookStore } from "./notebook-store.js";

/**
 * Opens the store a `--store` value names: `redis://...` (or `rediss://`) is
 * Redis, anything else a folder (created when missing).
 * @param spec the value, or `undefined` for `defaultFolder`
 * @throws an Error naming the address when Redis does not answer, or the folder's file-system error
 */
export async function openStore(spec: string | undefined, defaultFolder: string): Promise<NotebookStore> {
  if (spec && /^rediss?:\/\//i.test(spec)) {
    const { RedisStore } = await import("./redis-store.js");
    return RedisStore.connect(spec);
  }
  const { FolderStore } = await import("./folder-store.js");
  return new FolderStore(spec ?? defaultFolder);
}
