/**
 * The wllama provider: runs GGUF models in the visitor's browser.
 *
 * @packageDocumentation
 */
import type { Provider, ProviderRegistry } from "@aiconfig-ts/core";
import { convertLlamaUsage, DEFAULT_MODEL, llamaSettingsSchema } from "@aiconfig-ts/llama/portable";
import { buildWllamaRequest, type ModelUrls, type WllamaRequest } from "./build-request.js";
import { runWllamaRequest } from "./run-request.js";
import { serializeWllamaRequest } from "./serialize-request.js";
import type { WasmSource } from "./wllama-engine.js";

/** Where the provider finds its files, all on the site's own origin. */
export interface WllamaProviderOptions {
  /** Model name (as in the aiconfig, e.g. `stories260K`) -> absolute URL of its GGUF file. */
  models: ModelUrls;
  /**
   * `wllama.wasm` (the package's `esm/wasm/wllama.wasm`, copied to the site): its absolute URL, or a
   * function giving one on first use, e.g. a `blob:` URL of the page's decompressed `wllama.wasm.gz` (see {@link WasmSource}).
   */
  wasmUrl: WasmSource;
}

/**
 * A wllama provider for a site (id `llama`, like the Node provider, so that
 * files naming `llama`, `LLaMA`, `llama.cpp` or `gguf` in `model_parsers`
 * resolve to it; also `wllama`). It serves the model names in
 * `options.models`; settings are the Node llama provider's (same schema);
 * outputs are shaped as the Node provider's, so a file runs the same in both.
 */
export function createWllamaProvider(options: WllamaProviderOptions): Provider<WllamaRequest> {
  const names = Object.keys(options.models);
  return {
    id: "llama",
    aliases: ["LLaMA", "llama.cpp", "gguf", "wllama"],
    description:
      "GGUF models in this browser tab (llama.cpp compiled to WebAssembly, wllama); stories260K continues text as a children's story.",
    chat: true,
    specificationVersion: "v1",
    capabilities: {
      tasks: ["text-generation", "chat"],
      streams: true,
      chat: true,
      offline: true,
      models: names.includes(DEFAULT_MODEL.name) ? [DEFAULT_MODEL.name, ...names.filter((n) => n !== DEFAULT_MODEL.name)] : names,
    },
    settingsSchema: llamaSettingsSchema,
    servesModel: (model) => Object.hasOwn(options.models, model),
    resolve: (ctx) => buildWllamaRequest(ctx, options.models),
    run: (request, ctx) => runWllamaRequest(request, ctx, options.wasmUrl),
    outputUsage: convertLlamaUsage,
    serialize: serializeWllamaRequest,
  };
}

/**
 * Registers a {@link createWllamaProvider} provider on a registry for the
 * model names of `options.models`.
 * @returns the registry
 */
export function register(registry: ProviderRegistry, options: WllamaProviderOptions): ProviderRegistry {
  return registry.register(createWllamaProvider(options), Object.keys(options.models));
}
