/**
 * `aiconfig worker --queue URL`: runs the rows that `aiconfig batch --queue
 * URL` put on the job queue (any number of workers, on any machines), with
 * this machine's providers and API keys, until Ctrl+C or SIGTERM (rows in
 * progress are finished first).
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { AIConfigRuntime, BatchScheduler } from "@aiconfig-ts/core";
import { positiveInteger } from "./batch.js";
import { toRecord } from "../batch/results-file.js";
import { loadQueuePackage } from "../batch/load-queue-package.js";
import { registerProviders } from "../open-runtime.js";
import type { QueueBatchSpec, SharedRowLimits } from "@aiconfig-ts/queue";

/** Options of `aiconfig worker`. */
export interface WorkerCommandOptions {
  queue: string;
  concurrency?: string;
  lockMs?: string;
  providers?: string;
}

/** `aiconfig worker`; returns its exit code when stopped (0). */
export async function workerCommand(opts: WorkerCommandOptions): Promise<number> {
  const concurrency = positiveInteger("--concurrency", opts.concurrency) ?? 8;
  const lockMs = positiveInteger("--lock-ms", opts.lockMs);
  const { startBatchWorker } = await loadQueuePackage("worker --queue");
  // Per batch (and version of its document): the runtime, and one scheduler for all its rows here, so an
  // offline model runs one row at a time and a limit learnt from one reply holds for the next row.
  const runtimes = new Map<string, Promise<{ runtime: AIConfigRuntime; scheduler: BatchScheduler }>>();
  const runtimeFor = (batchId: string, specVersion: string, spec: QueueBatchSpec, shared: SharedRowLimits) => {
    const cacheKey = `${batchId}\u0000${specVersion}`;
    let runtime = runtimes.get(cacheKey);
    if (!runtime) {
      runtime = (async () => {
        // The file's folder (for .env and attachments) when this machine has it.
        const filePath = spec.filePath && existsSync(spec.filePath) ? spec.filePath : undefined;
        const rt = AIConfigRuntime.loadJSON(spec.document as object, { strict: spec.strict });
        rt.filePath = filePath;
        await registerProviders(rt, filePath ?? `${process.cwd()}/batch.aiconfig.json`, opts.providers);
        // --tpm counts in the batch's budgets in Redis, shared with the other workers (--rpm is the queue's own limit)
        const scheduler = new BatchScheduler(
          spec.tokensPerMinute ? { tokensPerMinute: spec.tokensPerMinute, sharedTokens: shared.sharedTokens } : {},
        );
        return { runtime: rt, scheduler };
      })();
      runtime.catch(() => runtimes.delete(cacheKey));
      runtimes.set(cacheKey, runtime);
    }
    return runtime;
  };
  let done = 0;
  const worker = await startBatchWorker(opts.queue, {
    concurrency,
    lockMs,
    onRow: () => {
      done++;
    },
    async runRow(spec, job, shared) {
      const { runtime, scheduler } = await runtimeFor(job.batchId, job.specVersion, spec, shared);
      await runtime.registry.loadFor([job.model], runtime.config.metadata.model_parsers);
      const rows = runtime.runBatch(spec.prompt, [job.parameters], {
        models: [job.model],
        withDependencies: spec.withDependencies,
        expect: spec.expect,
        concurrency: 1,
        scheduler,
      });
      // The key the submitter gave the row: its result is checked against it.
      for await (const result of rows) return toRecord({ ...result, index: job.index, key: job.key });
      throw new Error(`row ${job.index} gave no result`);
    },
  });
  process.stderr.write(`worker: running rows from ${opts.queue} (${concurrency} at a time); Ctrl+C to stop\n`);
  const ticker = setInterval(() => process.stderr.write(`worker: ${done} rows done\n`), 10_000);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(ticker);
  process.stderr.write(`worker: stopping after the rows in progress (${done} done)\n`);
  await worker.close();
  return 0;
}
