/**
 * Runs espeak-ng, compiled to WebAssembly (the npm package `espeak-ng`), in
 * this process: no program to install, no network. The compiled WebAssembly
 * module (18 MB, voices and dictionaries included) is read from the package,
 * compiled once per process and kept; each call runs a fresh instance
 * (`espeak-wasm.ts`).
 *
 * @packageDocumentation
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { EspeakSettings } from "./espeak-settings.js";
import { type CompiledEspeak, type EspeakFactory, synthesizeWith } from "./espeak-wasm.js";

let compiled: Promise<CompiledEspeak> | undefined;

/**
 * The path of espeak-ng's WebAssembly in its npm package (`espeak-ng/dist/espeak-ng.wasm`,
 * 18.5 MB, voices and dictionaries included): what Node compiles, and what a static
 * site copies for the page's provider (`@aiconfig-ts/local-speech/browser`).
 */
export function espeakWasmPath(): string {
  return join(dirname(espeakScriptPath()), "espeak-ng.wasm");
}

/**
 * The path of the package's JavaScript (`espeak-ng/dist/espeak-ng.js`, the
 * Emscripten module factory, 178 kB), which a static site copies beside the
 * WebAssembly: the page imports it from the site at run time instead of
 * bundling it (a bundler would copy the 18.5 MB WebAssembly it names into the page).
 */
export function espeakScriptPath(): string {
  return createRequire(import.meta.url).resolve("espeak-ng");
}

/**
 * Loads the package's JavaScript and compiles its WebAssembly (every voice), once per process.
 * @returns the factory and the compiled module, for {@link synthesizeWith}
 */
export function loadEspeak(): Promise<CompiledEspeak> {
  compiled ??= (async () => {
    const { default: factory } = (await import("espeak-ng" as string)) as { default: EspeakFactory };
    const module = await WebAssembly.compile(await readFile(espeakWasmPath()));
    return { factory, module };
  })();
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

/**
 * Speaks a text into a WAV file (16-bit mono PCM at 22,050 Hz, as espeak-ng writes it).
 * @param text the text (SSML when `settings.ssml`)
 * @param settings voice, speed, pitch, amplitude, gap (see {@link readEspeakSettings})
 * @returns the bytes of the WAV file
 * @throws {EspeakError} when espeak-ng fails (an unknown voice, ...), with what it printed
 */
export async function synthesize(text: string, settings: EspeakSettings): Promise<Uint8Array> {
  return synthesizeWith(await loadEspeak(), text, settings);
}
