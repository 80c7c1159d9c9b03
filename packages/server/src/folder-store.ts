/**
 * The default store: a folder (`.aiconfig-serve/` beside the served file, or
 * `--store DIR`). Sessions are `sessions/<id>.json` (the file's modification
 * time is the session's last use), snapshots `snapshots/<id>.json`
 * (content-addressed), attachments `blobs/<sha256>`; every write is atomic
 * (`write-file-atomic`). Visitors' keys are never written: the folder store
 * keeps their sealed form in memory, so they last as long as the process.
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
import type { NotebookStore, SessionRecord, SnapshotRecord } from "./notebook-store.js";

const ID = /^[0-9a-f]{64}$/;
const SNAPSHOT_ID = /^[A-Za-z0-9_-]{16,64}$/;

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

  async putSession(id: string, record: SessionRecord): Promise<void> {
    const text = JSON.stringify(record);
    // atomic (never half-written) but not fsynced: a session is a visitor's scratch copy, written often
    await writeFileAtomic(this.#sessionPath(id), text, { mode: 0o600, fsync: false });
    this.#cache.set(id, { record, size: text.length });
  }

  async touchSession(id: string): Promise<void> {
    const now = new Date();
    await utimes(this.#sessionPath(id), now, now).catch(() => {});
  }

  async deleteSession(id: string): Promise<void> {
    this.#cache.delete(id);
    this.#keys.delete(id);
    await rm(this.#sessionPath(id), { force: true });
  }

  async sweepSessions(ttlMs: number, maxSessions: number): Promise<number> {
    const folder = join(this.#dir, "sessions");
    const now = Date.now();
    const live: { id: string; used: number }[] = [];
    let gone = 0;
    for (const name of await readdir(folder)) {
      const id = name.replace(/\.json$/, "");
      if (!ID.test(id)) continue;
      const used = await stat(join(folder, name)).then(
        (s) => s.mtimeMs,
        () => undefined,
      );
      if (used === undefined) continue;
      if (now - used > ttlMs) {
        await this.deleteSession(id);
        gone++;
      } else live.push({ id, used });
    }
    if (live.length > maxSessions) {
      live.sort((a, b) => a.used - b.used);
      for (const { id } of live.slice(0, live.length - maxSessions)) {
        await this.deleteSession(id);
        gone++;
      }
    }
    for (const [id, k] of this.#keys) if (k.expires < now) this.#keys.delete(id);
    return gone;
  }

  async countSessions(): Promise<number> {
    return (await readdir(join(this.#dir, "sessions"))).filter((n) => n.endsWith(".json")).length;
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

  async putSnapshot(id: string, record: SnapshotRecord): Promise<void> {
    await writeFileAtomic(this.#snapshotPath(id), JSON.stringify(record), { mode: 0o600 });
  }

  async deleteSnapshot(id: string): Promise<boolean> {
    if (!SNAPSHOT_ID.test(id)) return false;
    const path = this.#snapshotPath(id);
    const existed = await stat(path).then(
      () => true,
      () => false,
    );
    await rm(path, { force: true });
    return existed;
  }

  async listSnapshots(): Promise<string[]> {
    return (await readdir(join(this.#dir, "snapshots"))).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
  }

  async getBlob(sha256: string): Promise<Buffer | undefined> {
    if (!ID.test(sha256)) return undefined;
    return readFile(join(this.#dir, "blobs", sha256)).catch(() => undefined);
  }

  async putBlob(sha256: string, bytes: Buffer): Promise<void> {
    if (!ID.test(sha256)) throw new Error("bad blob id");
    const path = join(this.#dir, "blobs", sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) await writeFileAtomic(path, bytes, { mode: 0o600 });
  }

  rateLimiter(points: number, durationSec: number): RateLimiterAbstract {
    return new RateLimiterMemory({ points, duration: durationSec });
  }

  async close(): Promise<void> {
    this.#cache.clear();
    this.#keys.clear();
  }
}
