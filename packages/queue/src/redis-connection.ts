/**
 * A Redis connection for BullMQ from a `redis://HOST:PORT[/DB]` URL (ioredis;
 * `rediss://` for TLS, `redis://:PASSWORD@HOST:PORT` for a password).
 *
 * @packageDocumentation
 */
import { Redis } from "ioredis";

/** The queue the batch rows go on. */
export const QUEUE_NAME = "aiconfig-batch";

/**
 * Opens a connection as BullMQ needs it (`maxRetriesPerRequest: null`: its
 * blocking commands wait however long the queue is empty).
 * @throws {Error} for a URL that is not `redis:` or `rediss:`, naming the flag's form
 */
export function redisConnection(url: string): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--queue ${url}: give a Redis URL, e.g. redis://127.0.0.1:6379`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new Error(`--queue ${url}: give a Redis URL, e.g. redis://127.0.0.1:6379`);
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
