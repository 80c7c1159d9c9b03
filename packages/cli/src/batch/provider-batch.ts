/**
 * `aiconfig batch --via openai-batch|anthropic-batch`: sends the rows through
 * OpenAI's Batch API or Anthropic's Message Batches (half the price, results
 * within 24 hours) instead of one request per row, and writes the results to
 * `--out` like a local batch. The batch's id is kept in `OUT.VIA.json` as
 * soon as it exists: `--resume` polls that batch again instead of creating another.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import {
  AIConfigRuntime,
  type BatchProgress,
  batchRowKeys,
  type JSONObject,
  type ModelSettings,
  type Output,
  runExpectCheck,
} from "@aiconfig-ts/core";
import type { BatchCommandOptions, BatchPlan } from "../commands/batch.js";
import { openRuntime } from "../open-runtime.js";
import { UsageError } from "../usage-error.js";
import { summary } from "./batch-progress.js";
import { type ResultRecord, ResultsFile } from "./results-file.js";

/** Runs a batch through a provider's batch API; the exit code as for a local batch. */
/** A provider's batch API, as this command uses it. */
interface BatchApi {
  /** The provider id whose prompts it runs. */
  providerId: string;
  run(args: {
    settings: Readonly<ModelSettings>;
    env: Readonly<Record<string, string | undefined>>;
    prompt: string;
    requests: { customId: string; request: unknown }[];
    batchId: string | undefined;
    onCreated(id: string): void;
    onPoll(status: string, counts: { completed: number; failed: number; total: number }): void;
    pollMs: number;
  }): Promise<Map<string, { outputs: Output[]; error?: undefined } | { error: { name: string; message: string } }>>;
}

/** The batch API of `--via`. @throws {UsageError} for another name, or a provider package not installed */
async function batchApi(via: string | undefined): Promise<BatchApi> {
  if (via === "openai-batch") {
    const openai = await import("@aiconfig-ts/openai").catch(() => {
      throw new UsageError("--via openai-batch needs the OpenAI provider: npm i @aiconfig-ts/openai");
    });
    return {
      providerId: openai.openaiChat.id,
      run: ({ requests, ...rest }) =>
        openai.runOpenAIBatch({
          ...rest,
          requests: requests.map((r) => ({ customId: r.customId, body: r.request as import("@aiconfig-ts/openai").ChatRequest })),
        }),
    };
  }
  if (via === "anthropic-batch") {
    const anthropic = await import("@aiconfig-ts/anthropic").catch(() => {
      throw new UsageError("--via anthropic-batch needs the Anthropic provider: npm i @aiconfig-ts/anthropic");
    });
    return {
      providerId: anthropic.anthropicProvider.id,
      run: ({ requests, ...rest }) =>
        anthropic.runAnthropicBatch({
          ...rest,
          requests: requests.map((r) => ({ customId: r.customId, params: r.request as import("@aiconfig-ts/anthropic").AnthropicRequest })),
        }),
    };
  }
  throw new UsageError(`--via ${via}: use openai-batch or anthropic-batch`);
}

/** Runs a batch through a provider's batch API; the exit code as for a local batch. */
export async function providerBatchCommand(plan: BatchPlan, opts: BatchCommandOptions): Promise<number> {
  const via = opts.via ?? "";
  if (!plan.out) throw new UsageError(`--via ${via} needs --out FILE (the batch's results, and its id for --resume)`);
  if (opts.model.length > 1) throw new UsageError(`--via ${via} runs one model: give at most one --model`);
  if (opts.withDependencies) throw new UsageError(`--via ${via} sends the prompt alone: --with-dependencies needs a local batch`);
  const api = await batchApi(opts.via);
  const runtime = await openRuntime(plan.file, opts);
  if (opts.model[0])
    runtime.config.prompts = runtime.config.prompts.map((p) =>
      p.name === plan.prompt ? { ...p, metadata: { ...p.metadata, model: opts.model[0]! } } : p,
    );
  const model = runtime.getModelName(plan.prompt);
  await runtime.registry.loadFor([model], runtime.config.metadata.model_parsers);
  const provider = runtime.getProvider(plan.prompt);
  if (provider.id !== api.providerId)
    throw new UsageError(`--via ${via}: prompt "${plan.prompt}" runs on ${model} (provider ${provider.id}), not on ${api.providerId}`);
  const keyOf = batchRowKeys(runtime, plan.prompt, false, (config) => new AIConfigRuntime(config, { registry: runtime.registry }));
  const results = await ResultsFile.open(plan.out, opts.resume === true);
  const stateFile = `${plan.out}.${via}.json`;
  const previous =
    opts.resume && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, "utf8")) as { batch_id: string }).batch_id : undefined;
  const started = Date.now();
  const progress = { done: 0, failed: 0, skipped: 0, tokens: 0, rateLimited: 0, retries: 0, passed: 0 };
  try {
    // The requests, built by the provider as a run would send them (rows already done are left out).
    const rows: { index: number; parameters: JSONObject; key: string }[] = [];
    const requests: { customId: string; request: unknown }[] = [];
    let index = 0;
    for await (const parameters of plan.rows()) {
      const key = keyOf(model, parameters);
      if (results.isDone(index, model, key)) progress.skipped++;
      else {
        rows.push({ index, parameters, key });
        requests.push({
          customId: `row-${index}`,
          request: await runtime.resolve(plan.prompt, parameters),
        });
      }
      index++;
    }
    if (progress.skipped) process.stderr.write(`resuming ${plan.out}: ${progress.skipped} rows already done\n`);
    const answers = await api.run({
      settings: runtime.getSettings(plan.prompt),
      env: { ...process.env },
      prompt: plan.prompt,
      requests,
      batchId: previous,
      onCreated: (id) => {
        writeFileSync(stateFile, `${JSON.stringify({ batch_id: id, created: new Date().toISOString() })}\n`);
        process.stderr.write(
          `batch: ${via} ${id} created with ${requests.length} requests (kept in ${stateFile}; --resume polls it again)\n`,
        );
      },
      onPoll: (status, c) => process.stderr.write(`batch: ${via} ${status}: ${c.completed}/${c.total} done, ${c.failed} failed\n`),
      pollMs: Number(process.env.AICONFIG_BATCH_POLL_MS ?? 5000),
    });
    const prompt = runtime.getPrompt(plan.prompt)!;
    for (const row of rows) {
      const answer = answers.get(`row-${row.index}`);
      const outputs: Output[] = answer && !answer.error ? answer.outputs : [];
      const error = answer?.error;
      const output = outputs[0] ? runtime.getOutputText(prompt, outputs[0]) : "";
      const usage = outputs[0] ? provider.outputUsage?.(outputs[0]) : undefined;
      const checks = plan.expect.map((c) =>
        error ? { column: c.column, check: c.check, pass: false, message: "the row failed" } : runExpectCheck(c, output, row.parameters),
      );
      const record: ResultRecord = {
        index: row.index,
        model,
        parameters: row.parameters,
        output,
        outputs,
        duration_ms: Date.now() - started,
        key: row.key,
      };
      if (usage) record.usage = usage;
      if (error) record.error = error;
      if (checks.length) {
        record.pass = checks.every((c) => c.pass);
        record.expect = checks;
      }
      progress.done++;
      if (error) progress.failed++;
      if (record.pass) progress.passed++;
      progress.tokens += usage?.totalTokens ?? 0;
      await results.appendRecord(record);
    }
    await results.finish([model]);
    if (existsSync(stateFile)) unlinkSync(stateFile);
  } finally {
    await results.close().catch(() => {});
  }
  const last: BatchProgress = { ...progress, elapsedMs: Date.now() - started };
  process.stderr.write(summary(last, plan.expect.length, plan.out));
  return last.failed > 0 || (plan.expect.length > 0 && last.passed < last.done) ? 1 : 0;
}
