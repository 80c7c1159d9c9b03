/**
 * The providers the CLI registers: every provider package of this project.
 * Each package loads its SDK only when a prompt runs on it.
 */
import type { ProviderRegistry } from "@aiconfig-ts/core";

type ProviderPackage = { register(registry: ProviderRegistry): unknown };

/**
 * Registers the built-in providers in a registry. The local GGUF provider is
 * registered last so that it wins for the names it serves.
 */
export async function registerBuiltinProviders(registry: ProviderRegistry): Promise<void> {
  const packages: ProviderPackage[] = await Promise.all([
    import("@aiconfig-ts/openai"),
    import("@aiconfig-ts/anthropic"),
    import("@aiconfig-ts/gemini"),
    import("@aiconfig-ts/huggingface"),
    import("@aiconfig-ts/local-speech"),
    import("@aiconfig-ts/local-vision"),
    import("@aiconfig-ts/llama"),
  ]);
  for (const pkg of packages) if (typeof pkg.register === "function") pkg.register(registry);
}
