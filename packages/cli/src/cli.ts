/**
 * The `aiconfig` command: run, resolve, validate and edit aiconfig files.
 *
 * Exit codes: 0 success; 1 a file is invalid or a prompt failed; 2 a usage
 * mistake (unknown option, missing argument); 130 cancelled with Ctrl+C.
 * Output text goes to stdout; progress and errors go to stderr, one line per
 * error (set `AICONFIG_DEBUG=1` for stack traces).
 *
 * Start-up: this file imports only commander. Each command's module (and so
 * core, the providers and the editor) is imported in its action, so `--help`
 * and a mistyped flag cost no more than commander; add new commands the same way.
 */
import { Command, CommanderError, Option } from "commander";
import { registerExportCommand } from "./commands/export.js";
import { registerBatchCommands } from "./commands/register-batch.js";
import { registerServeCommand } from "./commands/serve.js";
import { warmUpLocalModelEarly } from "./early-warm-up.js";
import { EXIT } from "./exit-codes.js";
import { emptyRepeatablesBeforeActions, repeatable } from "./repeatable-option.js";
import { UsageError } from "./usage-error.js";

export { EXIT } from "./exit-codes.js";

/** Builds the commander program; each action sets `result.code`. */
function program(result: { code: number }): Command {
  const cli = new Command("aiconfig")
    .description(
      "Run, resolve, validate and edit AIConfig files (prompts, models, settings and outputs as JSON or YAML); run a prompt over a dataset (batch), host a notebook (serve) or publish it as a static site (export).",
    )
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  emptyRepeatablesBeforeActions(cli);

  cli
    .command("run")
    .description("Run prompts of FILE and stream their output text to stdout (all prompts, in order, unless --prompt is given).")
    .argument("<file>", "aiconfig file (.json, .yaml, .yml)")
    .addOption(repeatable("--prompt <name>", "prompt to run (repeatable)"))
    .option("--all", "run every prompt, in file order (the default when no --prompt is given)")
    .option("--with-dependencies", "first run the prompts that the chosen prompts refer to ({{name.output}})")
    .addOption(repeatable("-p, --param <key=value>", "parameter value, winning over the file's (repeatable)"))
    .option("--params-file <file.json>", "JSON object of parameter values")
    .option("--no-stream", "print each output when it is complete instead of streaming")
    .option("--save", "save the outputs back into FILE")
    .option("--output <out>", "save the file with its new outputs to OUT (JSON or YAML by extension)")
    .option(
      "--providers <module>",
      "JS/TS module that registers extra providers (default: aiconfig.providers.{js,mjs,ts} beside FILE, if you trusted its folder with `aiconfig trust`)",
    )
    .option("--output-files", "write audio and image outputs to files beside FILE instead of base64 in it")
    .option("--no-strict", "render undefined parameters as empty text instead of failing")
    .addOption(repeatable("--allow-path <dir>", "also read attachments from DIR (default: only inside FILE's folder; repeatable)"))
    .addOption(
      repeatable(
        "--allow-endpoint <host>",
        "let your keys go to HOST (host or host:port) even when the file or its .env chose it, and attachments be fetched from HOST even when it is this machine or a private network (repeatable)",
      ),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  aiconfig run examples/story.aiconfig.json\n  aiconfig run travel.aiconfig.json --prompt gen_itinerary --with-dependencies -p city=Paris --save",
    )
    .action(async (file: string, opts) => {
      allowEndpoints(opts.allowEndpoint);
      // A file on the local model: its engine starts first; core's import and the file's work overlap its binary test.
      await warmUpLocalModelEarly(file);
      const { runCommand } = await import("./commands/run.js");
      result.code = await runCommand(file, opts);
    });

  cli
    .command("resolve")
    .description("Print, as JSON, the request the prompt's provider would send, without sending anything.")
    .argument("<file>", "aiconfig file")
    .requiredOption("--prompt <name>", "prompt to resolve (required)")
    .addOption(repeatable("-p, --param <key=value>", "parameter value (repeatable)"))
    .option("--params-file <file.json>", "JSON object of parameter values")
    .option("--providers <module>", "JS/TS module that registers extra providers")
    .option("--no-strict", "render undefined parameters as empty text instead of failing")
    .addOption(repeatable("--allow-path <dir>", "also read attachments from DIR (default: only inside FILE's folder; repeatable)"))
    .action(async (file: string, opts) => {
      const { resolveCommand } = await import("./commands/resolve.js");
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
      const { validateCommand } = await import("./commands/validate.js");
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
    .addOption(
      repeatable(
        "--allow-endpoint <host>",
        "let your keys go to HOST (host or host:port) even when the file or its .env chose it, and attachments be fetched from HOST even when it is this machine or a private network (repeatable)",
      ),
    )
    .action(async (file: string, opts) => {
      allowEndpoints(opts.allowEndpoint);
      const { editCommand } = await import("./commands/edit.js");
      result.code = await editCommand(file, opts);
    });

  cli
    .command("trust")
    .description(
      "Trust a folder: runs of files in it may import its aiconfig.providers.{js,mjs,ts} (code); other folders' modules are never imported unless named with --providers.",
    )
    .argument("[dir]", "folder to trust (default: the current folder)")
    .option("--list", "list the trusted folders")
    .option("--remove", "stop trusting DIR")
    .addHelpText("after", "\nThe list is kept in $XDG_CONFIG_HOME/aiconfig-ts/trusted.json (default ~/.config/aiconfig-ts/trusted.json).")
    .action(async (dir: string | undefined, opts) => {
      const { trustCommand } = await import("./commands/trust.js");
      result.code = await trustCommand(dir, opts);
    });

  registerServeCommand(cli, result);
  registerExportCommand(cli, result);
  registerBatchCommands(cli, result);
  return cli;
}

/**
 * Adds the hosts of `--allow-endpoint` to `AICONFIG_ALLOW_ENDPOINTS` of this
 * process, where core's `readCredential` reads the endpoints the user allows
 * a key to go to, and core's runtime the hosts attachment URLs may be fetched
 * from even when private (a flag is as trusted as the environment).
 */
function allowEndpoints(hosts: readonly string[] | undefined): void {
  if (!hosts?.length) return;
  const current = process.env.AICONFIG_ALLOW_ENDPOINTS;
  process.env.AICONFIG_ALLOW_ENDPOINTS = [...(current ? [current] : []), ...hosts].join(",");
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
    // Help, version and usage mistakes are commander's: answered without importing core.
    if (error instanceof CommanderError) return commanderExitCode(error);
    const { reportError } = await import("./report-error.js");
    return reportError(error);
  }
}

/** The exit code of commander's own exits: 0 for help and version, 2 for a usage mistake. */
export function commanderExitCode(error: CommanderError): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
  return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
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
