/**
 * The providers the CLI registers: the provider packages of this project that
 * are installed. Each is an optional peer dependency of the CLI, so a user
 * installs only the ones they use (`npm i @aiconfig-ts/cli @aiconfig-ts/openai`);
 * each loads its SDK only when a prompt runs on it.
 */
import type { ProviderRegistry } from "@aiconfig-ts/core";

type ProviderPackage = { register(registry: ProviderRegistry): unknown };

/**
 * The provider packages, in registration order. The local GGUF provider is
 * registered last so that it wins for the names it serves.
 */
export const PROVIDER_PACKAGES = [
  "@aiconfig-ts/openai",
  "@aiconfig-ts/anthropic",
  "@aiconfig-ts/gemini",
  "@aiconfig-ts/huggingface",
  "@aiconfig-ts/local-speech",
  "@aiconfig-ts/local-vision",
  "@aiconfig-ts/llama",
] as const;

const loaders: Record<(typeof PROVIDER_PACKAGES)[number], () => Promise<ProviderPackage>> = {
  "@aiconfig-ts/openai": () => import("@aiconfig-ts/openai"),
  "@aiconfig-ts/anthropic": () => import("@aiconfig-ts/anthropic"),
  "@aiconfig-ts/gemini": () => import("@aiconfig-ts/gemini"),
  "@aiconfig-ts/huggingface": () => import("@aiconfig-ts/huggingface"),
  "@aiconfig-ts/local-speech": () => import("@aiconfig-ts/local-speech"),
  "@aiconfig-ts/local-vision": () => import("@aiconfig-ts/local-vision"),
  "@aiconfig-ts/llama": () => import("@aiconfig-ts/llama"),
};

function isNotInstalled(error: unknown, name: string): boolean {
  const e = error as NodeJS.ErrnoException;
  return (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") && String(e.message).includes(name);
}

/**
 * Registers the installed provider packages in a registry.
 * @returns the names of the provider packages that are not installed
 * @throws the import error of a provider package that is installed but broken
 */
export async function registerBuiltinProviders(registry: ProviderRegistry): Promise<string[]> {
  const missing: string[] = [];
  const loaded = await Promise.all(
    PROVIDER_PACKAGES.map((name) =>
      loaders[name]().catch((error: unknown) => {
        if (!isNotInstalled(error, name)) throw error;
        missing.push(name);
        return undefined;
      }),
    ),
  );
  for (const pkg of loaded) pkg?.register(registry);
  return missing;
}
