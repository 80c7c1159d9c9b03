/**
 * `@aiconfig-ts/local-vision/browser`: the OCR provider for a browser page,
 * tesseract.js's worker, core and language data fetched from the site (no
 * CDN). Same provider id, models, settings and output as the Node entry.
 *
 * ```ts
 * import { registerBrowserVision } from "@aiconfig-ts/local-vision/browser";
 * registerBrowserVision(registry, { workerUrl, coreUrl, langUrl });
 * ```
 *
 * @packageDocumentation
 */
import type { Provider, ProviderRegistry } from "@aiconfig-ts/core";
import { type BrowserOcrAssets, browserRecognizeText } from "./ocr-engine.browser.js";
import { createOcrProvider, OCR_MODELS, type OcrRequest } from "./ocr-provider.js";

export { OcrError, OcrInputError, OcrSettingsError } from "./errors.js";
export { type BrowserOcrAssets, browserRecognizeText } from "./ocr-engine.browser.js";
export { OCR_MODELS, type OcrRequest } from "./ocr-provider.js";

/** The OCR provider of a page (id `tesseract`, as in Node). */
export function createBrowserOcrProvider(assets: BrowserOcrAssets): Provider<OcrRequest> {
  return createOcrProvider(browserRecognizeText(assets), "OCR in this browser tab with tesseract.js: the text of the prompt's image");
}

/**
 * Registers {@link createBrowserOcrProvider} for the models `tesseract`, `tesseract.js` and `ocr`.
 * @returns the registry
 */
export function registerBrowserVision(registry: ProviderRegistry, assets: BrowserOcrAssets): ProviderRegistry {
  return registry.register(createBrowserOcrProvider(assets), OCR_MODELS);
}
