/**
 * The default store: a folder (`.aiconfig-serve/` beside the served file, or
 * `--store DIR`). Sessions are `sessions/<id>.json` (the file's modification
 * time is the session's last use), snapshots `snapshots/<id>.json`
 * (content-addressed), attachments `blobs/<sha256>` (the file's modification
 * time is when it was last stored; the owner's files are pinned in
 * `blobs/pinned`); every write is atomic (`write-file-atomic`). Visitors' keys
 * are never written: the folder store keeps their sealed form in memory, so
 * they last as long as the process.
 *
 * Once a {@link SessionPolicy} is given (the first `sweepSessions`), the
 * sessions are indexed in an `lru-cache` bounded by count (`maxSessions`),
 * by bytes (`maxBytes`, each session's `bytes`) and by age (`ttlMs`): a
 * session stored past a bound evicts the least recently used at once (the
 * policy's `onRemoved` hears which bound removed it).
 *
 * Each session has, beside it, `sessions/<id>.blobs`: the ids of the stored
 * files its notebook refers to, one a line, so the blob sweep reads those
 * (once per process; then from memory) and not the notebooks. This version
 * keeps the index on disk holding at least what the notebook on disk refers
 * to, or absent (removed while a notebook referring to more files is
 * written); an older version rewrites notebooks and leaves their index as it
 * was. So the sweep trusts an index only when it is not older than its
 * notebook (modification times; a notebook's is its last use or write by any
 * version); else, or when there is none, it reads that notebook and indexes
 * it again. Within a process, what it stored or indexed since it started is
 * kept in memory and trusted (one process per folder). Every write of a
 * session's notebook or index (put, touch, delete, the sweep's re-index) runs
 * after the earlier ones for that session have finished, so two never
 * interleave. The first sweep of each process removes the `.blobs` of
 * sessions whose notebook is gone (left by an older version's delete); with
 * one process per folder, none appear later.
 *
 * Each snapshot likewise has `snapshots/<id>.blobs`, written after its
 * notebook. A snapshot is content-addressed (the same id is the same
 * notebook), so its index never goes stale; one without (stored by an older
 * version) is read once and indexed. Every sweep removes the `.blobs` of
 * snapshots whose notebook is gone (the owner may delete `<id>.json` by hand).
 *
 * One process per folder: several processes need {@link RedisStore}.
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { readFile, readdir, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { LRUCache } from "lru-cache";
import { type RateLimiterAbstract, RateLimiterMemory } from "rate-limiter-flexible";
import writeFileAtomic from "write-file-atomic";
import type { NotebookStore, SessionPolicy, SessionRecord, SessionRemovalReason, SnapshotRecord } from "./notebook-store.js";
import { storedBlobIds } from "./stored-attachments.js";

const ID = /^[0-9a-f]{64}$/;
const SNAPSHOT_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Whether a file exists. */
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Options of {@link FolderStore}. */
export interface FolderStoreOptions {
  /** Bytes of session documents kept in memory (least recently used go first; they stay on disk). Default 64 MiB. */
  cacheBytes?: number;
}

/** A store in a folder, for one process. */
export class FolderStore implements NotebookStore {
  readonly description: string;
  readonly #dir: string;
  readonly #cache: LRUCache<string, { record: SessionRecord; size: number }>;
  readonly #keys = new Map<string, { sealed: Buffer; expires: number }>();
  /** Sessions by recency, bounded by the policy: id -> bytes. */
  #index: LRUCache<string, number> | undefined;
  #policy: SessionPolicy | undefined;
  /** Deletions of evicted sessions in progress. */
  readonly #evicting = new Set<Promise<void>>();
  #evicted = 0;
  /** Whether the next eviction of the index is the one a new session past `maxSessions` makes (see `#indexSet`). */
  #evictingForCount = false;
  /** The stored files each session refers to, as its `.blobs` index on disk holds them (or more, while a write is going). */
  readonly #sessionBlobs = new Map<string, ReadonlySet<string>>();
  /** The stored files each snapshot refers to, as read or written this process. */
  readonly #snapshotBlobs = new Map<string, ReadonlySet<string>>();
  /** Whether this process removed the `.blobs` of sessions without a notebook (its first sweep). */
  #orphansRemoved = false;
  /** Per session (its id) or snapshot (`snapshot:` and its id), the last write queued on it (see `#serial`). */
  readonly #writes = new Map<string, Promise<unknown>>();
  #pinned: Set<string> | undefined;
  /** Runs holding a place: session id -> run id -> lease end (ms since the epoch). */
  readonly #runs = new Map<string, Map<string, number>>();
  #secret: Buffer | undefined;

  /**
   * @param dir the folder (created when missing, with `sessions/`, `snapshots/`, `blobs/`)
   * @throws the file-system error when the folder cannot be created
   */
  constructor(dir: string, options: FolderStoreOptions = {}) {
    this.#dir = dir;
    this.description = `folder ${dir}`;
    for (const sub of ["sessions", "snapshots", "blobs"]) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
    this.#cache = new LRUCache({ maxSize: options.cacheBytes ?? 64 * 1024 * 1024, sizeCalculation: (v) => Math.max(1, v.size) });
  }

  /**
   * Runs `fn` once every earlier call for `key` has finished (fulfilled or not): the writes of one session's (or
   * snapshot's) notebook and `.blobs` index never interleave in this process.
   */
  #serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.#writes.get(key) ?? Promise.resolve()).then(fn, fn);
    const done = run.catch(() => {});
    this.#writes.set(key, done);
    void done.then(() => {
      if (this.#writes.get(key) === done) this.#writes.delete(key);
    });
    return run;
  }

  async secret(): Promise<Buffer> {
    if (this.#secret) return this.#secret;
    const path = join(this.#dir, "secret");
    try {
      this.#secret = readFileSync(path);
    } catch {
      await writeFileAtomic(path, randomBytes(32), { mode: 0o600 });
      this.#secret = readFileSync(path);
    }
    return this.#secret;
  }

  #sessionPath(id: string): string {
    if (!ID.test(id)) throw new Error("bad session id");
    return join(this.#dir, "sessions", `${id}.json`);
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    if (this.#index && !this.#index.has(id)) return undefined;
    const cached = this.#cache.get(id);
    if (cached) return cached.record;
    try {
      const text = await readFile(this.#sessionPath(id), "utf8");
      const record = JSON.parse(text) as SessionRecord;
      this.#cache.set(id, { record, size: text.length });
      return record;
    } catch {
      return undefined;
    }
  }

  #blobIndexPath(id: string): string {
    return this.#sessionPath(id).replace(/\.json$/, ".blobs");
  }

  /** A session's `.blobs` index from disk; `undefined` when it has none. */
  async #readBlobIndex(id: string): Promise<Set<string> | undefined> {
    const text = await readFile(this.#blobIndexPath(id), "utf8").catch(() => undefined);
    return text === undefined ? undefined : new Set(text.split("\n").filter((l) => ID.test(l)));
  }

  /**
   * A session's `.blobs` index from disk when it is not older than its notebook; `undefined` when it has none or
   * the notebook was written or used since (by an older version, which leaves the index as it was, or touched).
   */
  async #readFreshBlobIndex(id: string): Promise<Set<string> | undefined> {
    return (await this.#blobIndexIsFresh(id)) ? this.#readBlobIndex(id) : undefined;
  }

  /** Whether a session's `.blobs` index exists and is not older than its notebook (modification times). */
  async #blobIndexIsFresh(id: string): Promise<boolean> {
    const [index, notebook] = await Promise.all([
      stat(this.#blobIndexPath(id)).catch(() => undefined),
      stat(this.#sessionPath(id)).catch(() => undefined),
    ]);
    return index !== undefined && notebook !== undefined && index.mtimeMs >= notebook.mtimeMs;
  }

  #writeBlobIndex(id: string, blobs: ReadonlySet<string>): Promise<void> {
    const text = [...blobs].map((b) => `${b}\n`).join("");
    return writeFileAtomic(this.#blobIndexPath(id), text, { mode: 0o600, fsync: false });
  }

  putSession(id: string, record: SessionRecord): Promise<void> {
    return this.#serial(id, () => this.#putSession(id, record));
  }

  async #putSession(id: string, record: SessionRecord): Promise<void> {
    const text = JSON.stringify(record);
    const blobs = storedBlobIds(record.config);
    const known = this.#sessionBlobs.get(id) ?? (await this.#readBlobIndex(id));
    const covered = known !== undefined && [...blobs].every((b) => known.has(b));
    // while the notebook is written, the sweep keeps the files of both the old and the new one
    this.#sessionBlobs.set(id, covered ? known : new Set([...(known ?? []), ...blobs]));
    // an index on disk never holds less than its notebook: one that would is removed before the notebook is written
    if (!covered && known !== undefined) await rm(this.#blobIndexPath(id), { force: true });
    // atomic (never half-written) but not fsynced: a session is a visitor's scratch copy, written often
    await writeFileAtomic(this.#sessionPath(id), text, { mode: 0o600, fsync: false });
    this.#cache.set(id, { record, size: text.length });
    if (!covered || known.size !== blobs.size) await this.#writeBlobIndex(id, blobs);
    this.#sessionBlobs.set(id, blobs);
    // past a bound, this evicts the least recently used sessions (see #indexFor)
    if (this.#index) this.#indexSet(this.#index, id, record.bytes ?? text.length);
  }

  /**
   * Sets a session in the index, noting for `dispose` whether the first
   * session it evicts goes for `maxSessions` (a new session when the index is
   * full); any further one goes for `maxBytes`.
   */
  #indexSet(index: LRUCache<string, number>, id: string, bytes: number, start?: number): void {
    this.#evictingForCount = index.info(id) === undefined && index.size >= index.max;
    try {
      index.set(id, bytes, start === undefined ? undefined : { start });
    } finally {
      this.#evictingForCount = false;
    }
  }

  async sessionBlobIds(): Promise<Set<string>> {
    const ids = await this.listSessions();
    const listed = new Set(ids);
    for (const id of this.#sessionBlobs.keys()) if (!listed.has(id)) this.#sessionBlobs.delete(id);
    if (!this.#orphansRemoved) {
      await this.#removeOrphanIndexes("sessions", ID, (id) => this.#serial(id, () => this.#removeOrphanSessionIndex(id)));
      this.#orphansRemoved = true;
    }
    const live = new Set<string>();
    for (const id of ids) {
      // no index, or one older than its notebook (maybe rewritten by an older version): read the notebook, and index it
      const blobs =
        this.#sessionBlobs.get(id) ?? (await this.#readFreshBlobIndex(id)) ?? (await this.#serial(id, () => this.#indexSession(id)));
      if (!blobs) continue;
      if (!this.#sessionBlobs.has(id)) this.#sessionBlobs.set(id, blobs);
      for (const b of blobs) live.add(b);
    }
    return live;
  }

  /** Reads a session's notebook and writes its `.blobs` index (after any write of it in progress); its files, or `undefined` when it is gone. */
  async #indexSession(id: string): Promise<ReadonlySet<string> | undefined> {
    const known = this.#sessionBlobs.get(id);
    if (known) return known; // stored meanwhile: its index is written
    const record = await this.getSession(id);
    if (!record) return undefined;
    const blobs = storedBlobIds(record.config);
    await this.#writeBlobIndex(id, blobs).catch(() => {});
    this.#sessionBlobs.set(id, blobs);
    return blobs;
  }

  /** Removes a session's `.blobs` when its notebook is gone and this process has not stored it (run through `#serial`). */
  async #removeOrphanSessionIndex(id: string): Promise<void> {
    if (this.#sessionBlobs.has(id) || (await exists(this.#sessionPath(id)))) return;
    await rm(this.#blobIndexPath(id), { force: true });
  }

  /**
   * Removes, in `sessions/` or `snapshots/`, each `<id>.blobs` without an `<id>.json` beside it (ids matching
   * `pattern`), through `remove`, which checks again after any write of that id in progress.
   */
  async #removeOrphanIndexes(folder: string, pattern: RegExp, remove: (id: string) => Promise<void>): Promise<void> {
    const names = await readdir(join(this.#dir, folder));
    const notebooks = new Set(names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)));
    for (const name of names) {
      const id = name.slice(0, -".blobs".length);
      if (name.endsWith(".blobs") && pattern.test(id) && !notebooks.has(id)) await remove(id);
    }
  }

  /** Marks a session used (its notebook's modification time), and keeps its `.blobs` index trusted if it was. */
  async touchSession(id: string): Promise<void> {
    this.#index?.get(id, { updateAgeOnGet: true });
    await this.#serial(id, () => this.#touch(id));
  }

  async #touch(id: string): Promise<void> {
    const fresh = await this.#blobIndexIsFresh(id);
    const now = new Date();
    await utimes(this.#sessionPath(id), now, now).catch(() => {});
    if (fresh) await utimes(this.#blobIndexPath(id), now, now).catch(() => {});
  }

  async deleteSession(id: string): Promise<void> {
    this.#index?.delete(id);
    await this.#remove(id);
  }

  #remove(id: string): Promise<void> {
    return this.#serial(id, () => this.#removeFiles(id));
  }

  async #removeFiles(id: string): Promise<void> {
    this.#cache.delete(id);
    this.#keys.delete(id);
    this.#runs.delete(id);
    this.#sessionBlobs.delete(id);
    // the index first: a notebook left without one is read by the next sweep
    await rm(this.#blobIndexPath(id), { force: true });
    await rm(this.#sessionPath(id), { force: true });
  }

  /** The session index for a policy: built from the folder (oldest first) when there is none or the policy changed. */
  async #indexFor(policy: SessionPolicy): Promise<LRUCache<string, number>> {
    const p = this.#policy;
    if (this.#index && p && p.ttlMs === policy.ttlMs && p.maxSessions === policy.maxSessions && p.maxBytes === policy.maxBytes)
      return this.#index;
    const index = new LRUCache<string, number>({
      max: policy.maxSessions,
      maxSize: policy.maxBytes,
      sizeCalculation: (bytes) => Math.max(1, bytes),
      ttl: policy.ttlMs,
      // wall-clock times, so a session's age can start at its file's modification time
      perf: { now: () => Date.now() },
      dispose: (_bytes, id, reason) => {
        if (reason !== "evict" && reason !== "expire") return;
        // the least recently used may also be past its time: then it went for that
        const left = reason === "evict" ? index.info(id)?.ttl : 0;
        const cause: SessionRemovalReason =
          left !== undefined && left <= 0 ? "expired" : this.#evictingForCount ? "max_sessions" : "max_memory";
        this.#evictingForCount = false;
        this.#evicted++;
        this.#policy?.onRemoved?.(cause);
        const removing = this.#remove(id).catch(() => {});
        this.#evicting.add(removing);
        void removing.then(() => this.#evicting.delete(removing));
      },
    });
    const folder = join(this.#dir, "sessions");
    const found: { id: string; used: number; size: number }[] = [];
    for (const name of await readdir(folder)) {
      const id = name.replace(/\.json$/, "");
      if (!ID.test(id) || !name.endsWith(".json")) continue;
      const s = await stat(join(folder, name)).catch(() => undefined);
      if (s) found.push({ id, used: s.mtimeMs, size: this.#cache.get(id)?.record.bytes ?? s.size });
    }
    found.sort((a, b) => a.used - b.used);
    this.#index?.clear();
    this.#index = index;
    this.#policy = { ...policy };
    for (const f of found) this.#indexSet(index, f.id, f.size, Math.min(f.used, Date.now()));
    return index;
  }

  async sweepSessions(policy: SessionPolicy): Promise<number> {
    const before = this.#evicted;
    const index = await this.#indexFor(policy);
    index.purgeStale();
    await Promise.all(this.#evicting);
    const now = Date.now();
    for (const [id, k] of this.#keys) if (k.expires < now) this.#keys.delete(id);
    return this.#evicted - before;
  }

  async countSessions(): Promise<number> {
    if (this.#index) return this.#index.size;
    return (await readdir(join(this.#dir, "sessions"))).filter((n) => n.endsWith(".json")).length;
  }

  async sessionBytes(): Promise<number> {
    if (this.#index) return this.#index.calculatedSize;
    let total = 0;
    for (const id of await this.listSessions()) {
      const s = await stat(this.#sessionPath(id)).catch(() => undefined);
      total += this.#cache.get(id)?.record.bytes ?? s?.size ?? 0;
    }
    return total;
  }

  async listSessions(): Promise<string[]> {
    if (this.#index) return [...this.#index.keys()];
    return (await readdir(join(this.#dir, "sessions"))).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
  }

  async getSessionKeys(id: string): Promise<Buffer | undefined> {
    const k = this.#keys.get(id);
    if (!k || k.expires < Date.now()) return undefined;
    return k.sealed;
  }

  async putSessionKeys(id: string, sealed: Buffer | undefined, ttlMs: number): Promise<void> {
    if (sealed === undefined) this.#keys.delete(id);
    else this.#keys.set(id, { sealed, expires: Date.now() + ttlMs });
  }

  #snapshotPath(id: string): string {
    if (!SNAPSHOT_ID.test(id)) throw new Error("bad snapshot id");
    return join(this.#dir, "snapshots", `${id}.json`);
  }

  async getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    if (!SNAPSHOT_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.#snapshotPath(id), "utf8")) as SnapshotRecord;
    } catch {
      return undefined;
    }
  }

  #snapshotIndexPath(id: string): string {
    return this.#snapshotPath(id).replace(/\.json$/, ".blobs");
  }

  /** Writes a snapshot's `.blobs` index (its files, one a line). */
  #writeSnapshotIndex(id: string, blobs: ReadonlySet<string>): Promise<void> {
    return writeFileAtomic(this.#snapshotIndexPath(id), [...blobs].map((b) => `${b}\n`).join(""), { mode: 0o600 });
  }

  async putSnapshot(id: string, record: SnapshotRecord): Promise<void> {
    const path = this.#snapshotPath(id);
    await this.#serial(`snapshot:${id}`, async () => {
      const blobs = storedBlobIds(record.config);
      // the notebook first: one left without an index (a crash) is read by the next sweep
      await writeFileAtomic(path, JSON.stringify(record), { mode: 0o600 });
      await this.#writeSnapshotIndex(id, blobs);
      this.#snapshotBlobs.set(id, blobs);
    });
  }

  async deleteSnapshot(id: string): Promise<boolean> {
    if (!SNAPSHOT_ID.test(id)) return false;
    const path = this.#snapshotPath(id);
    return this.#serial(`snapshot:${id}`, async () => {
      const existed = await exists(path);
      this.#snapshotBlobs.delete(id);
      await rm(this.#snapshotIndexPath(id), { force: true });
      await rm(path, { force: true });
      return existed;
    });
  }

  async snapshotBlobIds(): Promise<Set<string>> {
    const ids = await this.listSnapshots();
    const listed = new Set(ids);
    // the owner may delete snapshots/<id>.json by hand
    for (const id of this.#snapshotBlobs.keys()) if (!listed.has(id)) this.#snapshotBlobs.delete(id);
    await this.#removeOrphanIndexes("snapshots", SNAPSHOT_ID, (id) =>
      this.#serial(`snapshot:${id}`, async () => {
        if (!(await exists(this.#snapshotPath(id)))) await rm(this.#snapshotIndexPath(id), { force: true });
      }),
    );
    const live = new Set<string>();
    for (const id of ids) {
      if (!SNAPSHOT_ID.test(id)) continue;
      let blobs = this.#snapshotBlobs.get(id);
      if (!blobs) {
        const text = await readFile(this.#snapshotIndexPath(id), "utf8").catch(() => undefined);
        if (text !== undefined) blobs = new Set(text.split("\n").filter((l) => ID.test(l)));
      }
      // stored by an older version (no index): read it this once, and index it (if it is still there)
      blobs ??= await this.#serial(`snapshot:${id}`, async () => {
        const record = await this.getSnapshot(id);
        if (!record) return undefined;
        const found = storedBlobIds(record.config);
        await this.#writeSnapshotIndex(id, found).catch(() => {});
        return found;
      });
      if (!blobs) continue;
      this.#snapshotBlobs.set(id, blobs);
      for (const b of blobs) live.add(b);
    }
    return live;
  }

  async listSnapshots(): Promise<string[]> {
    return (await readdir(join(this.#dir, "snapshots"))).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
  }

  async getBlob(sha256: string): Promise<Buffer | undefined> {
    if (!ID.test(sha256)) return undefined;
    return readFile(join(this.#dir, "blobs", sha256)).catch(() => undefined);
  }

  async blobSize(sha256: string): Promise<number | undefined> {
    if (!ID.test(sha256)) return undefined;
    return (await stat(join(this.#dir, "blobs", sha256)).catch(() => undefined))?.size;
  }

  async #pins(): Promise<Set<string>> {
    if (!this.#pinned) {
      const text = await readFile(join(this.#dir, "blobs", "pinned"), "utf8").catch(() => "");
      this.#pinned = new Set(text.split("\n").filter((l) => ID.test(l)));
    }
    return this.#pinned;
  }

  async putBlob(sha256: string, bytes: Buffer, pinned = false): Promise<void> {
    if (!ID.test(sha256)) throw new Error("bad blob id");
    const path = join(this.#dir, "blobs", sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) await writeFileAtomic(path, bytes, { mode: 0o600 });
    else {
      const now = new Date();
      await utimes(path, now, now).catch(() => {});
    }
    const pins = await this.#pins();
    if (pinned && !pins.has(sha256)) {
      pins.add(sha256);
      await writeFileAtomic(join(this.#dir, "blobs", "pinned"), `${[...pins].join("\n")}\n`, { mode: 0o600 });
    }
  }

  async listBlobs(before: number): Promise<string[]> {
    const pins = await this.#pins();
    const out: string[] = [];
    for (const name of await readdir(join(this.#dir, "blobs"))) {
      if (!ID.test(name) || pins.has(name)) continue;
      const s = await stat(join(this.#dir, "blobs", name)).catch(() => undefined);
      if (s && s.mtimeMs < before) out.push(name);
    }
    return out;
  }

  async deleteBlob(sha256: string, before: number): Promise<boolean> {
    if (!ID.test(sha256) || (await this.#pins()).has(sha256)) return false;
    const path = join(this.#dir, "blobs", sha256);
    const s = await stat(path).catch(() => undefined);
    if (!s || s.mtimeMs >= before) return false;
    await rm(path, { force: true });
    return true;
  }

  async beginRun(sessionId: string, runId: string, max: number, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const runs = this.#runs.get(sessionId) ?? new Map<string, number>();
    for (const [id, until] of runs) if (until <= now) runs.delete(id);
    if (runs.size >= max) return false;
    runs.set(runId, now + leaseMs);
    this.#runs.set(sessionId, runs);
    return true;
  }

  async renewRun(sessionId: string, runId: string, leaseMs: number): Promise<void> {
    const runs = this.#runs.get(sessionId);
    if (runs?.has(runId)) runs.set(runId, Date.now() + leaseMs);
  }

  async endRun(sessionId: string, runId: string): Promise<void> {
    const runs = this.#runs.get(sessionId);
    runs?.delete(runId);
    if (runs?.size === 0) this.#runs.delete(sessionId);
  }

  async runningRuns(sessionId: string): Promise<number> {
    const now = Date.now();
    let n = 0;
    for (const until of this.#runs.get(sessionId)?.values() ?? []) if (until > now) n++;
    return n;
  }

  rateLimiter(points: number, durationSec: number): RateLimiterAbstract {
    return new RateLimiterMemory({ points, duration: durationSec });
  }

  async close(): Promise<void> {
    await Promise.all(this.#evicting);
    this.#cache.clear();
    this.#keys.clear();
  }
}
