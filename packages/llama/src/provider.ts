/**
 * The llama provider: runs GGUF models locally on node-llama-cpp.
 *
 * @packageDocumentation
 */
import { defaultRegistry, type Provider, type ProviderRegistry } from "@aiconfig-ts/core";
import { buildLlamaRequest, type LlamaRequest } from "./build-request.js";
import { convertLlamaUsage } from "./convert-llama-usage.js";
import { DEFAULT_MODEL } from "./default-model.js";
import { startEngine } from "./engine-start.js";
import { runLlamaRequest } from "./run-request.js";
import { serializeLlamaRequest } from "./serialize-request.js";
import { llamaSettingsSchema } from "./settings.js";

/**
 * Whether the llama provider serves a model name without a `model_parsers`
 * entry: names ending in `.gguf`, and `stories260K` (the default model).
 */
export function servesLlamaModel(model: string): boolean {
  return /\.gguf$/i.test(model) || model === DEFAULT_MODEL.name;
}

/**
 * The llama provider (id `llama`; aliases `LLaMA` — the original SDK's
 * parser id, which old files name in `model_parsers` — `llama.cpp` and `gguf`).
 *
 * - `resolve` returns a {@link LlamaRequest}: plain JSON with the absolute
 *   model path and a `prompt` (base models) or `messages` (chat models).
 * - `run` loads the model (cached in the process), generates, streams through
 *   `ctx.stream` and stops when `ctx.signal` aborts; the default model is
 *   downloaded first when missing.
 * - `warmUp` starts loading node-llama-cpp's engine (import, then the
 *   prebuilt binary's test in a child process), which the first `run` waits for.
 */
export const llamaProvider: Provider<LlamaRequest> = {
  id: "llama",
  aliases: ["LLaMA", "llama.cpp", "gguf"],
  description: "Local GGUF models on node-llama-cpp (CPU); the default model stories260K continues text as a children's story.",
  chat: true,
  capabilities: {
    tasks: ["text-generation", "chat"],
    streams: true,
    chat: true,
    offline: true,
    models: [DEFAULT_MODEL.name],
  },
  settingsSchema: llamaSettingsSchema,
  servesModel: servesLlamaModel,
  resolve: buildLlamaRequest,
  run: runLlamaRequest,
  outputUsage: convertLlamaUsage,
  serialize: serializeLlamaRequest,
  warmUp() {
    startEngine().catch(() => {});
  },
};

/**
 * Registers {@link llamaProvider} on a registry, for the model name
 * `stories260K` (names ending in `.gguf` are matched by `servesModel`).
 * @param registry default: core's shared `defaultRegistry`
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  return registry.register(llamaProvider, [DEFAULT_MODEL.name]);
}
