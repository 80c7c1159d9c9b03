/**
 * The submitting side of a queued batch (`aiconfig batch --queue URL`): puts
 * the batch's document and prompt in Redis, one BullMQ job per row and model,
 * and reads the results the workers push, as they arrive.
 *
 * Redis keys, per batch id: `aiconfig-batch:spec:ID` (the document, prompt
 * and options, JSON), `aiconfig-batch:results:ID` (a list of result records,
 * JSON, in the order they finished; a row run twice, after a worker was
 * killed mid-row, appears twice and the reader keeps one). Jobs have the id
 * `ID:INDEX:MODEL-POSITION`, so a row enqueued again while it waits is not
 * added twice (BullMQ ignores an existing job id).
 *
 * @packageDocumentation
 */
import type { ExpectCheck, JSONObject } from "@aiconfig-ts/core";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUE_NAME, redisConnection } from "./redis-connection.js";

/** What every row of a batch shares: the workers load it once per batch. */
export interface QueueBatchSpec {
  /** The aiconfig document (as parsed from its file). */
  readonly document: unknown;
  /** The file's path on the submitting machine (for its folder: `.env`, attachments), when a worker can read it. */
  readonly filePath?: string;
  readonly prompt: string;
  readonly withDependencies: boolean;
  /** Whether undefined parameters are errors. */
  readonly strict: boolean;
  /** Checks of each output against the row's columns (core's `ExpectCheck`s). */
  readonly expect?: readonly ExpectCheck[];
}

/** One job: a row on a model. */
export interface QueueRowJob {
  readonly batchId: string;
  /** The row's position in the input, from 0. */
  readonly index: number;
  readonly model: string;
  /** The model's position in the batch's `--model` list (orders the results). */
  readonly modelPosition: number;
  readonly parameters: JSONObject;
}

/** A row to enqueue. */
export interface QueueRow {
  readonly index: number;
  readonly model: string;
  readonly modelPosition: number;
  readonly parameters: JSONObject;
}

/** Key of a batch's spec. */
export const specKey = (batchId: string) => `${QUEUE_NAME}:spec:${batchId}`;
/** Key of a batch's results list. */
export const resultsKey = (batchId: string) => `${QUEUE_NAME}:results:${batchId}`;

/** A connection to the batch queue, for submitting rows and collecting results. */
export class BatchQueue {
  readonly #redis: Redis;
  readonly #queue: Queue;

  private constructor(redis: Redis, queue: Queue) {
    this.#redis = redis;
    this.#queue = queue;
  }

  /**
   * Connects to Redis (BullMQ loaded on first use).
   * @throws {Error} for a bad URL; the connection's error when Redis cannot be reached
   */
  static async connect(url: string): Promise<BatchQueue> {
    const { Queue } = await import("bullmq");
    const redis = redisConnection(url);
    await redis.ping();
    return new BatchQueue(redis, new Queue(QUEUE_NAME, { connection: redis }));
  }

  /**
   * Sets a rate limit shared by every worker of the queue (BullMQ's global
   * limiter): `requestsPerMinute` rows per minute, started evenly, a tenth of
   * a second's share every 100 ms. `undefined` removes it.
   */
  async setRateLimit(requestsPerMinute: number | undefined): Promise<void> {
    if (requestsPerMinute === undefined) await this.#queue.removeGlobalRateLimit();
    else await this.#queue.setGlobalRateLimit(Math.max(1, Math.round(requestsPerMinute / 600)), 100);
  }

  /** Forgets a batch's spec and results (before a new run of the same batch id, and after its results are saved). */
  async forget(batchId: string): Promise<void> {
    await this.#redis.del(specKey(batchId), resultsKey(batchId));
  }

  /** Stores what the batch's rows share. */
  async putSpec(batchId: string, spec: QueueBatchSpec): Promise<void> {
    await this.#redis.set(specKey(batchId), JSON.stringify(spec));
  }

  /**
   * Enqueues rows as jobs (in groups of 500), each tried up to 3 times when a
   * worker fails outside the row (a row's own failure is its result, not a retry).
   */
  async enqueue(batchId: string, rows: readonly QueueRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.#queue.addBulk(
        rows.slice(i, i + 500).map((row) => ({
          name: "row",
          data: { batchId, ...row } satisfies QueueRowJob,
          opts: {
            jobId: `${batchId}:${row.index}:${row.modelPosition}`,
            attempts: 3,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        })),
      );
    }
  }

  /**
   * Result records pushed by the workers from position `from` on (at most
   * `max`), each as the JSON text the worker wrote.
   */
  async results(batchId: string, from: number, max = 1000): Promise<string[]> {
    return this.#redis.lrange(resultsKey(batchId), from, from + max - 1);
  }

  /** Jobs waiting, running or delayed (all batches). */
  async pending(): Promise<number> {
    const counts = await this.#queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#queue.close();
    this.#redis.disconnect();
  }
}
