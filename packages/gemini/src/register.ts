/**
 * Registration of this package's providers.
 *
 * @packageDocumentation
 */
import { defaultRegistry, type ProviderRegistry } from "@aiconfig-ts/core";
import { geminiProvider } from "./gemini-provider.js";
import { PALM_NAMES, palmProvider } from "./palm-provider.js";

/**
 * Registers the Gemini provider (every `gemini-*` / `models/gemini-*` model,
 * by `servesModel`) and the retired PaLM one (its old model names and ids).
 * @param registry where to register (default: the shared default registry)
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  registry.register(palmProvider, PALM_NAMES);
  registry.register(geminiProvider);
  return registry;
}
