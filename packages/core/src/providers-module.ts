/**
 * Loading a user's providers module: a JavaScript or TypeScript file that
 * registers extra providers, e.g.
 *
 * ```ts
 * // aiconfig.providers.ts
 * import type { ProviderRegistry } from "@aiconfig-ts/core";
 * export function register(registry: ProviderRegistry) {
 *   registry.register(myProvider, ["my-model"]);
 * }
 * ```
 *
 * The module exports `register(registry)` (named or default export), or a
 * default export that is a function taking the registry. It may be async.
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { recordingRegistry } from "./module-models.js";
import { AIConfigError } from "./errors.js";
import type { ProviderRegistry } from "./registry.js";

/** File names looked for beside an aiconfig file, in this order. */
export const DEFAULT_PROVIDERS_MODULES = ["aiconfig.providers.js", "aiconfig.providers.mjs", "aiconfig.providers.ts"] as const;

/** A providers module could not be loaded or did not register. The message names the module. */
export class ProvidersModuleError extends AIConfigError {
  override name = "ProvidersModuleError";
  constructor(
    readonly module: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The default providers module beside an aiconfig file: the first of
 * {@link DEFAULT_PROVIDERS_MODULES} that exists in its folder, or `undefined`.
 */
export function findProvidersModule(configFile: string): string | undefined {
  const dir = dirname(resolve(configFile));
  for (const name of DEFAULT_PROVIDERS_MODULES) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Imports a providers module and calls its `register(registry)`.
 *
 * A `.ts`, `.mts` or `.cts` module is imported through tsx's loader
 * (`tsx/esm/api`; `tsx` is an optional peer dependency, which only such a
 * module needs); a `.js`/`.mjs` one is imported directly.
 *
 * @param path the module, absolute or relative to the current directory
 * @param registry where the providers are registered (e.g. a runtime's `registry`)
 * @returns the absolute path of the module
 * @throws {ProvidersModuleError} naming the module when it is missing, fails to
 *   import (syntax error, missing dependency, throwing code, a TypeScript
 *   module without `tsx` installed), exports no
 *   `register` function, or its `register` throws.
 */
export async function loadProvidersModule(path: string, registry: ProviderRegistry): Promise<string> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ProvidersModuleError(file, `providers module ${file} does not exist: check the --providers path`);
  let mod: Record<string, unknown>;
  try {
    mod = /\.[cm]?ts$/i.test(file) ? await importTypeScript(file) : await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof ProvidersModuleError) throw error;
    throw new ProvidersModuleError(file, `providers module ${file} failed to load: ${describe(error)}`, { cause: error });
  }
  const register = pickRegister(mod);
  if (!register) {
    throw new ProvidersModuleError(
      file,
      `providers module ${file} exports no register function: export \`function register(registry) { registry.register(provider, ["model"]) }\``,
    );
  }
  try {
    await register(recordingRegistry(registry));
  } catch (error) {
    throw new ProvidersModuleError(file, `providers module ${file} failed in register(): ${describe(error)}`, { cause: error });
  }
  return file;
}

export { modelsRegisteredByModules } from "./module-models.js";

function pickRegister(mod: Record<string, unknown>, depth = 0): ((registry: ProviderRegistry) => unknown) | undefined {
  if (typeof mod.register === "function") return mod.register as (r: ProviderRegistry) => unknown;
  const def = mod.default as Record<string, unknown> | ((r: ProviderRegistry) => unknown) | undefined;
  if (typeof def === "function") return def;
  if (def && typeof def === "object" && depth < 2) {
    // A CommonJS-compiled module (a .ts file outside an ESM package) nests its exports under `default`.
    return pickRegister(def, depth + 1);
  }
  return undefined;
}

async function importTypeScript(file: string): Promise<Record<string, unknown>> {
  let tsx: { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  try {
    tsx = await import("tsx/esm/api");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    throw new ProvidersModuleError(
      file,
      `providers module ${file} is TypeScript, which needs tsx: run \`npm install tsx\`, or write the module as .js or .mjs`,
    );
  }
  return tsx.tsImport(pathToFileURL(file).href, import.meta.url);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}
