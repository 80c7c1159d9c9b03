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
import { progressDisplay, summary } from "./batch-progress.js";
import { loadQueuePackage } from "./load-queue-package.js";
import { type ResultRecord, ResultsFile } from "./results-file.js";

/**
 * The id of a batch: the same results file, aiconfig file and prompt give the
 * same id, so `--resume` finds the batch's results in Redis again.
 */
function batchId(plan: BatchPlan): string {
  const material = [resolve(plan.out ?? "-"), resolve(plan.file), plan.prompt].join("\u0000");
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

/** Runs a batch through the queue; the exit code as for a local batch. */
export async function queueBatchCommand(plan: BatchPlan, opts: BatchCommandOptions, limits: { rpm?: number }): Promise<number> {
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
  const id = batchId(plan);
  const queue = await BatchQueue.connect(opts.queue!);
  const results = plan.out ? await ResultsFile.open(plan.out, opts.resume === true) : undefined;
  try {
    if (!opts.resume) await queue.forget(id);
    await queue.putSpec(id, {
      document: runtime.config,
      filePath: runtime.filePath,
      prompt: plan.prompt,
      withDependencies,
      strict: opts.strict !== false,
      expect: plan.expect,
    });
    if (limits.rpm !== undefined) await queue.setRateLimit(limits.rpm);

    // Enqueue every row not done yet (a row already in the journal counts as arrived).
    const arrived = new Set<number>();
    let expected = 0;
    let batch: Parameters<typeof queue.enqueue>[1][number][] = [];
    let index = 0;
    for await (const parameters of plan.rows()) {
      for (let m = 0; m < models.length; m++) {
        const model = models[m]!;
        expected++;
        if (results?.isDone(index, model, keyOf(model, parameters))) arrived.add(index * models.length + m);
        else batch.push({ index, model, modelPosition: m, parameters });
        if (batch.length >= 500) {
          await queue.enqueue(id, batch);
          batch = [];
        }
      }
      index++;
    }
    await queue.enqueue(id, batch);
    const skipped = arrived.size;
    if (skipped) process.stderr.write(`resuming ${plan.out}: ${skipped} rows already done\n`);
    process.stderr.write(
      `batch: ${expected - skipped} rows on the queue ${opts.queue}; waiting for \`aiconfig worker --queue ${opts.queue}\`\n`,
    );

    const started = Date.now();
    const progress = { done: 0, failed: 0, skipped, tokens: 0, rateLimited: 0, retries: 0, passed: 0 };
    const snapshot = (): BatchProgress => ({ ...progress, elapsedMs: Date.now() - started });
    const display = await progressDisplay(expected);
    const modelAt = new Map(models.map((m, i) => [m, i]));
    let cursor = 0;
    while (arrived.size < expected) {
      const texts = await queue.results(id, cursor);
      cursor += texts.length;
      for (const text of texts) {
        const record = JSON.parse(text) as ResultRecord;
        const ordinal = record.index * models.length + (modelAt.get(record.model) ?? 0);
        if (arrived.has(ordinal)) continue;
        arrived.add(ordinal);
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
    if (results) await results.finish(models);
    await queue.forget(id);
    const last = snapshot();
    process.stderr.write(summary(last, plan.expect.length, plan.out));
    return last.failed > 0 || (plan.expect.length > 0 && last.passed < last.done) ? 1 : 0;
  } finally {
    await results?.close().catch(() => {});
    await queue.close();
  }
}
