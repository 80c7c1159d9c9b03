/**
 * `@aiconfig-ts/local-speech/browser`: the espeak-ng text-to-speech provider
 * for a browser page, its WebAssembly fetched from the site (no program, no
 * CDN). Same provider id, models, settings and output (`audio/wav`, base64
 * through `ctx.storeBinary`) as the Node entry. Speech recognition
 * (pocketsphinx, a Debian program) has no browser form.
 *
 * ```ts
 * import { registerBrowserSpeech } from "@aiconfig-ts/local-speech/browser";
 * registerBrowserSpeech(registry, {
 *   scriptUrl: new URL("offline/espeak-ng/espeak-ng.js", siteRoot).href,
 *   wasmUrl: new URL("offline/espeak-ng/espeak-ng.wasm", siteRoot).href, // or () => a blob: URL of decompressed bytes
 *   dictionaries: ["en"], // what a trimmed copy holds (trimmedEspeakWasm in Node)
 * });
 * ```
 *
 * @packageDocumentation
 */
import type { Provider, ProviderRegistry } from "@aiconfig-ts/core";
import { browserSynthesize, type EspeakUrls } from "./espeak-engine.browser.js";
import { createEspeakProvider, ESPEAK_MODELS, type EspeakRequest } from "./espeak-provider.js";

export { EspeakError, SpeechInputError, SpeechSettingsError } from "./errors.js";
export { browserSynthesize, type EspeakUrls } from "./espeak-engine.browser.js";
export { ESPEAK_MODELS, type EspeakRequest } from "./espeak-provider.js";
export { readWavInfo, type WavInfo } from "./wav.js";

/**
 * Where the page's espeak-ng provider finds its files: absolute URLs of `espeak-ng.js` and `espeak-ng.wasm`
 * on the site's own origin (or a function giving the latter), and the dictionaries a trimmed `espeak-ng.wasm` holds.
 */
export type BrowserSpeechOptions = EspeakUrls;

/** The espeak-ng provider of a page (id `espeak`, as in Node). */
export function createBrowserEspeakProvider(options: BrowserSpeechOptions): Provider<EspeakRequest> {
  return createEspeakProvider(
    browserSynthesize(options),
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
