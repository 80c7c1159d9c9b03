/**
 * The running side of a queued batch (`aiconfig worker --queue URL`): a
 * BullMQ worker that takes row jobs, runs each with the caller's `runRow`
 * (the CLI composes core and the providers), and pushes the result record to
 * the batch's results list.
 *
 * A worker killed mid-row (even with SIGKILL) stops renewing its job's lock;
 * after `lockMs` another worker's stalled-job check moves the job back to
 * waiting and it runs again (BullMQ's stalled-job handling). The reader keeps
 * one result per row. The queue's global rate limit (`--rpm`), set by the
 * submitter, and a batch's token budgets (`--tpm`, in Redis) hold across all workers.
 *
 * @packageDocumentation
 */
import type { SharedTokenBudgets } from "@aiconfig-ts/core";
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type QueueBatchSpec, type QueueRowJob, resultsKey, specKey } from "./batch-queue.js";
import { QUEUE_NAME, redisConnection } from "./redis-connection.js";
import { batchTokenBudgets } from "./redis-token-budget.js";

/** Options of {@link startBatchWorker}. */
export interface BatchWorkerOptions {
  /** Rows this worker runs at once. Default 8. */
  concurrency?: number;
  /**
   * How long a row's lock lasts without renewal, in ms: a killed worker's rows
   * are taken over after about this long (and checked for that this often). Default 30,000.
   */
  lockMs?: number;
  /**
   * Runs one row of a batch and returns its result record (a JSON-serializable
   * object with the job's `key`, which the submitter checks). A row's own failure is part of its record; what it throws fails the job (retried up to 3 times).
   */
  runRow: (spec: QueueBatchSpec, job: QueueRowJob, shared: SharedRowLimits) => Promise<object>;
  /** Told of each row done (for a progress line). */
  onRow?: (job: QueueRowJob) => void;
}

/** What a row's run shares with the other workers' rows of its batch, given to {@link BatchWorkerOptions.runRow}. */
export interface SharedRowLimits {
  /**
   * The batch run's token budgets when it was submitted with `--tpm` (for core's
   * `BatchRateLimit.sharedTokens`, with `tokensPerMinute: spec.tokensPerMinute`); absent otherwise.
   */
  readonly sharedTokens?: SharedTokenBudgets;
}

/** A running worker. */
export interface BatchWorker {
  /** Finishes the rows in progress, then stops. */
  close(): Promise<void>;
}

/**
 * Starts a worker on the queue at `url`.
 * @throws {Error} for a bad URL; the connection's error when Redis cannot be reached
 */
export async function startBatchWorker(url: string, options: BatchWorkerOptions): Promise<BatchWorker> {
  const { Worker, UnrecoverableError } = await import("bullmq");
  const redis: Redis = redisConnection(url);
  await redis.ping();
  const specs = new Map<string, Promise<QueueBatchSpec>>();
  const specOf = (batchId: string, version: string) => {
    const cacheKey = `${batchId}\u0000${version}`;
    let spec = specs.get(cacheKey);
    if (!spec) {
      spec = redis.hget(specKey(batchId), version).then((text) => {
        // A run that was finished or replaced: its jobs are dropped, not retried, and leave no result.
        if (text === null) throw new UnrecoverableError(`batch ${batchId} has no spec ${version} in Redis (it was finished or forgotten)`);
        return JSON.parse(text) as QueueBatchSpec;
      });
      spec.catch(() => specs.delete(cacheKey));
      specs.set(cacheKey, spec);
    }
    return spec;
  };
  const budgets = new Map<string, SharedTokenBudgets>();
  const sharedLimits = (batchId: string, spec: QueueBatchSpec): SharedRowLimits => {
    if (!spec.tokensPerMinute) return {};
    const cacheKey = `${batchId}\u0000${spec.tokensPerMinute}`;
    let sharedTokens = budgets.get(cacheKey);
    if (!sharedTokens) budgets.set(cacheKey, (sharedTokens = batchTokenBudgets(redis, batchId, spec.tokensPerMinute)));
    return { sharedTokens };
  };
  const lockMs = options.lockMs ?? 30_000;
  const workerConnection = redis.duplicate();
  const worker: Worker = new Worker(
    QUEUE_NAME,
    async (job: Job<QueueRowJob>) => {
      const spec = await specOf(job.data.batchId, job.data.specVersion);
      const record = await options.runRow(spec, job.data, sharedLimits(job.data.batchId, spec));
      await redis.rpush(resultsKey(job.data.batchId), JSON.stringify(record));
      options.onRow?.(job.data);
      return true;
    },
    {
      connection: workerConnection,
      concurrency: options.concurrency ?? 8,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 3,
    },
  );
  // A job whose tries ran out still gets a result: its error (not a job of a forgotten run).
  worker.on("failed", (job, error) => {
    if (!job || error instanceof UnrecoverableError) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { batchId, index, model, parameters, key } = job.data as QueueRowJob;
    void redis
      .rpush(
        resultsKey(batchId),
        JSON.stringify({
          index,
          model,
          parameters,
          output: "",
          outputs: [],
          duration_ms: 0,
          error: { name: error.name, message: error.message },
          key,
        }),
      )
      .catch(() => {});
  });
  worker.on("error", () => {
    // Connection hiccups: ioredis reconnects by itself.
  });
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      workerConnection.disconnect();
      redis.disconnect();
    },
  };
}
