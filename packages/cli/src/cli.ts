/**
 * The `aiconfig` command: run, resolve, validate and edit aiconfig files.
 *
 * Exit codes: 0 success; 1 a file is invalid or a prompt failed; 2 a usage
 * mistake (unknown option, missing argument); 130 cancelled with Ctrl+C.
 * Output text goes to stdout; progress and errors go to stderr, one line per
 * error (set `AICONFIG_DEBUG=1` for stack traces).
 */
import { AIConfigError, UnknownModelError } from "@aiconfig-ts/core";
import { inspect } from "node:util";
import { Command, CommanderError, Option } from "commander";
import { editCommand } from "./commands/edit.js";
import { resolveCommand } from "./commands/resolve.js";
import { runCommand } from "./commands/run.js";
import { validateCommand } from "./commands/validate.js";
import { missingProviderPackages } from "./open-runtime.js";
import { safeText } from "./terminal-text.js";
import { UsageError } from "./usage-error.js";

/** Exit codes of the command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

const collect = (value: string, previous: string[]) => [...previous, value];

/** Builds the commander program; each action sets `result.code`. */
function program(result: { code: number }): Command {
  const cli = new Command("aiconfig")
    .description("Run, resolve, validate and edit AIConfig files (prompts, models, settings and outputs as JSON or YAML).")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  cli
    .command("run")
    .description("Run prompts of FILE and stream their output text to stdout (all prompts, in order, unless --prompt is given).")
    .argument("<file>", "aiconfig file (.json, .yaml, .yml)")
    .option("--prompt <name>", "prompt to run (repeatable)", collect, [])
    .option("--all", "run every prompt, in file order (the default when no --prompt is given)")
    .option("--with-dependencies", "first run the prompts that the chosen prompts refer to ({{name.output}})")
    .option("-p, --param <key=value>", "parameter value, winning over the file's (repeatable)", collect, [])
    .option("--params-file <file.json>", "JSON object of parameter values")
    .option("--no-stream", "print each output when it is complete instead of streaming")
    .option("--save", "save the outputs back into FILE")
    .option("--output <out>", "save the file with its new outputs to OUT (JSON or YAML by extension)")
    .option("--providers <module>", "JS/TS module that registers extra providers (default: aiconfig.providers.{js,mjs,ts} beside FILE)")
    .option("--output-files", "write audio and image outputs to files beside FILE instead of base64 in it")
    .option("--no-strict", "render undefined parameters as empty text instead of failing")
    .addHelpText(
      "after",
      "\nExamples:\n  aiconfig run examples/story.aiconfig.json\n  aiconfig run travel.aiconfig.json --prompt gen_itinerary --with-dependencies -p city=Paris --save",
    )
    .action(async (file: string, opts) => {
      result.code = await runCommand(file, opts);
    });

  cli
    .command("resolve")
    .description("Print, as JSON, the request the prompt's provider would send, without sending anything.")
    .argument("<file>", "aiconfig file")
    .requiredOption("--prompt <name>", "prompt to resolve")
    .option("-p, --param <key=value>", "parameter value (repeatable)", collect, [])
    .option("--params-file <file.json>", "JSON object of parameter values")
    .option("--providers <module>", "JS/TS module that registers extra providers")
    .option("--no-strict", "render undefined parameters as empty text instead of failing")
    .action(async (file: string, opts) => {
      result.code = await resolveCommand(file, opts);
    });

  cli
    .command("validate")
    .description(
      "Check files against the AIConfig schema and the providers' settings; print FILE:LINE:COL: message (at /json/pointer) per problem.",
    )
    .argument("<files...>", "aiconfig files")
    .option("--providers <module>", "JS/TS module that registers extra providers")
    .action(async (files: string[], opts) => {
      result.code = await validateCommand(files, opts);
    });

  cli
    .command("edit")
    .description("Open FILE in the AI Workbook, a notebook editor in your browser (FILE is created when missing).")
    .argument("<file>", "aiconfig file")
    .addOption(
      new Option("--port <n>", "port to listen on (default: a free one)").argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${v}: must be a whole number from 0 to 65535`);
        return n;
      }),
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--no-open", "do not open a browser")
    .option("--read-only", "serve the notebook without editing or running")
    .option("--providers <module>", "JS/TS module that registers extra providers")
    .action(async (file: string, opts) => {
      result.code = await editCommand(file, opts);
    });

  return cli;
}

/**
 * Runs the command with the given arguments (without `node` and the script).
 * @returns the exit code
 */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const result = { code: EXIT.ok as number };
  const cli = program(result);
  try {
    if (argv.length === 0) {
      cli.outputHelp({ error: true });
      return EXIT.usage;
    }
    await cli.parseAsync(argv, { from: "user" });
    return result.code;
  } catch (error) {
    return reportError(error);
  }
}

/** Prints an error for a person (one line per problem, no stack) and returns its exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (process.env.AICONFIG_DEBUG) process.stderr.write(`${safeText(inspect(error))}\n`);
  if (error instanceof UsageError) {
    process.stderr.write(`aiconfig: ${safeText(error.message)}\n`);
    return EXIT.usage;
  }
  if (error instanceof AIConfigError) {
    const hint =
      error instanceof UnknownModelError && missingProviderPackages.length ? ` (not installed: ${missingProviderPackages.join(", ")})` : "";
    process.stderr.write(`aiconfig: ${safeText(error.message)}${hint}\n`);
    return EXIT.failed;
  }
  const e = error as NodeJS.ErrnoException;
  process.stderr.write(`aiconfig: ${safeText(e?.message ?? String(error))}\n`);
  return EXIT.failed;
}

let pipeWatched = false;

/**
 * `aiconfig run ... | head -1`: when the reader of stdout goes away, writing
 * fails with EPIPE; the command then exits quietly (status 0) instead of
 * crashing with a stack trace.
 */
function quietOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(EXIT.ok);
      throw error;
    });
  }
}
