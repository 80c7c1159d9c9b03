/**
 * `@aiconfig-ts/wllama`: GGUF models (stories260K and other small ones) in the
 * visitor's browser, on `@wllama/wllama` (llama.cpp compiled to WebAssembly).
 * Browser code: the static site (`aiconfig export --site`) registers it with
 * the URLs of the files it copied.
 *
 * ```ts
 * import { register } from "@aiconfig-ts/wllama";
 * register(runtime.registry, { models: { stories260K: new URL("models/stories260K.gguf", siteRoot).href },
 *   wasmUrl: new URL("offline/wllama/wllama.wasm", siteRoot).href });
 * ```
 *
 * @packageDocumentation
 */
export { buildWllamaRequest, type ModelUrls, type WllamaRequest } from "./build-request.js";
export { WllamaLoadError } from "./errors.js";
export { createWllamaProvider, register, type WllamaProviderOptions } from "./provider.js";
export { runWllamaRequest } from "./run-request.js";
export { serializeWllamaRequest } from "./serialize-request.js";
export { type BrowserThreads, chooseBrowserThreads, TINY_MODEL_BYTES } from "./threads.js";
export { disposeWllama, type LoadOptions, loadWllama, remoteSize, type WasmSource } from "./wllama-engine.js";
