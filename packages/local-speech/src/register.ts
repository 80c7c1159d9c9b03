/**
 * Registers the providers of this package with a registry.
 *
 * @packageDocumentation
 */
import { defaultRegistry, type ProviderRegistry } from "@aiconfig-ts/core";
import { espeakProvider } from "./espeak-node-provider.js";
import { ESPEAK_MODELS } from "./espeak-provider.js";
import { POCKETSPHINX_MODELS, pocketsphinxProvider } from "./pocketsphinx-provider.js";

/**
 * Registers {@link espeakProvider} (models `espeak-ng`, `espeak`) and
 * {@link pocketsphinxProvider} (model `pocketsphinx`). Loads nothing: espeak-ng
 * is loaded, and the programs run, when a prompt runs.
 * @param registry where to register (default: core's shared `defaultRegistry`)
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  registry.register(espeakProvider, ESPEAK_MODELS);
  registry.register(pocketsphinxProvider, POCKETSPHINX_MODELS);
  return registry;
}
