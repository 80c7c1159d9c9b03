/**
 * Registers the provider of this package with a registry.
 *
 * @packageDocumentation
 */
import { defaultRegistry, type ProviderRegistry } from "@aiconfig-ts/core";
import { tesseractProvider } from "./ocr-node-provider.js";
import { OCR_MODELS } from "./ocr-provider.js";

/**
 * Registers {@link tesseractProvider} for the models `tesseract`,
 * `tesseract.js` and `ocr`. Loads nothing: tesseract.js starts when a prompt runs.
 * @param registry where to register (default: core's shared `defaultRegistry`)
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  return registry.register(tesseractProvider, OCR_MODELS);
}
