/**
 * Runs espeak-ng, compiled to WebAssembly (the npm package `espeak-ng`), in
 * a browser page: the WebAssembly (18 MB, voices and dictionaries included)
 * is fetched from the site's own origin (`wasmUrl`, never a CDN), compiled
 * once per page and kept; each call runs a fresh instance (`espeak-wasm.ts`),
 * as in Node.
 *
 * @packageDocumentation
 */
import { EspeakError } from "./errors.js";
import type { EspeakSettings } from "./espeak-settings.js";
import { type CompiledEspeak, type EspeakFactory, synthesizeWith } from "./espeak-wasm.js";

const compiled = new Map<string, Promise<CompiledEspeak>>();

/** Imports the package's JavaScript (bundled into the page) and compiles the WebAssembly at `wasmUrl`, once per page. */
function loadEspeak(wasmUrl: string): Promise<CompiledEspeak> {
  let entry = compiled.get(wasmUrl);
  if (!entry) {
    entry = (async () => {
      const { default: factory } = (await import("espeak-ng" as string)) as { default: EspeakFactory };
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
 * PCM at 22,050 Hz) with the espeak-ng WebAssembly at `wasmUrl`.
 * @param wasmUrl absolute URL of `espeak-ng.wasm` on the site
 * @returns `(text, settings) => WAV bytes`; it throws {@link EspeakError} when
 *   the file cannot be fetched or espeak-ng fails
 */
export function browserSynthesize(wasmUrl: string): (text: string, settings: EspeakSettings) => Promise<Uint8Array> {
  return async (text, settings) => synthesizeWith(await loadEspeak(wasmUrl), text, settings);
}
