/**
 * `aiconfig batch --queue URL`: puts the batch's rows on the job queue in
 * Redis (see `@aiconfig-ts/queue`) for `aiconfig worker` processes, and
 * collects their results into `--out` as they arrive (journal, fsync, input
 * order at the end, `--resume`: as for a local batch).
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { AIConfigRuntime, type BatchProgress, batchRowKeys } from "@aiconfig-ts/core";
import type { BatchCommandOptions, BatchPlan } from "../commands/batch.js";
import { openRuntime } from "../open-runtime.js";
import { batchExitCode, progressDisplay, summary } from "./batch-progress.js";
import { loadQueuePackage } from "./load-queue-package.js";
import { type ResultRecord, ResultsFile, type ResultsTally } from "./results-file.js";

/**
 * The stable name of a batch: the same results file, aiconfig file and prompt
 * give the same name, so `--resume` finds the batch's run in Redis again.
 */
function batchName(plan: BatchPlan): string {
  const material = [resolve(plan.out ?? "-"), resolve(plan.file), plan.prompt].join("\u0000");
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

/**
 * Runs a batch through the queue; the exit code as for a local batch.
 *
 * `--resume` continues a run whose collector was stopped or killed: the
 * results the workers pushed meanwhile are read from Redis into the journal
 * first, then only the rows that neither holds are enqueued (a row whose job
 * still waits or runs is not added again; a row that failed runs again), so
 * no row runs twice and none is lost.
 */
export async function queueBatchCommand(
  plan: BatchPlan,
  opts: BatchCommandOptions,
  limits: { rpm?: number; tpm?: number },
): Promise<number> {
  const { BatchQueue } = await loadQueuePackage("--queue");
  const runtime = await openRuntime(plan.file, opts);
  runtime.getSettings(plan.prompt); // an unknown prompt: an error naming the prompts
  const models = opts.model.length ? opts.model : [runtime.getModelName(plan.prompt)];
  const withDependencies = opts.withDependencies === true;
  const keyOf = batchRowKeys(
    runtime,
    plan.prompt,
    withDependencies,
    (config) => new AIConfigRuntime(config, { registry: runtime.registry }),
  );
  const name = batchName(plan);
  // The results file first: when it refuses (a journal left by an unfinished batch, without --resume) no
  // connection to Redis is open yet, which would keep the process from exiting.
  const results = plan.out ? await ResultsFile.open(plan.out, opts.resume === true) : undefined;
  let queue: Awaited<ReturnType<typeof BatchQueue.connect>>;
  try {
    queue = await BatchQueue.connect(opts.queue!);
  } catch (e) {
    await results?.close().catch(() => {});
    throw e;
  }
  try {
    const id = await queue.runOf(name, opts.resume === true);
    const specVersion = await queue.putSpec(id, {
      document: runtime.config,
      filePath: runtime.filePath,
      prompt: plan.prompt,
      withDependencies,
      strict: opts.strict !== false,
      expect: plan.expect,
      ...(limits.tpm !== undefined ? { tokensPerMinute: limits.tpm } : {}),
    });
    if (limits.rpm !== undefined) await queue.setRateLimit(limits.rpm);
    const modelAt = new Map(models.map((m, i) => [m, i]));
    const ordinalOf = (record: ResultRecord) => record.index * models.length + (modelAt.get(record.model) ?? 0);

    // Resuming: what the workers finished while no collector ran is in Redis; keep it.
    let cursor = 0;
    let fromQueue = 0;
    const failedBefore = new Map<number, number>();
    if (results) {
      const end = await queue.resultCount(id);
      while (cursor < end) {
        const texts = await queue.results(id, cursor, Math.min(1000, end - cursor));
        if (texts.length === 0) break;
        cursor += texts.length;
        for (const text of texts) {
          const record = JSON.parse(text) as ResultRecord;
          if (!modelAt.has(record.model)) continue;
          if (record.error) failedBefore.set(ordinalOf(record), (failedBefore.get(ordinalOf(record)) ?? 0) + 1);
          else if (record.key === keyOf(record.model, record.parameters) && !results.isDone(record.index, record.model, record.key)) {
            await results.appendRecord(record);
            fromQueue++;
          }
        }
      }
    }

    // Enqueue every row not done yet; each pending row is expected back with its key.
    const pending = new Map<number, string>();
    let expected = 0;
    let skipped = 0;
    let batch: Parameters<typeof queue.enqueue>[2][number][] = [];
    let index = 0;
    for await (const parameters of plan.rows()) {
      for (let m = 0; m < models.length; m++) {
        const model = models[m]!;
        const key = keyOf(model, parameters);
        const ordinal = index * models.length + m;
        expected++;
        if (results?.isDone(index, model, key)) skipped++;
        else {
          pending.set(ordinal, key);
          batch.push({ index, model, modelPosition: m, parameters, key, retry: failedBefore.get(ordinal) ?? 0 });
        }
        if (batch.length >= 500) {
          await queue.enqueue(id, specVersion, batch);
          batch = [];
        }
      }
      index++;
    }
    await queue.enqueue(id, specVersion, batch);
    if (skipped)
      process.stderr.write(
        `resuming ${plan.out}: ${skipped} rows already done${fromQueue ? ` (${fromQueue} of them collected from the queue)` : ""}\n`,
      );
    process.stderr.write(`batch: ${pending.size} rows on the queue ${opts.queue}; waiting for \`aiconfig worker --queue ${opts.queue}\`\n`);

    const started = Date.now();
    const progress = { done: 0, failed: 0, skipped, tokens: 0, rateLimited: 0, retries: 0, passed: 0 };
    const snapshot = (): BatchProgress => ({ ...progress, elapsedMs: Date.now() - started });
    const display = await progressDisplay(expected);
    while (pending.size > 0) {
      const texts = await queue.results(id, cursor);
      cursor += texts.length;
      for (const text of texts) {
        const record = JSON.parse(text) as ResultRecord;
        const ordinal = ordinalOf(record);
        // Each pending row once, with the key it was enqueued with (not a stale run's or a row already done).
        if (!modelAt.has(record.model) || pending.get(ordinal) !== record.key) continue;
        pending.delete(ordinal);
        progress.done++;
        if (record.error) progress.failed++;
        if (record.pass) progress.passed++;
        progress.tokens += record.usage?.totalTokens ?? 0;
        if (results) await results.appendRecord(record);
        else process.stdout.write(`${text}\n`);
      }
      display.update(snapshot());
      if (texts.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    display.stop();
    let whole: ResultsTally | undefined;
    if (results) whole = await results.finish(models);
    await queue.forget(id, name);
    const last = snapshot();
    process.stderr.write(summary(last, plan.expect.length, plan.out, whole));
    return batchExitCode(last, plan.expect.length, whole);
  } finally {
    await results?.close().catch(() => {});
    await queue.close();
  }
}
