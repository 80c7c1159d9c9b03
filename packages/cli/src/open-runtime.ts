/**
 * Loads an aiconfig file into a runtime with every provider registered: the
 * built-in ones, then those of a providers module (`--providers`, or
 * `aiconfig.providers.{js,mjs,ts}` beside the file).
 */
import { dirname, resolve } from "node:path";
import { AIConfigRuntime, loadEnvironment, type RuntimeOptions, secretValues } from "@aiconfig-ts/core";
import { findProvidersModule, loadProvidersModule } from "@aiconfig-ts/editor";
import { registerBuiltinProviders } from "./builtin-providers.js";
import { rememberSecrets } from "./terminal-text.js";

/** Options shared by the commands that open a file. */
export interface OpenOptions {
  /** Path of a module that registers extra providers. */
  providers?: string;
  /** Whether undefined parameters are errors (default true). */
  strict?: boolean;
  /** Write binary outputs to files. */
  outputFiles?: boolean;
}

/**
 * Opens a file for running.
 * @throws {ParseError} | {ValidationError} for a bad file; the providers module's error naming it
 */
export async function openRuntime(file: string, options: OpenOptions = {}): Promise<AIConfigRuntime> {
  const runtimeOptions: RuntimeOptions = { strict: options.strict !== false, outputFiles: options.outputFiles === true };
  const runtime = AIConfigRuntime.load(file, runtimeOptions);
  rememberSecrets(
    secretValues(
      loadEnvironment(dirname(resolve(file))),
      runtime.config.metadata.models,
      runtime.config.prompts.map((p) => p.metadata?.model),
    ),
  );
  await registerProviders(runtime, file, options.providers);
  return runtime;
}

/** Provider packages found not installed by the last {@link registerProviders} (named in errors about unknown models). */
export const missingProviderPackages: string[] = [];

/** Registers the built-in providers and the providers module (if any) on a runtime. */
export async function registerProviders(runtime: AIConfigRuntime, file: string, providersModule?: string): Promise<void> {
  missingProviderPackages.splice(0, Infinity, ...(await registerBuiltinProviders(runtime.registry)));
  const module = providersModule ?? findProvidersModule(file);
  if (module) await loadProvidersModule(module, runtime.registry);
}
