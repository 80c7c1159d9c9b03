/**
 * `aiconfig batch FILE --prompt NAME`: runs a prompt over the rows of a
 * dataset (`--input`) or a grid of parameter values (`--grid`), on one or more
 * models, with rows in flight at once under rate limits; writes each row's
 * result as it finishes; resumes a killed batch. With `--queue` the rows go
 * to a job queue that `aiconfig worker` processes run (see `worker.ts`).
 *
 * @packageDocumentation
 */
import { setMaxListeners } from "node:events";
import {
  type BatchProgress,
  type BatchRowResult,
  type ExpectCheck,
  type JSONObject,
  parseExpectCheck,
  RunAbortedError,
} from "@aiconfig-ts/core";
import { countRows, crossRows, type GridAxis, gridRows, gridSize, parseGridAxis, readRows, rowsFormat } from "../batch/batch-rows.js";
import { batchExitCode, progressDisplay, summary } from "../batch/batch-progress.js";
import { ResultsFile, type ResultsTally, toRecord } from "../batch/results-file.js";
import { openRuntime } from "../open-runtime.js";
import { UsageError } from "../usage-error.js";

/** Options of `aiconfig batch`. */
export interface BatchCommandOptions {
  prompt: string;
  input?: string;
  grid: string[];
  withDependencies?: boolean;
  model: string[];
  concurrency?: string;
  rpm?: string;
  tpm?: string;
  out?: string;
  resume?: boolean;
  expect: string[];
  providers?: string;
  strict?: boolean;
  queue?: string;
  via?: string;
}

/** A positive whole number from a flag. @throws {UsageError} */
export function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: must be a whole number of at least 1`);
  return n;
}

/** What a batch runs, read from the flags (shared by the local, queue and provider-batch modes). */
export interface BatchPlan {
  file: string;
  prompt: string;
  rows: () => AsyncIterable<JSONObject> | Iterable<JSONObject>;
  /** Rows (before models), when known without reading the input. */
  total: () => Promise<number | undefined>;
  axes: GridAxis[];
  expect: ExpectCheck[];
  out: string | undefined;
}

/**
 * Reads the flags common to every mode.
 * @throws {UsageError} for a missing or contradictory flag
 */
export function batchPlan(file: string, opts: BatchCommandOptions): BatchPlan {
  if (!opts.input && opts.grid.length === 0)
    throw new UsageError("give the rows: --input rows.jsonl|rows.csv|rows.json, or --grid KEY=V1,V2 (repeatable)");
  if (opts.input) rowsFormat(opts.input);
  if (opts.resume && !opts.out) throw new UsageError("--resume needs --out FILE: the results file to continue");
  if (opts.out && !/\.(jsonl|ndjson|csv)$/i.test(opts.out)) throw new UsageError(`--out ${opts.out}: use a .jsonl or .csv file`);
  const axes = opts.grid.map(parseGridAxis);
  const expect = opts.expect.map((spec) => {
    try {
      return parseExpectCheck(spec);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  const input = opts.input;
  return {
    file,
    prompt: opts.prompt,
    axes,
    expect,
    out: opts.out,
    rows: () => (input ? (axes.length ? crossRows(readRows(input), axes) : readRows(input)) : gridRows(axes)),
    total: async () => (input ? (await countRows(input)) * gridSize(axes) : gridSize(axes)),
  };
}

/**
 * `aiconfig batch`.
 * Exit codes: 0 every row ran (and passed its checks); 1 a row failed or a
 * check did not pass; 2 a usage mistake; 130 stopped with Ctrl+C (finished
 * rows are kept; `--resume` continues).
 */
export async function batchCommand(file: string, opts: BatchCommandOptions): Promise<number> {
  const plan = batchPlan(file, opts);
  const concurrency = positiveInteger("--concurrency", opts.concurrency);
  const rpm = positiveInteger("--rpm", opts.rpm);
  const tpm = positiveInteger("--tpm", opts.tpm);
  if (opts.queue && opts.via) throw new UsageError("use either --queue or --via, not both");
  if (opts.via) {
    const { providerBatchCommand } = await import("../batch/provider-batch.js");
    return providerBatchCommand(plan, opts);
  }
  if (opts.queue) {
    if (concurrency !== undefined)
      throw new UsageError("--concurrency is each worker's with --queue: give it to `aiconfig worker --concurrency N`");
    const { queueBatchCommand } = await import("../batch/queue-batch.js");
    return queueBatchCommand(plan, opts, { rpm, tpm });
  }
  const runtime = await openRuntime(file, opts);
  if (!runtime.getPrompt(opts.prompt)) {
    runtime.getSettings(opts.prompt); // throws UnknownPromptError, naming the prompts
  }
  const models = opts.model.length ? opts.model : [runtime.getModelName(opts.prompt)];
  await runtime.registry.loadFor(models, runtime.config.metadata.model_parsers);
  for (const model of models) runtime.registry.forModel(model, runtime.config.metadata.model_parsers, opts.prompt);

  const results = plan.out ? await ResultsFile.open(plan.out, opts.resume === true) : undefined;
  if (results?.doneCount) process.stderr.write(`resuming ${plan.out}: ${results.doneCount} rows already done\n`);
  const rowsTotal = await plan.total();
  const display = await progressDisplay(rowsTotal === undefined ? undefined : rowsTotal * models.length);
  const controller = new AbortController();
  // Every row in flight listens to this one signal.
  setMaxListeners(0, controller.signal);
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let last: BatchProgress = { done: 0, failed: 0, skipped: 0, tokens: 0, rateLimited: 0, retries: 0, passed: 0, elapsedMs: 0 };
  let stopped = false;
  try {
    const batch = runtime.runBatch(opts.prompt, plan.rows(), {
      concurrency,
      rateLimit: { requestsPerMinute: rpm, tokensPerMinute: tpm },
      signal: controller.signal,
      withDependencies: opts.withDependencies === true,
      models,
      expect: plan.expect,
      isDone: results ? (index, model, key) => results.isDone(index, model, key) : undefined,
      onProgress: (p) => {
        last = p;
        display.update(p);
      },
    });
    for await (const result of batch) await deliver(result, results);
  } catch (error) {
    if (!(error instanceof RunAbortedError)) {
      display.stop();
      await results?.close();
      throw error;
    }
    stopped = true;
  } finally {
    process.off("SIGINT", onSigint);
  }
  display.stop();
  if (stopped) {
    await results?.close();
    process.stderr.write(`\nstopped: ${last.done} rows saved${results ? ` in ${results.journal}; continue with --resume` : ""}\n`);
    return 130;
  }
  let whole: ResultsTally | undefined;
  if (results) whole = await results.finish(models);
  process.stderr.write(summary(last, plan.expect.length, plan.out, whole));
  return batchExitCode(last, plan.expect.length, whole);
}

/** Writes a result: to the results file (not waiting for the fsync unless many are waiting), else as a line on stdout. */
async function deliver(result: BatchRowResult, results: ResultsFile | undefined): Promise<void> {
  if (!results) {
    process.stdout.write(`${JSON.stringify(toRecord(result))}\n`);
    return;
  }
  const written = results.append(result);
  if (results.backlog > 256) await written;
  else written.catch(() => {});
}
