/**
 * The blob sweep: uploaded files (blobs, stored by the SHA-256 of their
 * bytes and shared by every session that uploads the same bytes) are deleted
 * once nothing refers to them: no stored session (an expired or evicted
 * session is gone from the store, so its files go with it), no snapshot, and
 * not the owner's notebook (whose files are pinned). One mark-and-sweep for
 * both stores, safe with several processes on one store: a file is deleted
 * only if it was last stored before the sweep began, less a grace period for
 * uploads whose notebook is not stored yet, and the store's delete checks
 * that again atomically (a file uploaded again meanwhile stays). The mark
 * phase reads, for sessions, the index of file ids each session gets when it
 * is stored ({@link NotebookStore.sessionBlobIds}), not the notebooks,
 * except those of sessions written or used since their index was written
 * (possibly by an older version, which leaves the index stale); for
 * snapshots, likewise the index each gets when stored
 * ({@link NotebookStore.snapshotBlobIds}). Index entries whose session or
 * snapshot is gone are removed on the way (by a sweep that has files old
 * enough to delete; with none, it reads nothing).
 *
 * @packageDocumentation
 */
import type { NotebookStore } from "./notebook-store.js";
import { storedBlobIds } from "./stored-attachments.js";

/**
 * Deletes the stored files no session, snapshot or `keep` refers to and that
 * were last stored more than `graceMs` ago.
 * @param keep the owner's files (SHA-256 ids)
 * @param graceMs how long a file is kept before anything refers to it, in ms
 * @returns how many files went
 * @throws the store's I/O error
 */
export async function sweepBlobs(store: NotebookStore, keep: ReadonlySet<string>, graceMs: number): Promise<number> {
  const before = Date.now() - graceMs;
  const candidates = await store.listBlobs(before);
  if (candidates.length === 0) return 0;
  const live = new Set(keep);
  if (store.sessionBlobIds) for (const b of await store.sessionBlobIds()) live.add(b);
  else for (const id of await store.listSessions()) for (const b of storedBlobIds((await store.getSession(id))?.config)) live.add(b);
  if (store.snapshotBlobIds) for (const b of await store.snapshotBlobIds()) live.add(b);
  else for (const id of await store.listSnapshots()) for (const b of storedBlobIds((await store.getSnapshot(id))?.config)) live.add(b);
  let gone = 0;
  for (const id of candidates) if (!live.has(id) && (await store.deleteBlob(id, before))) gone++;
  return gone;
}
