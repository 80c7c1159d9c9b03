/**
 * A store in Redis (`--store redis://HOST:PORT[/DB]`), so that several server
 * processes behind a load balancer serve the same visitors: sessions (with
 * their inactivity expiry as a Redis TTL, and a sorted set of last use for the
 * session cap), snapshots, attachments, visitors' sealed keys (with the
 * session's TTL), and the event log of each run (a list, so a process other
 * than the one running it can follow a run). Client: `ioredis`, loaded lazily.
 *
 * Keys are under a prefix (default `aiconfig:`).
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterRedis } from "rate-limiter-flexible";
import type { NotebookStore, SessionRecord, SnapshotRecord } from "./notebook-store.js";

/** How long a run's event log is kept after its last event, in seconds. */
const RUN_LOG_TTL_S = 600;

/** A store in Redis, shared by several processes. */
export class RedisStore implements NotebookStore {
  readonly description: string;
  readonly #redis: Redis;
  readonly #prefix: string;
  #secret: Buffer | undefined;

  private constructor(redis: Redis, url: string, prefix: string) {
    this.#redis = redis;
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
    await this.#redis
      .multi()
      .set(this.#k("session", id), JSON.stringify(record), "PX", ttlMs)
      .zadd(this.#k("sessions"), Date.now(), id)
      .exec();
  }

  async touchSession(id: string, ttlMs: number): Promise<void> {
    await this.#redis
      .multi()
      .pexpire(this.#k("session", id), ttlMs)
      .pexpire(this.#k("keys", id), ttlMs)
      .zadd(this.#k("sessions"), "XX", Date.now(), id)
      .exec();
  }

  async deleteSession(id: string): Promise<void> {
    await this.#redis.multi().del(this.#k("session", id), this.#k("keys", id)).zrem(this.#k("sessions"), id).exec();
  }

  async sweepSessions(ttlMs: number, maxSessions: number): Promise<number> {
    const expired = await this.#redis.zrangebyscore(this.#k("sessions"), 0, Date.now() - ttlMs);
    for (const id of expired) await this.deleteSession(id);
    const count = await this.#redis.zcard(this.#k("sessions"));
    let gone = expired.length;
    if (count > maxSessions) {
      const oldest = await this.#redis.zrange(this.#k("sessions"), 0, count - maxSessions - 1);
      for (const id of oldest) await this.deleteSession(id);
      gone += oldest.length;
    }
    return gone;
  }

  async countSessions(): Promise<number> {
    return this.#redis.zcard(this.#k("sessions"));
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
    await this.#redis.multi().set(this.#k("snapshot", id), JSON.stringify(record)).sadd(this.#k("snapshots"), id).exec();
  }

  async deleteSnapshot(id: string): Promise<boolean> {
    const [[, n] = [null, 0]] = (await this.#redis.multi().del(this.#k("snapshot", id)).srem(this.#k("snapshots"), id).exec()) ?? [];
    return n === 1;
  }

  async listSnapshots(): Promise<string[]> {
    return this.#redis.smembers(this.#k("snapshots"));
  }

  async getBlob(sha256: string): Promise<Buffer | undefined> {
    return (await this.#redis.getBuffer(this.#k("blob", sha256))) ?? undefined;
  }

  async putBlob(sha256: string, bytes: Buffer): Promise<void> {
    await this.#redis.set(this.#k("blob", sha256), bytes, "NX");
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
