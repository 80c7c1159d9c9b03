/**
 * Batch runs: one prompt over many rows of parameters (a dataset, a grid of
 * values), on one or more models, with rows in flight at once under the
 * endpoints' rate limits. `AIConfigRuntime.runBatch` delegates here.
 *
 * Each row runs on its own overlay of the document (see `row-overlay.ts`):
 * rows never see each other's outputs, and the document keeps its own.
 * Requests wait for their endpoint's rate limit (requests and tokens per
 * minute, shared by all rows; replies' rate-limit headers slow it down), and a
 * rate-limited (429) or overloaded reply is retried, so it becomes a row's
 * error only once retries run out. Offline providers run one request at a time.
 * Scheduling is `p-queue` (rows) and `limiter` (token buckets), both loaded on
 * first use.
 *
 * @packageDocumentation
 */
import type { SharedTokenBudgets } from "./shared-token-budget.js";
import { createHash } from "#platform";
import type { AIConfigRuntime } from "../runtime.js";
import { assertNoCycle, runInDependencyOrder } from "../dependencies.js";
import { AIConfigError, RunAbortedError, UnknownPromptError } from "../errors.js";
import type { OutputUsage } from "../provider.js";
import type { ProviderRegistry } from "../registry.js";
import type { AIConfig, JSONObject, Output, Prompt } from "../types.js";
import { type ExpectCheck, type ExpectResult, runExpectCheck } from "./expect-checks.js";
import { BatchScheduler } from "./batch-scheduler.js";
import { rowOverlay } from "./row-overlay.js";

/** The rows of a batch: objects of parameter values, read as they are needed (a stream stays a stream). */
export type BatchRows = Iterable<JSONObject> | AsyncIterable<JSONObject>;

/** Rate limits of a batch, per endpoint (a provider and model), shared by all rows. */
export interface BatchRateLimit {
  /** Requests per minute, spread evenly. Default: the limit the replies' headers give, else none. */
  requestsPerMinute?: number;
  /** Tokens per minute (prompt and completion, estimated before and corrected after each request). Default: as the headers give. */
  tokensPerMinute?: number;
  /**
   * Where `tokensPerMinute` is counted when several processes share it (queue workers): a budget per
   * endpoint, in place of this process's own token bucket. Unused without `tokensPerMinute`.
   */
  sharedTokens?: SharedTokenBudgets;
  /** Retries of one request after rate-limited (429) or overloaded (5xx, 529) replies. Default 10. */
  maxRetries?: number;
}

/** Where a batch is, given to {@link BatchOptions.onProgress} after each row. */
export interface BatchProgress {
  /** Rows run (successes and failures), this run. */
  readonly done: number;
  /** Of those, rows that failed. */
  readonly failed: number;
  /** Rows skipped as already done ({@link BatchOptions.isDone}). */
  readonly skipped: number;
  /** Tokens used, as the providers report them. */
  readonly tokens: number;
  /** Requests answered 429 (each retried unless retries ran out). */
  readonly rateLimited: number;
  /** Requests retried. */
  readonly retries: number;
  /** Of the checks ({@link BatchOptions.expect}), rows whose checks all passed. */
  readonly passed: number;
  /** Time since the batch started, in ms. */
  readonly elapsedMs: number;
}

/** Options of {@link runBatch}. */
export interface BatchOptions {
  /** Rows in flight at once (each a prompt run, or a chain with `withDependencies`). Default 8. */
  concurrency?: number;
  /** Rate limits per endpoint. */
  rateLimit?: BatchRateLimit;
  /**
   * Scheduling shared with other batch runs (rate limits, what headers taught
   * them, offline models one row at a time); `rateLimit` is then the
   * scheduler's. Default: this run's own.
   */
  scheduler?: BatchScheduler;
  /** Stops the batch: no new rows start, running ones are cancelled (not yielded), and the iteration throws {@link RunAbortedError}. */
  signal?: AbortSignal;
  /** Called after each row, and after each skipped row. What it throws is ignored. */
  onProgress?: (progress: BatchProgress) => void;
  /** Run the prompts the target refers to first, per row (`runWithDependencies`). */
  withDependencies?: boolean;
  /**
   * Resolve the target prompt instead of running it: each row's result holds
   * the {@link BatchRowResult.request} its provider would send (built after the
   * prompts it refers to ran, with `withDependencies`), and no output. For
   * sending the rows another way, e.g. through a provider's batch API
   * (`aiconfig batch --via`). The rate limits apply to the dependencies only.
   */
  resolveOnly?: boolean;
  /** Run every row on each of these models (a side-by-side comparison). Default: the prompt's own model. */
  models?: readonly string[];
  /** Checks of each row's output against its columns. */
  expect?: readonly ExpectCheck[];
  /**
   * Says whether a row is already done (resuming a batch): such rows are not
   * run nor yielded. `key` is the row's {@link BatchRowResult.key}.
   */
  isDone?: (index: number, model: string, key: string) => boolean;
}

/** The result of one row on one model. */
export interface BatchRowResult {
  /** The row's position in the input, from 0. */
  readonly index: number;
  /** The model it ran on. */
  readonly model: string;
  /** The row: its parameter values. */
  readonly parameters: JSONObject;
  /**
   * A hash (hex) of the row's parameters and of the prompt (and, with
   * dependencies, the prompts it refers to), model and settings: a row whose
   * key changed is not the row that was run before.
   */
  readonly key: string;
  /** The text of its first output (`""` when it failed). */
  readonly output: string;
  /** The outputs as the file stores them (an `error` output when it failed). */
  readonly outputs: Output[];
  /** Token usage of the first output, as its provider reports it. */
  readonly usage?: OutputUsage;
  /** Time the row took, in ms, rate-limit waits and retries included. */
  readonly durationMs: number;
  /** Why it failed; absent on success. */
  readonly error?: { readonly name: string; readonly message: string };
  /** The checks' results, when {@link BatchOptions.expect} has checks. */
  readonly expect?: readonly ExpectResult[];
  /** With {@link BatchOptions.resolveOnly}: the request the target's provider would send (absent when the row failed). */
  readonly request?: unknown;
}

/** Makes the runtime a row runs on: the batch's runtime's options, over the row's document and the batch's registry. */
export type RowRuntimeFactory = (config: AIConfig, registry: ProviderRegistry) => AIConfigRuntime;

function isObject(value: unknown): value is JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The usage an output stores in `metadata.usage` with OpenAI's names
 * (`prompt_tokens`, `completion_tokens`, `total_tokens`), for providers
 * without `outputUsage`.
 */
function storedUsage(output: Output): OutputUsage | undefined {
  const usage = (output as { metadata?: { usage?: unknown } }).metadata?.usage;
  if (!isObject(usage)) return undefined;
  const n = (v: unknown) => (typeof v === "number" ? v : undefined);
  const inputTokens = n(usage.prompt_tokens);
  const outputTokens = n(usage.completion_tokens);
  const totalTokens =
    n(usage.total_tokens) ??
    (inputTokens !== undefined || outputTokens !== undefined ? (inputTokens ?? 0) + (outputTokens ?? 0) : undefined);
  if (totalTokens === undefined) return undefined;
  return { ...(inputTokens !== undefined ? { inputTokens } : {}), ...(outputTokens !== undefined ? { outputTokens } : {}), totalTokens };
}

/** A prompt without its outputs, for hashing. */
function withoutOutputs(prompt: Prompt | undefined): unknown {
  if (!prompt) return null;
  const { outputs: _outputs, ...rest } = prompt;
  return rest;
}

/** The prompts `name` refers to, directly or transitively. */
function dependencyClosure(runtime: AIConfigRuntime, name: string): string[] {
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const dep of runtime.getDependencies(n)) {
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(name);
  return [...seen];
}

/**
 * The key function of a batch's rows (see {@link BatchRowResult.key}): a hash
 * of the row's parameters and of the prompt (and, with dependencies, the
 * prompts it refers to, transitively), the model, its settings and the root
 * parameters. The prompt part is hashed once per model.
 * @param fork makes a runtime over a document (its options do not matter here)
 * @returns `(model, row) => key`, 32 hex digits
 */
export function batchRowKeys(
  runtime: AIConfigRuntime,
  promptName: string,
  withDependencies: boolean,
  fork: (config: AIConfig) => AIConfigRuntime,
): (model: string, row: JSONObject) => string {
  const promptHashes = new Map<string, string>();
  const promptHash = (model: string) => {
    let hash = promptHashes.get(model);
    if (hash === undefined) {
      const overlay = fork(rowOverlay(runtime.config, promptName, model));
      const deps = withDependencies ? dependencyClosure(overlay, promptName) : [];
      const material = JSON.stringify([
        withoutOutputs(overlay.getPrompt(promptName)),
        model,
        overlay.getSettings(promptName),
        runtime.config.metadata.parameters ?? {},
        deps.map((d) => withoutOutputs(overlay.getPrompt(d))),
      ]);
      hash = createHash("sha256").update(material).digest("hex");
      promptHashes.set(model, hash);
    }
    return hash;
  };
  return (model, row) => createHash("sha256").update(promptHash(model)).update(JSON.stringify(row)).digest("hex").slice(0, 32);
}

/**
 * Runs a prompt over rows of parameters; yields each row's result as it
 * finishes (not in input order: see {@link BatchRowResult.index}).
 * A row that fails is a result with an `error`, not a thrown error.
 * @param fork makes each row's runtime (supplied by `AIConfigRuntime.runBatch`)
 * @throws {UnknownPromptError} when there is no such prompt (before anything runs)
 * @throws {AIConfigError} for a row that is not an object, or bad options
 * @throws {RunAbortedError} when `options.signal` aborts (after the running rows stop)
 * @throws what iterating `rows` throws (e.g. a parse error of the input file)
 */
export async function* runBatch(
  runtime: AIConfigRuntime,
  promptName: string,
  rows: BatchRows,
  options: BatchOptions,
  fork: RowRuntimeFactory,
): AsyncGenerator<BatchRowResult, void, undefined> {
  if (!runtime.getPrompt(promptName))
    throw new UnknownPromptError(
      promptName,
      runtime.prompts.map((p) => p.name),
    );
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new AIConfigError(`batch concurrency must be a whole number of at least 1, not ${concurrency}`);
  const { signal, withDependencies = false, expect = [], resolveOnly = false } = options;
  const scheduler = options.scheduler ?? new BatchScheduler(options.rateLimit);
  const [{ default: PQueue }, registry] = await Promise.all([import("p-queue"), scheduler.registryFor(runtime.registry)]);
  const counters = scheduler.counters;
  const models = options.models?.length ? [...options.models] : [runtime.getModelName(promptName)];

  const keyOf = batchRowKeys(runtime, promptName, withDependencies, (config) => fork(config, registry));
  const started = Date.now();
  const progress = { done: 0, failed: 0, skipped: 0, tokens: 0, passed: 0 };
  const report = () => {
    try {
      options.onProgress?.({ ...progress, ...counters, elapsedMs: Date.now() - started });
    } catch {
      // A progress callback's failure does not stop the batch.
    }
  };

  const runRow = async (index: number, model: string, row: JSONObject, key: string): Promise<BatchRowResult | undefined> => {
    const rowStarted = Date.now();
    const rowRuntime = fork(
      rowOverlay(runtime.config, promptName, models.length > 1 || options.models?.length ? model : undefined),
      registry,
    );
    let outputs: Output[] = [];
    let error: BatchRowResult["error"];
    let request: unknown;
    try {
      if (resolveOnly) {
        if (withDependencies) {
          const references = (name: string) => rowRuntime.getDependencies(name, row);
          assertNoCycle(promptName, references);
          await runInDependencyOrder(references(promptName), references, (name) => rowRuntime.run(name, row, { signal }));
        }
        request = await rowRuntime.resolve(promptName, row);
      } else
        outputs = withDependencies
          ? await rowRuntime.runWithDependencies(promptName, row, { signal })
          : await rowRuntime.run(promptName, row, { signal });
    } catch (e) {
      if (signal?.aborted) return undefined;
      const cause = (e as { cause?: unknown }).cause;
      const err = (cause instanceof Error ? cause : e) as Error;
      error = { name: err?.name || "Error", message: (e as Error)?.message ?? String(e) };
      outputs = resolveOnly ? [] : (rowRuntime.getPrompt(promptName)?.outputs ?? []);
    }
    let output = "";
    let usage: OutputUsage | undefined;
    if (!error && !resolveOnly) {
      output = rowRuntime.getOutputText(promptName);
      try {
        usage = outputs[0] ? (rowRuntime.getProvider(promptName).outputUsage?.(outputs[0]) ?? storedUsage(outputs[0])) : undefined;
      } catch {
        usage = undefined;
      }
    }
    const checks =
      expect.length && !resolveOnly
        ? expect.map((c) =>
            error ? { column: c.column, check: c.check, pass: false, message: "the row failed" } : runExpectCheck(c, output, row),
          )
        : undefined;
    progress.done++;
    if (error) progress.failed++;
    if (checks?.every((c) => c.pass)) progress.passed++;
    const tokens = usage?.totalTokens ?? (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
    progress.tokens += tokens || 0;
    return {
      index,
      model,
      parameters: row,
      key,
      output,
      outputs,
      ...(usage ? { usage } : {}),
      durationMs: Date.now() - rowStarted,
      ...(error ? { error } : {}),
      ...(checks ? { expect: checks } : {}),
      ...(resolveOnly && !error ? { request } : {}),
    };
  };

  const queue = new PQueue({ concurrency });
  const ready: BatchRowResult[] = [];
  let failure: { error: unknown } | undefined;
  let finished = false;
  let stopped = false;
  let waiters: Array<() => void> = [];
  const changed = () => {
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };
  const nextChange = () => new Promise<void>((resolve) => waiters.push(resolve));

  const produce = async () => {
    let index = 0;
    for await (const row of rows) {
      if (signal?.aborted || stopped) break;
      if (!isObject(row)) throw new AIConfigError(`batch row ${index + 1} is not an object of parameter values`);
      for (const model of models) {
        const key = keyOf(model, row);
        if (options.isDone?.(index, model, key)) {
          progress.skipped++;
          report();
          continue;
        }
        // Read ahead no further than the rows that can run soon, and let results be consumed.
        while (queue.size + queue.pending + ready.length >= concurrency * 2 && !signal?.aborted && !stopped) await nextChange();
        if (signal?.aborted || stopped) break;
        const at = index;
        void queue.add(async () => {
          const result = await runRow(at, model, row, key);
          if (result) {
            ready.push(result);
            report();
          }
          changed();
        });
      }
      index++;
    }
    await queue.onIdle();
  };
  produce()
    .catch((error) => {
      failure = { error };
    })
    .finally(() => {
      finished = true;
      changed();
    });

  try {
    for (;;) {
      const result = ready.shift();
      if (result) {
        changed();
        yield result;
        continue;
      }
      if (finished) break;
      await nextChange();
    }
    if (failure) throw failure.error;
    if (signal?.aborted) throw new RunAbortedError(promptName);
  } finally {
    stopped = true;
    queue.clear();
    changed();
  }
}
