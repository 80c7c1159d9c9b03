/**
 * The submitting side of a queued batch (`aiconfig batch --queue URL`): puts
 * the batch's document and prompt in Redis, one BullMQ job per row and model,
 * and reads the results the workers push, as they arrive.
 *
 * A batch id names one run of a batch (the submitter makes it from a stable
 * name of the batch and a run id kept in Redis under `aiconfig-batch:run:NAME`: `NAME-RUN`,
 * see {@link BatchQueue.runOf}, so `--resume` finds the same run again).
 * Redis keys, per batch id: `aiconfig-batch:spec:ID` (a hash: spec version ->
 * the document, prompt and options, JSON; a resumed batch whose prompt
 * changed adds a version, and each job names its own), `aiconfig-batch:results:ID`
 * (a list of result records, JSON, in the order they finished; a row run
 * twice, after a worker was killed mid-row, appears twice and the reader
 * keeps one). Jobs have the id `ID-INDEX-MODELPOSITION-KEY[-retryN]` (KEY:
 * the start of the row's key), and a finished job is kept for a day: a row
 * enqueued again while it waits, runs or is done is not added again (BullMQ
 * ignores an existing job id), so a resumed submitter never runs a row twice.
 *
 * @packageDocumentation
 */
import { createHash, randomUUID } from "node:crypto";
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
  /** `--tpm`: tokens per minute for each endpoint, shared by every worker (a budget in Redis, {@link batchTokenBudgets}). */
  readonly tokensPerMinute?: number;
}

/** One job: a row on a model. */
export interface QueueRowJob {
  readonly batchId: string;
  /** The version of the batch's spec the row runs with (see {@link BatchQueue.putSpec}). */
  readonly specVersion: string;
  /** The row's key (a hash of its parameters, prompt, model and settings): its result record carries it. */
  readonly key: string;
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
  /** The row's key (see {@link QueueRowJob.key}). */
  readonly key: string;
  /**
   * How many times this row's result was an error before (a resumed batch
   * runs failed rows again): a new job id, since the failed one is kept.
   */
  readonly retry?: number;
}

/** How long a finished job is kept, so that enqueuing its row again does not run it again: a day, in seconds. */
const KEEP_DONE_S = 24 * 3600;

/** Key of a batch's specs (a hash by version). */
export const specKey = (batchId: string) => `${QUEUE_NAME}:spec:${batchId}`;
/** Key of the current run id of a batch's stable name. */
export const runKey = (name: string) => `${QUEUE_NAME}:run:${name}`;
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

  /**
   * The batch id of a run of the batch named `name`: with `resume`, the run
   * started before (when Redis still has it), else a new run (its id kept for
   * a later `resume`; the specs and results of an unfinished run before it are dropped).
   */
  async runOf(name: string, resume: boolean): Promise<string> {
    const previous = await this.#redis.get(runKey(name));
    if (previous && resume) return `${name}-${previous}`;
    // A new run: the unfinished one before it is dropped.
    if (previous) await this.forget(`${name}-${previous}`);
    const run = randomUUID().slice(0, 8);
    await this.#redis.set(runKey(name), run);
    return `${name}-${run}`;
  }

  /** Forgets a run's specs and results, and the run of `name` (after its results are saved). */
  async forget(batchId: string, name?: string): Promise<void> {
    await this.#redis.del(specKey(batchId), resultsKey(batchId), ...(name ? [runKey(name)] : []));
  }

  /**
   * Stores what the batch's rows share.
   * @returns its version (a hash of it), for {@link QueueRowJob.specVersion}
   */
  async putSpec(batchId: string, spec: QueueBatchSpec): Promise<string> {
    const text = JSON.stringify(spec);
    const version = createHash("sha256").update(text).digest("hex").slice(0, 16);
    await this.#redis.hset(specKey(batchId), version, text);
    return version;
  }

  /** How many result records the batch's results list holds. */
  async resultCount(batchId: string): Promise<number> {
    return this.#redis.llen(resultsKey(batchId));
  }

  /**
   * Enqueues rows as jobs (in groups of 500), each tried up to 3 times when a
   * worker fails outside the row (a row's own failure is its result, not a
   * retry). A row whose job exists (waiting, running, or done within a day)
   * is not added again.
   */
  async enqueue(batchId: string, specVersion: string, rows: readonly QueueRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.#queue.addBulk(
        rows.slice(i, i + 500).map(({ retry, ...row }) => ({
          name: "row",
          data: { batchId, specVersion, ...row } satisfies QueueRowJob,
          opts: {
            // No ":" (BullMQ's own separator).
            jobId: `${batchId}-${row.index}-${row.modelPosition}-${row.key.slice(0, 12)}${retry ? `-retry${retry}` : ""}`,
            attempts: 3,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: { age: KEEP_DONE_S },
            removeOnFail: { age: KEEP_DONE_S },
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
