/**
 * Where the hosted notebook keeps what outlives one request: visitor sessions,
 * shared snapshots, uploaded attachments, and (with Redis) the events of runs
 * so that any process can follow a run. Two implementations: a folder
 * ({@link FolderStore}, the default) and Redis ({@link RedisStore}, for several
 * processes behind a load balancer).
 *
 * A session is stored under the SHA-256 of its cookie value, so the store
 * never holds what a browser sends. Keys a visitor enters are stored only
 * encrypted with a key derived from that cookie value (see `session-keys.ts`),
 * and the folder store keeps even those in memory only.
 *
 * @packageDocumentation
 */
import type { AIConfig } from "@aiconfig-ts/core";
import type { RateLimiterAbstract } from "rate-limiter-flexible";

/** A visitor's session as stored. */
export interface SessionRecord {
  /** The visitor's notebook; absent while it is still the owner's original (copy on first edit). */
  config?: AIConfig;
  /** When the session was created (ms since the epoch). */
  createdAt: number;
  /** When the session was last used (ms since the epoch). */
  lastSeen: number;
  /**
   * What the session holds, in bytes: its notebook's JSON (outputs included)
   * plus the stored files it refers to that are not the owner's. Counted
   * against the per-session limit and the store's `maxBytes`; absent counts
   * the stored JSON's length.
   */
  bytes?: number;
}

/**
 * Why a store removed a session: `expired` (unused for longer than `ttlMs`,
 * `--session-ttl`), `max_sessions` (least recently used past `maxSessions`,
 * `--max-sessions`), `max_memory` (least recently used past `maxBytes`,
 * `--max-memory`).
 */
export type SessionRemovalReason = "expired" | "max_sessions" | "max_memory";

/** How many sessions a store keeps: {@link NotebookStore.sweepSessions} and the folder store's eviction apply it. */
export interface SessionPolicy {
  /** Inactivity expiry, in ms. */
  ttlMs: number;
  /** Sessions kept at most; past it the least recently used go first. */
  maxSessions: number;
  /** Bytes all sessions hold at most (their `bytes`); past it the least recently used go first. */
  maxBytes: number;
  /**
   * Called once for each session the policy removes, with the rule that
   * removed it (not for {@link NotebookStore.deleteSession}); for metrics.
   * Must not throw. The folder store keeps the first policy's listener.
   */
  onRemoved?: (reason: SessionRemovalReason) => void;
}

/** A shared, read-only snapshot as stored. */
export interface SnapshotRecord {
  /** The notebook with its outputs (never keys). */
  config: AIConfig;
  /** When it was shared (ms since the epoch). */
  createdAt: number;
  /** The file name shown on the page. */
  fileName: string;
}

/** What the server keeps in a store; every method may reject with the store's I/O error. */
export interface NotebookStore {
  /** `folder DIR` or `redis://HOST:PORT`, for messages. */
  readonly description: string;
  /** A secret shared by every process on this store (32 random bytes, created once): keys snapshot ids. */
  secret(): Promise<Buffer>;

  /** The session stored under `id` (a SHA-256 hex), or `undefined`. Does not touch it. */
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** Stores a session; `ttlMs` is its inactivity expiry. */
  putSession(id: string, record: SessionRecord, ttlMs: number): Promise<void>;
  /** Marks a session used now (its expiry restarts). */
  touchSession(id: string, ttlMs: number): Promise<void>;
  /** Deletes a session and its keys. */
  deleteSession(id: string): Promise<void>;
  /**
   * Deletes expired sessions and, past `maxSessions` or `maxBytes`, the least
   * recently used ones (oldest first), with their keys. Returns how many went.
   */
  sweepSessions(policy: SessionPolicy): Promise<number>;
  /** How many sessions are stored. */
  countSessions(): Promise<number>;
  /** The bytes all stored sessions hold (the sum of their `bytes`). */
  sessionBytes(): Promise<number>;
  /** The ids of the stored sessions (for the blob sweep). */
  listSessions(): Promise<string[]>;
  /**
   * The SHA-256 ids of the stored files the stored sessions refer to (the
   * blob sweep's mark phase), read from the index of file ids each session
   * gets when it is stored, so the notebooks are not read. An index is
   * trusted only while nothing wrote or used its session since it was
   * written (Redis: its stamp equals the session's score in `sessions`;
   * folder: it is not older than the notebook), because an older version
   * rewrites a session without its index; a session without a trusted index
   * is read, and indexed again. May hold ids of a session removed meanwhile
   * (never fewer than the sessions refer to). Also removes index entries whose
   * session is gone (left by an older version's delete, or a crash), never one
   * a put writes meanwhile. Optional: without it the sweep reads every session.
   */
  sessionBlobIds?(): Promise<Set<string>>;
  /**
   * The SHA-256 ids of the stored files the stored snapshots refer to, read
   * from the index of file ids each snapshot gets when it is stored (a
   * snapshot is content-addressed, so its index never goes stale); a snapshot
   * without one (stored by an older version) is read, and indexed. Also
   * removes index entries whose snapshot is gone. Optional: without it the
   * sweep reads every snapshot.
   */
  snapshotBlobIds?(): Promise<Set<string>>;

  /** The encrypted keys of a session, or `undefined`. */
  getSessionKeys(id: string): Promise<Buffer | undefined>;
  /** Stores the encrypted keys of a session (`undefined` deletes them). Never written to a file. */
  putSessionKeys(id: string, sealed: Buffer | undefined, ttlMs: number): Promise<void>;

  /** A snapshot, or `undefined`. */
  getSnapshot(id: string): Promise<SnapshotRecord | undefined>;
  /** Stores a snapshot under its id (content-addressed: the same id is the same content). */
  putSnapshot(id: string, record: SnapshotRecord): Promise<void>;
  /** Deletes a snapshot. Returns whether it existed. */
  deleteSnapshot(id: string): Promise<boolean>;
  /** The ids of the stored snapshots. */
  listSnapshots(): Promise<string[]>;

  /** The bytes of an attachment by the SHA-256 hex of its bytes, or `undefined`. */
  getBlob(sha256: string): Promise<Buffer | undefined>;
  /** The size of a stored attachment in bytes, or `undefined` when it is not stored. */
  blobSize(sha256: string): Promise<number | undefined>;
  /**
   * Stores an attachment's bytes under their SHA-256 hex (again: marks it
   * stored now, so a sweep that started earlier keeps it).
   * @param pinned kept by every sweep (the owner's files)
   */
  putBlob(sha256: string, bytes: Buffer, pinned?: boolean): Promise<void>;
  /** The ids of unpinned attachments last stored before `before` (ms since the epoch): the blob sweep's candidates. */
  listBlobs(before: number): Promise<string[]>;
  /** Deletes an attachment unless it is pinned or was stored again at or after `before`. Returns whether it went. */
  deleteBlob(sha256: string, before: number): Promise<boolean>;

  /**
   * Counts a run of a session against its limit of runs at once, across every
   * process on the store: `true` when it may start (it then holds a place
   * until {@link NotebookStore.endRun}, or until `leaseMs` pass without
   * {@link NotebookStore.renewRun}, so a process that dies frees its places).
   */
  beginRun(sessionId: string, runId: string, max: number, leaseMs: number): Promise<boolean>;
  /** Keeps a run's place for another `leaseMs`. */
  renewRun(sessionId: string, runId: string, leaseMs: number): Promise<void>;
  /** Frees a run's place. */
  endRun(sessionId: string, runId: string): Promise<void>;
  /** Runs of a session holding a place now. */
  runningRuns(sessionId: string): Promise<number>;

  /**
   * Appends an event of a run to the run's shared log, when the store shares
   * runs between processes (Redis); a no-op for a folder.
   */
  appendRunEvent?(runId: string, json: string, done: boolean): Promise<void>;
  /** The events of a run from index `from` on, and whether the run ended; `undefined` when the store has no such run. */
  readRunEvents?(runId: string, from: number): Promise<{ events: string[]; done: boolean } | undefined>;
  /** Asks the process running a run to cancel it (through the store). */
  requestCancel?(runId: string): Promise<void>;
  /** Whether a cancel was asked for a run. */
  cancelRequested?(runId: string): Promise<boolean>;

  /**
   * A limiter of `points` requests per `durationSec` seconds per key
   * (`rate-limiter-flexible`; shared between processes on Redis).
   */
  rateLimiter(points: number, durationSec: number): RateLimiterAbstract;

  /** Closes connections and timers. */
  close(): Promise<void>;
}
