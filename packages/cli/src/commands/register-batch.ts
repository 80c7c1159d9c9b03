/**
 * Registers `aiconfig batch` and `aiconfig worker` on the program. Imports only
 * commander: each command's module is imported in its action (start-up stays cheap).
 *
 * @packageDocumentation
 */
import type { Command } from "commander";
import { repeatable } from "../repeatable-option.js";

/** Adds the `batch` and `worker` commands; each action sets `result.code`. */
export function registerBatchCommands(cli: Command, result: { code: number }): void {
  cli
    .command("batch")
    .description(
      "Run a prompt over every row of a dataset or every combination of a grid of parameters, on one or more models, under rate limits; write each row's result as it finishes.",
    )
    .argument("<file>", "aiconfig file")
    .requiredOption("--prompt <name>", "prompt to run for each row")
    .option("--input <rows>", "rows of parameter values: .jsonl, .csv (header line of names) or .json (array of objects)")
    .addOption(
      repeatable("--grid <key=v1,v2>", "run every combination of these values (repeatable; with --input, each row with each combination)"),
    )
    .option("--with-dependencies", "run the prompts it refers to ({{name.output}}) first, for each row")
    .addOption(repeatable("--model <name>", "run every row on this model (repeatable: a side-by-side comparison)"))
    .option("--concurrency <n>", "rows in flight at once (default 8; an offline model runs one at a time)")
    .option("--rpm <n>", "requests per minute per model endpoint (default: what the provider's rate-limit headers say)")
    .option(
      "--tpm <n>",
      "tokens per minute per model endpoint, shared by all workers with --queue (default: what the provider's rate-limit headers say)",
    )
    .option("--out <results>", "results file, .jsonl or .csv, in input order (default: JSON Lines on stdout as rows finish)")
    .option("--resume", "continue the batch of --out: rows already done with the same prompt, model and settings are not run again")
    .addOption(
      repeatable(
        "--expect <column[:check]>",
        "check each output against the row's COLUMN: equals (default), contains, regex, json, json-schema (repeatable)",
      ),
    )
    .option(
      "--queue <redis-url>",
      "put the rows on a job queue (redis://HOST:PORT) for `aiconfig worker` processes, and collect their results",
    )
    .option(
      "--via <api>",
      "openai-batch or anthropic-batch: send the rows through the provider's batch API, at half the price of one request per row, results within 24 h (--resume picks the batch up again)",
    )
    .option("--providers <module>", "JS/TS module that registers extra providers")
    .option("--no-strict", "render undefined parameters as empty text instead of failing")
    .addHelpText(
      "after",
      "\nExamples:\n  aiconfig batch story.aiconfig.json --prompt story --grid animal=cat,dog --grid color=red,blue --out results.csv\n  aiconfig batch eval.aiconfig.json --prompt answer --input questions.jsonl --expect answer:contains --model gpt-4o-mini --model gpt-4o --out results.jsonl\n  aiconfig batch eval.aiconfig.json --prompt answer --input questions.jsonl --via openai-batch --out results.jsonl   # half price, within 24 h",
    )
    .action(async (file: string, opts) => {
      const { batchCommand } = await import("./batch.js");
      result.code = await batchCommand(file, opts);
    });

  cli
    .command("worker")
    .description(
      "Run the rows that `aiconfig batch --queue URL` puts on the job queue, with this machine's providers and API keys, until stopped.",
    )
    .requiredOption("--queue <redis-url>", "the job queue, redis://HOST:PORT")
    .option("--concurrency <n>", "rows this worker runs at once (default 8)")
    .option("--lock-ms <ms>", "how soon a killed worker's rows are taken over by another worker, in ms (default 30000)")
    .option("--providers <module>", "JS/TS module that registers extra providers")
    .action(async (opts) => {
      const { workerCommand } = await import("./worker.js");
      result.code = await workerCommand(opts);
    });
}
