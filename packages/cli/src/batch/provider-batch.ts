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
import { type BatchCommandOptions, type BatchPlan, positiveInteger } from "../commands/batch.js";
import { openRuntime } from "../open-runtime.js";
import { UsageError } from "../usage-error.js";
import { batchExitCode, summary } from "./batch-progress.js";
import { type ResultRecord, ResultsFile, type ResultsTally } from "./results-file.js";

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

/** What `OUT.VIA.json` holds while a provider batch runs. */
interface BatchState {
  batch_id: string;
  created?: string;
  /** The input positions of the rows sent in the batch (rows whose dependencies failed were not sent). */
  rows?: number[];
}

/** A row on its way to the batch API. */
interface SentRow {
  index: number;
  parameters: JSONObject;
  key: string;
  request: unknown;
}

/**
 * Runs a batch through a provider's batch API; the exit code as for a local batch.
 *
 * With `--with-dependencies`, the prompts the target refers to run first,
 * per row, here (one request each, at the usual price, under `--concurrency`,
 * `--rpm` and `--tpm`), and only the target's requests, built from their
 * outputs, go in the provider's batch. A row whose dependencies failed is
 * that row's error and is not sent. `--resume` of a batch already created
 * polls it again without running the dependencies again.
 * @throws {UsageError} for flags the batch API cannot honour, or a prompt on another provider
 */
export async function providerBatchCommand(plan: BatchPlan, opts: BatchCommandOptions): Promise<number> {
  const via = opts.via ?? "";
  if (!plan.out) throw new UsageError(`--via ${via} needs --out FILE (the batch's results, and its id for --resume)`);
  if (opts.model.length > 1) throw new UsageError(`--via ${via} runs one model: give at most one --model`);
  const withDependencies = opts.withDependencies === true;
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
  if (withDependencies) {
    const models = new Set(runtime.getDependencies(plan.prompt).map((name) => runtime.getModelName(name)));
    await runtime.registry.loadFor([...models], runtime.config.metadata.model_parsers);
  }
  const keyOf = batchRowKeys(
    runtime,
    plan.prompt,
    withDependencies,
    (config) => new AIConfigRuntime(config, { registry: runtime.registry }),
  );
  const results = await ResultsFile.open(plan.out, opts.resume === true);
  const stateFile = `${plan.out}.${via}.json`;
  const previous = opts.resume && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, "utf8")) as BatchState) : undefined;
  const started = Date.now();
  const progress = { done: 0, failed: 0, skipped: 0, tokens: 0, rateLimited: 0, retries: 0, passed: 0 };
  const prompt = runtime.getPrompt(plan.prompt)!;
  /** Writes a row's result (outputs from the batch, or why it failed). */
  const save = async (row: Omit<SentRow, "request">, outputs: Output[], error: { name: string; message: string } | undefined) => {
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
  };
  let whole: ResultsTally | undefined;
  try {
    const rows: SentRow[] = [];
    if (previous) {
      // The batch exists: its rows are known again from the input (no request is built, no dependency run).
      const sent = previous.rows ? new Set(previous.rows) : undefined;
      let index = 0;
      for await (const parameters of plan.rows()) {
        const key = keyOf(model, parameters);
        if (results.isDone(index, model, key)) progress.skipped++;
        else if (!sent || sent.has(index)) rows.push({ index, parameters, key, request: undefined });
        index++;
      }
    } else {
      // The requests, built by the provider as a run would send them (after the row's dependencies ran,
      // with --with-dependencies); rows already done are left out, a row that failed is saved as such.
      const batch = runtime.runBatch(plan.prompt, plan.rows(), {
        resolveOnly: true,
        withDependencies,
        concurrency: positiveInteger("--concurrency", opts.concurrency),
        rateLimit: {
          requestsPerMinute: positiveInteger("--rpm", opts.rpm),
          tokensPerMinute: positiveInteger("--tpm", opts.tpm),
        },
        isDone: (index, m, key) => results.isDone(index, m, key),
        onProgress: (p) => {
          progress.skipped = p.skipped;
        },
      });
      if (withDependencies) process.stderr.write(`batch: running the dependencies of "${plan.prompt}" here, row by row\n`);
      for await (const row of batch) {
        if (row.error) await save(row, [], row.error);
        else rows.push({ index: row.index, parameters: row.parameters, key: row.key, request: row.request });
      }
      rows.sort((a, b) => a.index - b.index);
    }
    if (progress.skipped) process.stderr.write(`resuming ${plan.out}: ${progress.skipped} rows already done\n`);
    const answers = rows.length
      ? await api.run({
          settings: runtime.getSettings(plan.prompt),
          env: { ...process.env },
          prompt: plan.prompt,
          requests: rows.map((row) => ({ customId: `row-${row.index}`, request: row.request })),
          batchId: previous?.batch_id,
          onCreated: (id) => {
            const state: BatchState = { batch_id: id, created: new Date().toISOString(), rows: rows.map((row) => row.index) };
            writeFileSync(stateFile, `${JSON.stringify(state)}\n`);
            process.stderr.write(
              `batch: ${via} ${id} created with ${rows.length} requests (kept in ${stateFile}; --resume polls it again)\n`,
            );
          },
          onPoll: (status, c) => process.stderr.write(`batch: ${via} ${status}: ${c.completed}/${c.total} done, ${c.failed} failed\n`),
          pollMs: Number(process.env.AICONFIG_BATCH_POLL_MS ?? 5000),
        })
      : new Map();
    for (const row of rows) {
      const answer = answers.get(`row-${row.index}`);
      await save(row, answer && !answer.error ? answer.outputs : [], answer?.error);
    }
    whole = await results.finish([model]);
    if (existsSync(stateFile)) unlinkSync(stateFile);
  } finally {
    await results.close().catch(() => {});
  }
  const last: BatchProgress = { ...progress, elapsedMs: Date.now() - started };
  process.stderr.write(summary(last, plan.expect.length, plan.out, whole));
  return batchExitCode(last, plan.expect.length, whole);
}
