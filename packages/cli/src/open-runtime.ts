/**
 * Loads an aiconfig file into a runtime with its providers registered: the
 * built-in provider packages its prompts' models need, and the providers of a
 * providers module (`--providers`, or `aiconfig.providers.{js,mjs,ts}` beside
 * the file).
 */
import { dirname, resolve } from "node:path";
import {
  AIConfigRuntime,
  findProvidersModule,
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
  await registerProviders(runtime, file, options.providers, prompts);
  return runtime;
}

/**
 * Registers on a runtime the providers module (if any) and the built-in
 * provider packages that the prompts' models need (imported now, the others never).
 * @param prompts the prompts whose providers to import (default: every prompt's)
 */
export async function registerProviders(
  runtime: AIConfigRuntime,
  file: string,
  providersModule?: string,
  prompts?: readonly string[],
): Promise<void> {
  registerLazyProviders(runtime.registry);
  const module = providersModule ?? findProvidersModule(file);
  if (module) await loadProvidersModule(module, runtime.registry);
  await runtime.registry.loadFor(promptModels(runtime.config, prompts), runtime.config.metadata.model_parsers);
}
