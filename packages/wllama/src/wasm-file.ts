/**
 * `@aiconfig-ts/wllama/wasm-file` (Node only): where wllama's WebAssembly is
 * on disk, for a static site to copy next to its page.
 *
 * @packageDocumentation
 */
import { createRequire } from "node:module";

/**
 * The path of `wllama.wasm` in the installed `@wllama/wllama` (`esm/wasm/wllama.wasm`,
 * 10.2 MB; 2.9 MB gzipped): the one build wllama 3 ships, single- and multi-thread.
 */
export function wllamaWasmPath(): string {
  return createRequire(import.meta.url).resolve("@wllama/wllama/esm/wasm/wllama.wasm");
}
