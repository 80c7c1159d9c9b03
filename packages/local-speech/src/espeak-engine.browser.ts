/**
 * Runs espeak-ng, compiled to WebAssembly (the npm package `espeak-ng`), in
 * a browser page: the package's JavaScript (`scriptUrl`) and WebAssembly
 * (`wasmUrl`, 18 MB, voices and dictionaries included) are fetched from the
 * site's own origin (never a CDN), the module compiled once per page and
 * kept; each call runs a fresh instance (`espeak-wasm.ts`), as in Node. The
 * JavaScript is imported at run time, not bundled into the page: it names its
 * WebAssembly with `new URL("espeak-ng.wasm", import.meta.url)`, which a
 * bundler would copy into the page's own files.
 *
 * @packageDocumentation
 */
import { EspeakError } from "./errors.js";
import type { EspeakSettings } from "./espeak-settings.js";
import { type CompiledEspeak, type EspeakFactory, synthesizeWith } from "./espeak-wasm.js";

const compiled = new Map<string, Promise<CompiledEspeak>>();

/** Where the page's espeak-ng is (absolute URLs on the site's own origin). */
export interface EspeakUrls {
  /** `espeak-ng.js`, the package's module factory. */
  scriptUrl: string;
  /** `espeak-ng.wasm`. */
  wasmUrl: string;
}

/** Imports the package's JavaScript from the site and compiles the WebAssembly, once per page. */
function loadEspeak({ scriptUrl, wasmUrl }: EspeakUrls): Promise<CompiledEspeak> {
  let entry = compiled.get(wasmUrl);
  if (!entry) {
    entry = (async () => {
      let factory: EspeakFactory;
      try {
        ({ default: factory } = (await import(/* @vite-ignore */ scriptUrl)) as { default: EspeakFactory });
      } catch (error) {
        throw new EspeakError(
          `espeak-ng could not load ${scriptUrl}: ${error instanceof Error ? error.message : String(error)}; export the site again`,
        );
      }
      let response: Response;
      try {
        response = await fetch(wasmUrl);
      } catch (error) {
        throw new EspeakError(`espeak-ng could not fetch ${wasmUrl}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!response.ok) throw new EspeakError(`espeak-ng could not fetch ${wasmUrl}: HTTP ${response.status}; export the site again`);
      const module = await WebAssembly.compile(await response.arrayBuffer());
      return { factory, module };
    })();
    compiled.set(wasmUrl, entry);
    entry.catch(() => {
      if (compiled.get(wasmUrl) === entry) compiled.delete(wasmUrl);
    });
  }
  return entry;
}

/**
 * A `synthesize` for the page: speaks a text into a WAV file (16-bit mono
 * PCM at 22,050 Hz) with the site's espeak-ng.
 * @param urls absolute URLs of `espeak-ng.js` and `espeak-ng.wasm` on the site
 * @returns `(text, settings) => WAV bytes`; it throws {@link EspeakError} when
 *   a file cannot be fetched or espeak-ng fails
 */
export function browserSynthesize(urls: EspeakUrls): (text: string, settings: EspeakSettings) => Promise<Uint8Array> {
  return async (text, settings) => synthesizeWith(await loadEspeak(urls), text, settings);
}
