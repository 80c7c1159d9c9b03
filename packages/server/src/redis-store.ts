/**
 * A store in Redis (`--store redis://HOST:PORT[/DB]`), so that several server
 * processes behind a load balancer serve the same visitors: sessions (with
 * their inactivity expiry as a Redis TTL, a sorted set of last use, a hash
 * of their sizes with a running total, for the caps on sessions and bytes,
 * and a hash of the stored files each refers to, stamped with the score of
 * the put that wrote it, for the blob sweep),
 * snapshots (with a hash of the stored files each refers to, for the blob sweep),
 * attachments (with a sorted set of when each was last stored and
 * a set of pinned ones, for the blob sweep), visitors' sealed keys (with the
 * session's TTL), the runs of each session holding a place (a sorted set of
 * leases, so the limit of runs at once holds across processes), and the event
 * log of each run (a list, so a process other than the one running it can
 * follow a run). Client: `ioredis`, loaded lazily; the updates that must be
 * atomic across processes are Lua scripts (`defineCommand`).
 *
 * Keys are under a prefix (default `aiconfig:`).
 *
 * @packageDocumentation
 */
import { createHash, randomBytes } from "node:crypto";
import type { ChainableCommander, Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterRedis } from "rate-limiter-flexible";
import type { NotebookStore, SessionPolicy, SessionRecord, SessionRemovalReason, SnapshotRecord } from "./notebook-store.js";
import { storedBlobIds } from "./stored-attachments.js";

/** How long a run's event log is kept after its last event, in seconds. */
const RUN_LOG_TTL_S = 600;

/** Lua scripts: each runs atomically in Redis, so processes sharing the store never count a session twice or lose a place. */
const SCRIPTS = {
  /**
   * KEYS session, sessions, sizes, total, session-blobs; ARGV json, ttlMs, now (the stamp), id, bytes, blob ids (space-separated).
   * The session's index entry is `STAMP|IDS`, STAMP the score it gets in `sessions` (see {@link stampNow}).
   */
  aiconfigPutSession: {
    numberOfKeys: 5,
    lua: `local old = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '0')
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('HSET', KEYS[5], ARGV[4], ARGV[3] .. '|' .. ARGV[6])
redis.call('INCRBY', KEYS[4], tonumber(ARGV[5]) - old)
return 1`,
  },
  /**
   * Marks a session used: restarts its expiry and sets its score in `sessions` (if it is there). An entry in
   * `session-blobs` trusted before (its stamp equals the score, which is not a whole number) is stamped with the new
   * score, as the notebook did not change; one that was not stays untrusted (the score goes to whole ms, which no
   * trusted stamp is).
   * KEYS session, keys, sessions, session-blobs; ARGV id, ttlMs, stamp, now (whole ms)
   */
  aiconfigTouchSession: {
    numberOfKeys: 4,
    lua: `redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local at = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not at then return 0 end
local entry = redis.call('HGET', KEYS[4], ARGV[1])
local bar = entry and string.find(entry, '|', 1, true)
if bar and tonumber(at) % 1 ~= 0 and tonumber(string.sub(entry, 1, bar - 1)) == tonumber(at) then
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[3] .. string.sub(entry, bar))
else
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
end
return 1`,
  },
  /** KEYS session, keys, runs, sessions, sizes, total, session-blobs; ARGV id */
  aiconfigDeleteSession: {
    numberOfKeys: 7,
    lua: `local old = redis.call('HGET', KEYS[5], ARGV[1])
if old then
  redis.call('HDEL', KEYS[5], ARGV[1])
  redis.call('DECRBY', KEYS[6], old)
end
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return redis.call('ZREM', KEYS[4], ARGV[1])`,
  },
  /**
   * Indexes a session whose entry was stale (or missing) with the notebook the sweep read: only if the notebook is
   * still the one read (its SHA-1) and its score still the one read (else it was stored or used since, maybe by an
   * older process, and the next sweep reads it again). The session's score and the entry's stamp become STAMP,
   * the score read when it is not a whole number (only this version writes those), else that plus half a
   * millisecond, so a later write by an older version (whole ms), even within the same millisecond, leaves the
   * entry untrusted. KEYS session, sessions, session-blobs; ARGV id, score read, STAMP, SHA-1 of the notebook, blob ids
   */
  aiconfigIndexSessionBlobs: {
    numberOfKeys: 3,
    lua: `local text = redis.call('GET', KEYS[1])
if not text or redis.sha1hex(text) ~= ARGV[4] then return 0 end
local at = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not at or tonumber(at) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '|' .. ARGV[5])
return 1`,
  },
  /**
   * Indexes a snapshot stored without an entry (by an older version) with the snapshot the sweep read, if it is
   * still listed. Snapshots are content-addressed (the same id is the same notebook), so an entry never goes
   * stale. KEYS snapshots, snapshot-blobs; ARGV id, blob ids
   */
  aiconfigIndexSnapshotBlobs: {
    numberOfKeys: 2,
    lua: `if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1`,
  },
  /**
   * Removes index entries whose session or snapshot is gone: each id in ARGV (after the first) whose owner is not
   * in KEYS[2] now (ARGV[1] `zset`: the `sessions` sorted set; `set`: the `snapshots` set) loses its entry in the
   * hash KEYS[1]. Checked here, atomically, because a put adds the owner and its entry in one step: an entry a put
   * wrote after the sweep read the index stays. Returns how many went.
   */
  aiconfigRemoveOrphanEntries: {
    numberOfKeys: 2,
    lua: `local gone = 0
for i = 2, #ARGV do
  local present
  if ARGV[1] == 'zset' then present = redis.call('ZSCORE', KEYS[2], ARGV[i]) else present = redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 1 end
  if not present then gone = gone + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return gone`,
  },
  /** KEYS blob, blobs, pinned; ARGV sha, before */
  aiconfigDeleteBlob: {
    numberOfKeys: 3,
    lua: `if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then return 0 end
local at = redis.call('ZSCORE', KEYS[2], ARGV[1])
if at and tonumber(at) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])`,
  },
  /** KEYS runs; ARGV now, max, runId, leaseEnd, leaseMs */
  aiconfigBeginRun: {
    numberOfKeys: 1,
    lua: `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`,
  },
} as const;

/**
 * The score this version's put (and touch of a session whose entry is trusted) gives a session in `sessions`
 * (its last use, ms since the epoch), and the stamp of its entry in `session-blobs`: now plus half a
 * millisecond. Older versions write whole milliseconds, so a later write by one never leaves the score equal to
 * the stamp, even within the same millisecond.
 */
function stampNow(): number {
  return Date.now() + 0.5;
}

/**
 * Whether a session's entry in `session-blobs` can be trusted against its score in `sessions`: its stamp equals
 * the score and is not a whole number. Only this version writes such scores, each time with an entry that
 * matches the notebook ({@link stampNow}, and the sweep's re-index, which moves a whole score by half a
 * millisecond); an older version writes whole milliseconds (so does an earlier re-index of this one, which an
 * older version's write within the same millisecond could leave matching a changed notebook).
 */
function isTrusted(stamp: number, score: number): boolean {
  return stamp === score && !Number.isInteger(stamp);
}

/**
 * A session's entry in `session-blobs`: `STAMP|IDS` (IDS space-separated). `undefined` for an entry without a
 * stamp (written by an earlier version), which the sweep never trusts.
 */
function parseBlobEntry(entry: string): { stamp: number; blobs: string[] } | undefined {
  const bar = entry.indexOf("|");
  if (bar < 0) return undefined;
  const stamp = Number(entry.slice(0, bar));
  return Number.isFinite(stamp)
    ? {
        stamp,
        blobs: entry
          .slice(bar + 1)
          .split(" ")
          .filter(Boolean),
      }
    : undefined;
}

/** How many ids one `aiconfigRemoveOrphanEntries` call checks. */
const ORPHAN_BATCH = 500;

type Scripts = {
  [K in keyof typeof SCRIPTS]: (...args: (string | number)[]) => Promise<number>;
};

/** A store in Redis, shared by several processes. */
export class RedisStore implements NotebookStore {
  readonly description: string;
  readonly #redis: Redis;
  readonly #scripts: Scripts;
  readonly #prefix: string;
  #secret: Buffer | undefined;
  /** Whether this process has given every stored file a "stored at" entry (`#adoptUntrackedBlobs`). */
  #blobsAdopted = false;

  private constructor(redis: Redis, url: string, prefix: string) {
    this.#redis = redis;
    for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, script);
    this.#scripts = redis as unknown as Scripts;
    this.#prefix = prefix;
    this.description = `redis ${url.replace(/\/\/[^@/]*@/, "//")}`;
  }

  /**
   * Connects to Redis.
   * @param url `redis://[:PASSWORD@]HOST:PORT[/DB]`
   * @throws an Error naming the address when Redis does not answer within 5 s
   */
  static async connect(url: string, prefix = "aiconfig:"): Promise<RedisStore> {
    const { Redis } = await import("ioredis");
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000, enableOfflineQueue: true });
    try {
      await redis.connect();
      await redis.ping();
    } catch (e) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@/]*@/, "//")}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new RedisStore(redis, url, prefix);
  }

  #k(...parts: string[]): string {
    return this.#prefix + parts.join(":");
  }

  async secret(): Promise<Buffer> {
    if (this.#secret) return this.#secret;
    await this.#redis.set(this.#k("secret"), randomBytes(32).toString("base64"), "NX");
    const value = await this.#redis.get(this.#k("secret"));
    this.#secret = Buffer.from(value ?? "", "base64");
    return this.#secret;
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const text = await this.#redis.get(this.#k("session", id));
    return text ? (JSON.parse(text) as SessionRecord) : undefined;
  }

  async putSession(id: string, record: SessionRecord, ttlMs: number): Promise<void> {
    const json = JSON.stringify(record);
    await this.#scripts.aiconfigPutSession(
      this.#k("session", id),
      this.#k("sessions"),
      this.#k("session-bytes"),
      this.#k("session-bytes-total"),
      this.#k("session-blobs"),
      json,
      ttlMs,
      stampNow(),
      id,
      record.bytes ?? json.length,
      [...storedBlobIds(record.config)].join(" "),
    );
  }

  async touchSession(id: string, ttlMs: number): Promise<void> {
    const stamp = stampNow();
    await this.#scripts.aiconfigTouchSession(
      this.#k("session", id),
      this.#k("keys", id),
      this.#k("sessions"),
      this.#k("session-blobs"),
      id,
      ttlMs,
      stamp,
      Math.floor(stamp),
    );
  }

  async deleteSession(id: string): Promise<void> {
    await this.#delete(id);
  }

  /** Deletes a session; whether it was there. */
  async #delete(id: string): Promise<boolean> {
    const removed = await this.#scripts.aiconfigDeleteSession(
      this.#k("session", id),
      this.#k("keys", id),
      this.#k("runs", id),
      this.#k("sessions"),
      this.#k("session-bytes"),
      this.#k("session-bytes-total"),
      this.#k("session-blobs"),
      id,
    );
    return removed === 1;
  }

  async sweepSessions(policy: SessionPolicy): Promise<number> {
    let gone = 0;
    /** Deletes a session for a rule; only the process that deleted it counts it. */
    const remove = async (id: string, reason: SessionRemovalReason) => {
      if (!(await this.#delete(id))) return;
      gone++;
      policy.onRemoved?.(reason);
    };
    for (const id of await this.#redis.zrangebyscore(this.#k("sessions"), 0, Date.now() - policy.ttlMs)) await remove(id, "expired");
    const count = await this.#redis.zcard(this.#k("sessions"));
    if (count > policy.maxSessions)
      for (const id of await this.#redis.zrange(this.#k("sessions"), 0, count - policy.maxSessions - 1)) await remove(id, "max_sessions");
    // past the byte cap: the least recently used go, one at a time, until under it (other processes may be doing the same)
    while ((await this.sessionBytes()) > policy.maxBytes) {
      const [oldest] = await this.#redis.zrange(this.#k("sessions"), 0, 0);
      if (oldest === undefined) break;
      await remove(oldest, "max_memory");
    }
    return gone;
  }

  async countSessions(): Promise<number> {
    return this.#redis.zcard(this.#k("sessions"));
  }

  async sessionBytes(): Promise<number> {
    return Number((await this.#redis.get(this.#k("session-bytes-total"))) ?? 0);
  }

  async listSessions(): Promise<string[]> {
    return this.#redis.zrange(this.#k("sessions"), 0, -1);
  }

  /**
   * Trusts a session's entry only when its stamp equals the session's score in `sessions` now and is not a whole
   * number (see {@link isTrusted}: no write since the put that wrote it, or only this version's touches); any
   * other session (used or stored since, possibly by an older process that leaves the entry as it was, or with an
   * entry without a stamp) has its notebook read, and is indexed again (only if its notebook and score are still
   * the ones read). Idle sessions, the many, are not read. Entries whose session is gone (left by an older
   * version's delete) are removed, unless a put wrote the session meanwhile.
   */
  async sessionBlobIds(): Promise<Set<string>> {
    // one snapshot of both: a put writes the score and the entry in one script
    const [ranked, index] = await this.#readTogether<string[], Record<string, string>>((m) =>
      m.zrange(this.#k("sessions"), 0, -1, "WITHSCORES").hgetall(this.#k("session-blobs")),
    );
    const live = new Set<string>();
    const listed = new Set<string>();
    for (let i = 0; i + 1 < ranked.length; i += 2) {
      const id = ranked[i] as string;
      const score = ranked[i + 1] as string;
      listed.add(id);
      const value = index[id];
      const entry = value !== undefined && Object.hasOwn(index, id) ? parseBlobEntry(value) : undefined;
      if (entry && isTrusted(entry.stamp, Number(score))) {
        for (const b of entry.blobs) live.add(b);
        continue;
      }
      // used or stored since its entry was written (or never indexed): read its notebook this once, and index it
      const bytes = await this.#redis.getBuffer(this.#k("session", id));
      if (!bytes) continue;
      const blobs = [...storedBlobIds((JSON.parse(bytes.toString("utf8")) as SessionRecord).config)];
      for (const b of blobs) live.add(b);
      const read = Number(score);
      await this.#scripts.aiconfigIndexSessionBlobs(
        this.#k("session", id),
        this.#k("sessions"),
        this.#k("session-blobs"),
        id,
        score,
        String(Number.isInteger(read) ? read + 0.5 : read),
        createHash("sha1").update(bytes).digest("hex"),
        blobs.join(" "),
      );
    }
    await this.#removeOrphanEntries(
      "session-blobs",
      "sessions",
      "zset",
      Object.keys(index).filter((id) => !listed.has(id)),
    );
    return live;
  }

  /**
   * The stored files the stored snapshots refer to, from the hash `snapshot-blobs` (written with each snapshot;
   * a snapshot is content-addressed, so its entry never goes stale); a snapshot without an entry (stored by an
   * older version) is read once and indexed. Entries whose snapshot is gone (deleted by an older version) are
   * removed, unless a put stored the snapshot meanwhile.
   */
  async snapshotBlobIds(): Promise<Set<string>> {
    const [ids, index] = await this.#readTogether<string[], Record<string, string>>((m) =>
      m.smembers(this.#k("snapshots")).hgetall(this.#k("snapshot-blobs")),
    );
    const live = new Set<string>();
    const listed = new Set(ids);
    for (const id of ids) {
      const value = Object.hasOwn(index, id) ? index[id] : undefined;
      if (value !== undefined) {
        for (const b of value.split(" ")) if (b) live.add(b);
        continue;
      }
      const text = await this.#redis.get(this.#k("snapshot", id));
      if (!text) continue;
      const blobs = [...storedBlobIds((JSON.parse(text) as SnapshotRecord).config)];
      for (const b of blobs) live.add(b);
      await this.#scripts.aiconfigIndexSnapshotBlobs(this.#k("snapshots"), this.#k("snapshot-blobs"), id, blobs.join(" "));
    }
    await this.#removeOrphanEntries(
      "snapshot-blobs",
      "snapshots",
      "set",
      Object.keys(index).filter((id) => !listed.has(id)),
    );
    return live;
  }

  /** The replies of two reads run in one transaction (one consistent view of both). */
  async #readTogether<A, B>(build: (m: ChainableCommander) => ChainableCommander): Promise<[A, B]> {
    const replies = await build(this.#redis.multi()).exec();
    if (!replies) throw new Error("Redis discarded the transaction");
    const [[firstError, first] = [null, undefined], [secondError, second] = [null, undefined]] = replies;
    if (firstError || secondError) throw firstError ?? secondError;
    return [first as A, second as B];
  }

  /**
   * Removes the entries of the hash `index` for `ids` (read from it with the list of owners) whose owner is not
   * in `owners` any more: see the script `aiconfigRemoveOrphanEntries`, which checks each again atomically.
   */
  async #removeOrphanEntries(index: string, owners: string, kind: "zset" | "set", ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += ORPHAN_BATCH)
      await this.#scripts.aiconfigRemoveOrphanEntries(this.#k(index), this.#k(owners), kind, ...ids.slice(i, i + ORPHAN_BATCH));
  }

  async getSessionKeys(id: string): Promise<Buffer | undefined> {
    return (await this.#redis.getBuffer(this.#k("keys", id))) ?? undefined;
  }

  async putSessionKeys(id: string, sealed: Buffer | undefined, ttlMs: number): Promise<void> {
    if (sealed === undefined) await this.#redis.del(this.#k("keys", id));
    else await this.#redis.set(this.#k("keys", id), sealed, "PX", ttlMs);
  }

  async getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    const text = await this.#redis.get(this.#k("snapshot", id));
    return text ? (JSON.parse(text) as SnapshotRecord) : undefined;
  }

  async putSnapshot(id: string, record: SnapshotRecord): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#k("snapshot", id), JSON.stringify(record))
      .sadd(this.#k("snapshots"), id)
      .hset(this.#k("snapshot-blobs"), id, [...storedBlobIds(record.config)].join(" "))
      .exec();
  }

  async deleteSnapshot(id: string): Promise<boolean> {
    const [[, n] = [null, 0]] =
      (await this.#redis.multi().del(this.#k("snapshot", id)).srem(this.#k("snapshots"), id).hdel(this.#k("snapshot-blobs"), id).exec()) ??
      [];
    return n === 1;
  }

  async listSnapshots(): Promise<string[]> {
    return this.#redis.smembers(this.#k("snapshots"));
  }

  async getBlob(sha256: string): Promise<Buffer | undefined> {
    return (await this.#redis.getBuffer(this.#k("blob", sha256))) ?? undefined;
  }

  async blobSize(sha256: string): Promise<number | undefined> {
    const n = await this.#redis.strlen(this.#k("blob", sha256));
    return n > 0 ? n : undefined;
  }

  async putBlob(sha256: string, bytes: Buffer, pinned = false): Promise<void> {
    const m = this.#redis.multi().set(this.#k("blob", sha256), bytes, "NX").zadd(this.#k("blobs"), Date.now(), sha256);
    if (pinned) m.sadd(this.#k("blobs-pinned"), sha256);
    await m.exec();
  }

  async listBlobs(before: number): Promise<string[]> {
    if (!this.#blobsAdopted) {
      await this.#adoptUntrackedBlobs();
      this.#blobsAdopted = true;
    }
    const ids = await this.#redis.zrangebyscore(this.#k("blobs"), 0, `(${before}`);
    if (ids.length === 0) return [];
    const pinned = await this.#redis.smismember(this.#k("blobs-pinned"), ...ids);
    return ids.filter((_, i) => pinned[i] !== 1);
  }

  /**
   * Files stored before the sweep existed (or by an older server) have no entry in the `blobs` sorted set, so
   * the sweep would never see them: once per process, scan for them and mark them stored now (`ZADD NX`), so
   * that they get the grace period and then go like any other file nothing refers to.
   */
  async #adoptUntrackedBlobs(): Promise<void> {
    const prefix = this.#k("blob", "");
    const now = Date.now();
    const stream = this.#redis.scanStream({ match: `${prefix}*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      const ids = keys.map((key) => key.slice(prefix.length)).filter((id) => /^[0-9a-f]{64}$/.test(id));
      if (ids.length === 0) continue;
      await this.#redis.zadd(this.#k("blobs"), "NX", ...ids.flatMap((id) => [now, id]));
    }
  }

  async deleteBlob(sha256: string, before: number): Promise<boolean> {
    return (
      (await this.#scripts.aiconfigDeleteBlob(this.#k("blob", sha256), this.#k("blobs"), this.#k("blobs-pinned"), sha256, before)) === 1
    );
  }

  async beginRun(sessionId: string, runId: string, max: number, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return (await this.#scripts.aiconfigBeginRun(this.#k("runs", sessionId), now, max, runId, now + leaseMs, leaseMs)) === 1;
  }

  async renewRun(sessionId: string, runId: string, leaseMs: number): Promise<void> {
    await this.#redis
      .multi()
      .zadd(this.#k("runs", sessionId), "XX", Date.now() + leaseMs, runId)
      .pexpire(this.#k("runs", sessionId), leaseMs)
      .exec();
  }

  async endRun(sessionId: string, runId: string): Promise<void> {
    await this.#redis.zrem(this.#k("runs", sessionId), runId);
  }

  async runningRuns(sessionId: string): Promise<number> {
    return this.#redis.zcount(this.#k("runs", sessionId), `(${Date.now()}`, "+inf");
  }

  async appendRunEvent(runId: string, json: string, done: boolean): Promise<void> {
    const m = this.#redis.multi().rpush(this.#k("run", runId), json).expire(this.#k("run", runId), RUN_LOG_TTL_S);
    if (done) m.set(this.#k("run", runId, "done"), "1", "EX", RUN_LOG_TTL_S);
    await m.exec();
  }

  async readRunEvents(runId: string, from: number): Promise<{ events: string[]; done: boolean } | undefined> {
    const [[, events], [, done], [, exists]] = ((await this.#redis
      .multi()
      .lrange(this.#k("run", runId), from, -1)
      .get(this.#k("run", runId, "done"))
      .exists(this.#k("run", runId))
      .exec()) ?? []) as [unknown, unknown][];
    if (!exists && from === 0) return undefined;
    return { events: events as string[], done: done === "1" };
  }

  async requestCancel(runId: string): Promise<void> {
    await this.#redis.set(this.#k("run", runId, "cancel"), "1", "EX", RUN_LOG_TTL_S);
  }

  async cancelRequested(runId: string): Promise<boolean> {
    return (await this.#redis.get(this.#k("run", runId, "cancel"))) === "1";
  }

  rateLimiter(points: number, durationSec: number): RateLimiterAbstract {
    return new RateLimiterRedis({ storeClient: this.#redis, points, duration: durationSec, keyPrefix: `${this.#prefix}rl` });
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
