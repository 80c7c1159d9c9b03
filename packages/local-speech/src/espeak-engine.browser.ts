/**
 * Runs espeak-ng, compiled to WebAssembly (the npm package `espeak-ng`), in
 * a browser page: the package's JavaScript (`scriptUrl`) and WebAssembly
 * (`wasmUrl`: a static site ships a copy trimmed to the dictionaries of its
 * notebook's voices, `trimmedEspeakWasm`, gzipped) are fetched from the
 * site's own origin (never a CDN), the module compiled once per provider and
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

/** Where the page's espeak-ng is (absolute URLs on the site's own origin). */
export interface EspeakUrls {
  /** `espeak-ng.js`, the package's module factory. */
  scriptUrl: string;
  /**
   * `espeak-ng.wasm`: its URL, or a function giving one on first use (e.g. a
   * `blob:` URL of the bytes the page decompressed from the site's
   * `espeak-ng.wasm.gz`; the page's CSP then needs `blob:` in `connect-src`).
   */
  wasmUrl: string | (() => Promise<string>);
  /**
   * The dictionaries the WebAssembly holds (`en`, ...) when it is a trimmed
   * copy: a voice that needs another one fails with a line saying so. Absent:
   * the package's full module.
   */
  dictionaries?: readonly string[];
}

/** Imports the package's JavaScript from the site and compiles the WebAssembly. */
async function loadEspeak({ scriptUrl, wasmUrl: source }: EspeakUrls): Promise<CompiledEspeak> {
  let factory: EspeakFactory;
  try {
    ({ default: factory } = (await import(/* @vite-ignore */ scriptUrl)) as { default: EspeakFactory });
  } catch (error) {
    throw new EspeakError(
      `espeak-ng could not load ${scriptUrl}: ${error instanceof Error ? error.message : String(error)}; export the site again`,
    );
  }
  let wasmUrl = typeof source === "string" ? source : "espeak-ng.wasm";
  let response: Response;
  try {
    if (typeof source !== "string") wasmUrl = await source();
    response = await fetch(wasmUrl);
  } catch (error) {
    throw new EspeakError(`espeak-ng could not fetch ${wasmUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new EspeakError(`espeak-ng could not fetch ${wasmUrl}: HTTP ${response.status}; export the site again`);
  const module = await WebAssembly.compile(await response.arrayBuffer());
  return { factory, module };
}

/**
 * A `synthesize` for the page: speaks a text into a WAV file (16-bit mono
 * PCM at 22,050 Hz) with the site's espeak-ng.
 * The module is fetched and compiled on the first call and kept (again after a failure).
 * @param urls absolute URLs of `espeak-ng.js` and `espeak-ng.wasm` on the site, and the dictionaries it holds
 * @returns `(text, settings) => WAV bytes`; it throws {@link EspeakError} when
 *   a file cannot be fetched, espeak-ng fails, or the voice needs a dictionary the site did not ship
 */
export function browserSynthesize(urls: EspeakUrls): (text: string, settings: EspeakSettings) => Promise<Uint8Array> {
  let compiled: Promise<CompiledEspeak> | undefined;
  const options = urls.dictionaries ? { dictionaries: urls.dictionaries } : {};
  return async (text, settings) => {
    const loading = (compiled ??= loadEspeak(urls));
    loading.catch(() => {
      if (compiled === loading) compiled = undefined;
    });
    return synthesizeWith(await loading, text, settings, options);
  };
}
