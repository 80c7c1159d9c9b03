/**
 * Loads an aiconfig file into a runtime with its providers registered: the
 * built-in provider packages its prompts' models need, and the providers of a
 * providers module (`--providers`, or `aiconfig.providers.{js,mjs,ts}` beside
 * the file when its folder is trusted, see core's `chooseProvidersModule`).
 */
import { dirname, resolve } from "node:path";
import {
  AIConfigRuntime,
  chooseProvidersModule,
  formatProblem,
  loadEnvironment,
  loadProvidersModule,
  type RuntimeOptions,
  secretValues,
} from "@aiconfig-ts/core";
import { promptModels, registerLazyProviders } from "./builtin-providers.js";
import { rememberSecrets, safeText } from "./terminal-text.js";

/** Options shared by the commands that open a file. */
export interface OpenOptions {
  /** Path of a module that registers extra providers. */
  providers?: string;
  /** Whether undefined parameters are errors (default true). */
  strict?: boolean;
  /** Write binary outputs to files. */
  outputFiles?: boolean;
  /** Folders (`--allow-path`) attachments may also be read from; default only the file's folder. */
  allowPath?: string[];
  /**
   * Whether the command runs prompts: then a providers module beside the file
   * is imported when its folder is trusted (`aiconfig trust`). `false` for
   * commands that only read (resolve): they never import a folder's code. Default `true`.
   */
  runsCode?: boolean;
}

/**
 * Opens a file for running.
 * @param prompts the prompts whose providers to import (default: every prompt's)
 * @throws {ParseError} | {ValidationError} for a bad file; the providers module's error naming it
 */
export async function openRuntime(file: string, options: OpenOptions = {}, prompts?: readonly string[]): Promise<AIConfigRuntime> {
  const runtimeOptions: RuntimeOptions = {
    strict: options.strict !== false,
    outputFiles: options.outputFiles === true,
    // What loading accepts but the user should know (a repeated prompt name): one located line on stderr.
    onWarning: (warning) => process.stderr.write(`warning: ${safeText(formatProblem(warning))}\n`),
    allowPaths: options.allowPath ?? [],
  };
  const runtime = AIConfigRuntime.load(file, runtimeOptions);
  rememberSecrets(
    secretValues(
      loadEnvironment(dirname(resolve(file))),
      runtime.config.metadata.models,
      runtime.config.prompts.map((p) => p.metadata?.model),
    ),
  );
  await registerProviders(runtime, file, options.providers, prompts, options.runsCode !== false);
  return runtime;
}

/**
 * Registers on a runtime the providers module (if any: named, or beside the
 * file in a trusted folder when `runsCode`) and the built-in provider
 * packages that the prompts' models need (imported now, the others never).
 * A module found beside the file and not imported gives one line on stderr.
 * @param prompts the prompts whose providers to import (default: every prompt's)
 * @param runsCode whether the command runs prompts (`false`: never import a folder's code)
 */
export async function registerProviders(
  runtime: AIConfigRuntime,
  file: string,
  providersModule?: string,
  prompts?: readonly string[],
  runsCode = true,
): Promise<void> {
  registerLazyProviders(runtime.registry);
  // The one trust decision (core's): named modules load; a folder's own only when trusted and running.
  const choice = chooseProvidersModule(file, { named: providersModule, runsCode });
  if (choice.notice) process.stderr.write(`aiconfig: ${safeText(choice.notice)}\n`);
  if (choice.module) await loadProvidersModule(choice.module, runtime.registry);
  await runtime.registry.loadFor(promptModels(runtime.config, prompts), runtime.config.metadata.model_parsers);
}
