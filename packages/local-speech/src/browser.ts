/**
 * `@aiconfig-ts/local-speech/browser`: the espeak-ng text-to-speech provider
 * for a browser page, its WebAssembly fetched from the site (no program, no
 * CDN). Same provider id, models, settings and output (`audio/wav`, base64
 * through `ctx.storeBinary`) as the Node entry. Speech recognition
 * (pocketsphinx, a Debian program) has no browser form.
 *
 * ```ts
 * import { registerBrowserSpeech } from "@aiconfig-ts/local-speech/browser";
 * registerBrowserSpeech(registry, { wasmUrl: new URL("offline/espeak-ng/espeak-ng.wasm", siteRoot).href });
 * ```
 *
 * @packageDocumentation
 */
import type { Provider, ProviderRegistry } from "@aiconfig-ts/core";
import { browserSynthesize } from "./espeak-engine.browser.js";
import { createEspeakProvider, ESPEAK_MODELS, type EspeakRequest } from "./espeak-provider.js";

export { EspeakError, SpeechInputError, SpeechSettingsError } from "./errors.js";
export { browserSynthesize } from "./espeak-engine.browser.js";
export { ESPEAK_MODELS, type EspeakRequest } from "./espeak-provider.js";
export { readWavInfo, type WavInfo } from "./wav.js";

/** The npm package's file of espeak-ng's WebAssembly, relative to the package `espeak-ng`'s folder. */
export const ESPEAK_WASM_FILE = "dist/espeak-ng.wasm";

/** Where the page's espeak-ng provider finds its WebAssembly. */
export interface BrowserSpeechOptions {
  /** Absolute URL of `espeak-ng.wasm` on the site's own origin. */
  wasmUrl: string;
}

/** The espeak-ng provider of a page (id `espeak`, as in Node). */
export function createBrowserEspeakProvider(options: BrowserSpeechOptions): Provider<EspeakRequest> {
  return createEspeakProvider(
    browserSynthesize(options.wasmUrl),
    "Text-to-speech in this browser tab with espeak-ng (WebAssembly): the prompt's text as a WAV file",
  );
}

/**
 * Registers {@link createBrowserEspeakProvider} for the models `espeak-ng` and `espeak`.
 * @returns the registry
 */
export function registerBrowserSpeech(registry: ProviderRegistry, options: BrowserSpeechOptions): ProviderRegistry {
  return registry.register(createBrowserEspeakProvider(options), ESPEAK_MODELS);
}
