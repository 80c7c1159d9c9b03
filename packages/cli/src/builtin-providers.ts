/**
 * The providers the CLI registers: the provider packages of this project that
 * are installed. Each is an optional peer dependency of the CLI, so a user
 * installs only the ones they use (`npm i @aiconfig-ts/cli @aiconfig-ts/openai`).
 * `run`, `resolve` and `validate` import only the packages the file's models
 * need ({@link registerLazyProviders}); `edit` registers them all for its pickers.
 */
import type { AIConfig, ProviderRegistry } from "@aiconfig-ts/core";
import { PROVIDER_PACKAGE_ENTRIES } from "./provider-entries.js";

type ProviderPackage = { register(registry: ProviderRegistry): unknown };

/**
 * The provider packages, in registration order. The local GGUF provider is
 * registered last so that it wins for the names it serves.
 */
export const PROVIDER_PACKAGES = PROVIDER_PACKAGE_ENTRIES.map((e) => e.name);

// Literal specifiers, so that bundlers and `npm ls` see them.
const loaders: Record<string, () => Promise<ProviderPackage>> = {
  "@aiconfig-ts/openai": () => import("@aiconfig-ts/openai"),
  "@aiconfig-ts/anthropic": () => import("@aiconfig-ts/anthropic"),
  "@aiconfig-ts/gemini": () => import("@aiconfig-ts/gemini"),
  "@aiconfig-ts/huggingface": () => import("@aiconfig-ts/huggingface"),
  "@aiconfig-ts/local-speech": () => import("@aiconfig-ts/local-speech"),
  "@aiconfig-ts/local-vision": () => import("@aiconfig-ts/local-vision"),
  "@aiconfig-ts/llama": () => import("@aiconfig-ts/llama"),
};

/** Provider packages a file needed that are not installed (named in errors about unknown models). */
export const missingProviderPackages: string[] = [];

function isNotInstalled(error: unknown, name: string): boolean {
  const e = error as NodeJS.ErrnoException;
  return (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") && String(e.message).includes(name);
}

/** Imports a provider package; a package that is not installed is recorded in {@link missingProviderPackages} and registers nothing. */
async function importProviderPackage(name: string): Promise<ProviderPackage | undefined> {
  const load = loaders[name];
  if (!load) throw new Error(`no loader for provider package ${name}`);
  try {
    return await load();
  } catch (error) {
    if (!isNotInstalled(error, name)) throw error;
    if (!missingProviderPackages.includes(name)) missingProviderPackages.push(name);
    return undefined;
  }
}

/**
 * Registers the installed provider packages in a registry, importing them all.
 * @returns the names of the provider packages that are not installed
 * @throws the import error of a provider package that is installed but broken
 */
export async function registerBuiltinProviders(registry: ProviderRegistry): Promise<string[]> {
  const loaded = await Promise.all(PROVIDER_PACKAGES.map(async (name) => ({ name, pkg: await importProviderPackage(name) })));
  for (const { pkg } of loaded) pkg?.register(registry);
  return loaded.filter((l) => !l.pkg).map((l) => l.name);
}

/**
 * Registers every provider package as a lazy entry: nothing is imported until
 * `registry.loadFor(models)` asks for the packages that serve those models.
 */
export function registerLazyProviders(registry: ProviderRegistry): void {
  for (const entry of PROVIDER_PACKAGE_ENTRIES) {
    registry.registerLazy({
      ids: entry.ids,
      models: entry.models,
      servesModel: entry.pattern ? (model) => entry.pattern!.test(model) : undefined,
      load: async () => (await importProviderPackage(entry.name)) ?? { register: () => undefined },
    });
  }
}

/**
 * The model names of a file's prompts (`metadata.model` as a name or `{name}`,
 * else the root `default_model`), of the named prompts or of all.
 */
export function promptModels(config: AIConfig, promptNames?: readonly string[]): string[] {
  const models = new Set<string>();
  for (const prompt of config.prompts ?? []) {
    if (promptNames && !promptNames.includes(prompt.name)) continue;
    const model = prompt.metadata?.model;
    const name = typeof model === "string" ? model : typeof model?.name === "string" ? model.name : config.metadata?.default_model;
    if (name) models.add(name);
  }
  return [...models];
}
