import { dirname, isAbsolute, relative, resolve } from "node:path";
import {
  type AIConfigRuntime,
  isMediaOutput,
  type JSONObject,
  MissingOutputError,
  type Output,
  type Provider,
  ProviderError,
  RunAbortedError,
  UnknownPromptError,
} from "@aiconfig-ts/core";
import { openRuntime } from "../open-runtime.js";
import { readParameters } from "../parameters.js";
import { redactSecrets, safeText, streamRedactor } from "../terminal-text.js";
import { UsageError } from "../usage-error.js";

/** Exit code after Ctrl+C (128 + SIGINT), as shells report it. */
const EXIT_CANCELLED = 130;
/** How long a cancelled run may take to stop before the process exits anyway, ms. */
const CANCEL_GRACE_MS = 800;

/** Options of `aiconfig run`. */
export interface RunCommandOptions {
  prompt: string[];
  all?: boolean;
  withDependencies?: boolean;
  param: string[];
  paramsFile?: string;
  stream: boolean;
  save?: boolean;
  output?: string;
  providers?: string;
  outputFiles?: boolean;
  strict?: boolean;
  allowPath?: string[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/**
 * `aiconfig run FILE`: runs prompts (all, in file order, unless `--prompt`),
 * streaming output text to stdout and progress to stderr. The first Ctrl+C
 * cancels the run in progress, keeps the file as it was and exits with 130
 * within a second whatever the provider does; a second one exits at once.
 * With `--save`/`--output`, a failing prompt still saves the prompts that
 * finished and its own error output, then the error is thrown (exit 1).
 */
export async function runCommand(file: string, opts: RunCommandOptions): Promise<number> {
  if (opts.save && opts.output) throw new UsageError("use either --save or --output, not both");
  if (opts.all && opts.prompt.length) throw new UsageError("use either --all or --prompt, not both");
  const params = readParameters(opts.param, opts.paramsFile);
  // Only the providers of the prompts that run (all of the file's with --with-dependencies) are imported.
  const runtime = await openRuntime(file, opts, opts.prompt.length && !opts.withDependencies ? opts.prompt : undefined);
  const names = opts.prompt.length ? opts.prompt : runtime.prompts.map((p) => p.name);
  const unknown = names.find((n) => !runtime.getPrompt(n));
  if (unknown !== undefined)
    throw new UnknownPromptError(
      unknown,
      runtime.prompts.map((p) => p.name),
    );
  if (names.length === 0) {
    process.stderr.write(`${file}: no prompts to run\n`);
    return 0;
  }
  warmUpProviders(runtime, opts.withDependencies ? runtime.prompts.map((p) => p.name) : names);

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_CANCELLED); // a second Ctrl+C: at once
    process.stderr.write("\ncancelling... (Ctrl+C again to quit at once)\n");
    controller.abort();
    // A provider that ignores the abort (a socket that never answers) must not keep the process alive.
    setTimeout(() => process.exit(EXIT_CANCELLED), CANCEL_GRACE_MS).unref();
  };
  process.on("SIGINT", onSigint);
  const tty = process.stderr.isTTY;
  const progress = (line: string) => process.stderr.write(`${tty ? "\x1b[2m" : ""}${safeText(line)}${tty ? "\x1b[0m" : ""}\n`);
  let streamedNewline = true;
  let current = "";
  let streamedAny = false;
  // Model output may echo a key (a reply quoting its request): redacted on stdout too.
  let streamed = streamRedactor();
  const write = (text: string) => {
    if (!text) return;
    process.stdout.write(text);
    streamedNewline = text.endsWith("\n");
  };
  const options = {
    stream: opts.stream,
    signal: controller.signal,
    onStream: opts.stream
      ? (c: { prompt: string; delta: string; index: number }) => {
          if (c.prompt === current && c.index === 0) {
            streamedAny ||= c.delta.length > 0;
            write(streamed.push(c.delta));
          }
        }
      : undefined,
  };
  if (opts.withDependencies) {
    runtime.onEvent((e) => {
      if (e.name === "run_end" && e.prompt !== current && !e.error)
        progress(`  ran dependency ${e.prompt} (${seconds(e.durationMs ?? 0)})`);
    });
  }
  let finished = 0;
  const save = () => {
    const target = opts.output ?? file;
    runtime.save(target);
    process.stderr.write(`saved outputs to ${target}\n`);
  };
  try {
    for (const name of names) {
      current = name;
      streamedAny = false;
      const model = runtime.getModelName(name);
      const provider = runtime.getProvider(name);
      progress(`▶ ${name} (${model} on ${provider.id})`);
      const started = Date.now();
      const outputs = opts.withDependencies
        ? await runtime.runWithDependencies(name, params as JSONObject, options)
        : await runtime.run(name, params as JSONObject, options);
      finished++;
      write(streamed.end());
      streamed = streamRedactor();
      printOutputs(runtime, name, outputs, streamedAny, (text) => write(redactSecrets(text)));
      if (!streamedNewline) write("\n");
      progress(`✓ ${name} in ${seconds(Date.now() - started)}`);
    }
  } catch (error) {
    write(streamed.end());
    if (!streamedNewline) write("\n");
    if (RunAbortedError.isInstance(error)) {
      process.stderr.write(`aiconfig: ${safeText(error.message)}; ${file} was not changed\n`);
      return EXIT_CANCELLED;
    }
    // Core names the SDK's runWithDependencies: say it with this command's flags.
    if (MissingOutputError.isInstance(error) && !opts.withDependencies) {
      error.message = `${file}: prompt "${error.prompt}" uses the output of prompt "${error.reference}", which has no output yet: add --with-dependencies to run "${error.reference}" first, or store its output with \`aiconfig run ${file} --prompt ${error.reference} --save\``;
    }
    // Keep the work done: the prompts that finished and the failed prompt's error output.
    if ((opts.save || opts.output) && (finished > 0 || ProviderError.isInstance(error))) save();
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (opts.save || opts.output) save();
  return 0;
}

/**
 * Lets the providers of the prompts about to run start their slow start-up
 * now (`Provider.warmUp`, e.g. the llama provider's native engine), so that
 * it overlaps the work before their first run. A prompt whose provider is not
 * found is left for its run to report.
 */
function warmUpProviders(runtime: AIConfigRuntime, names: readonly string[]): void {
  const started = new Set<Provider>();
  for (const name of names) {
    let provider: Provider | undefined;
    try {
      provider = runtime.getProvider(name);
    } catch {
      continue;
    }
    if (started.has(provider)) continue;
    started.add(provider);
    provider.warmUp?.();
  }
}

/**
 * A stored file's path as the user can open it from where they ran the
 * command: `file_uri`s are relative to the aiconfig file's folder (e.g.
 * `multimodal.aiconfig.outputs/read_aloud.wav`), printed relative to the
 * current folder (`examples/multimodal.aiconfig.outputs/read_aloud.wav`). URLs are left as they are.
 */
function fromCurrentFolder(uri: string, configFile: string | undefined): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || !configFile) return uri;
  const path = relative(process.cwd(), resolve(dirname(configFile), uri));
  return path.startsWith("..") || isAbsolute(path) ? resolve(dirname(configFile), uri) : path;
}

/** Prints what was not streamed: whole texts (with --no-stream or a provider that does not stream) and notes for media outputs. */
function printOutputs(runtime: AIConfigRuntime, name: string, outputs: Output[], streamed: boolean, write: (t: string) => void): void {
  const prompt = runtime.getPrompt(name)!;
  outputs.forEach((output, i) => {
    if (isMediaOutput(output)) {
      const where =
        output.data.kind === "file_uri"
          ? fromCurrentFolder(output.data.value, runtime.filePath)
          : `${Math.round((output.data.value.length * 3) / 4)} bytes of base64`;
      process.stderr.write(`  ${safeText(`${output.mime_type} output: ${where}`)}\n`);
      return;
    }
    if (streamed && i === 0) return;
    const text = runtime.getOutputText(prompt, output);
    if (outputs.length > 1) write(`${i ? "\n" : ""}[${i}] `);
    write(text);
  });
}
