/**
 * `@aiconfig-ts/llama`: the local GGUF provider of AIConfig on node-llama-cpp,
 * with the default model `stories260K` (downloaded on first use).
 *
 * ```ts
 * import { AIConfigRuntime } from "@aiconfig-ts/core";
 * import { register } from "@aiconfig-ts/llama";
 * register();
 * ```
 *
 * @packageDocumentation
 */
export { type LlamaChatMessage, type LlamaRequest, buildLlamaRequest } from "./build-request.js";
export { DEFAULT_MODEL, type DefaultModelInfo, defaultModelUrl } from "./default-model.js";
export { type DownloadFileOptions, downloadFile, type EnsureDefaultModelOptions, ensureDefaultModel } from "./download-model.js";
export { createProgress, formatBytes, type ProgressReporter, type ProgressStream } from "./download-progress.js";
export { LlamaSettingsError, LlamaUnavailableError, ModelDownloadError, ModelNotFoundError } from "./errors.js";
export { type GgufFacts, readGgufFacts } from "./gguf-info.js";
export { disposeLlama } from "./llama-engine.js";
export { type FinishReason, type LlamaStopReason, mapFinishReason } from "./map-finish-reason.js";
export { type Env, expandHome, modelsDir } from "./models-dir.js";
export { llamaProvider, register, servesLlamaModel } from "./provider.js";
export { modelFileName, type ResolvedModelPath, type ResolveModelPathOptions, resolveModelPath } from "./resolve-model-path.js";
export { runLlamaRequest } from "./run-request.js";
export { serializeLlamaRequest } from "./serialize-request.js";
export {
  DEFAULT_MAX_TOKENS,
  DEFAULT_TEMPERATURE,
  DEFAULT_TOP_K,
  DEFAULT_TOP_P,
  type LlamaSettings,
  llamaSettingsSchema,
  MAX_DEFAULT_CONTEXT_SIZE,
  readLlamaSettings,
} from "./settings.js";
export { chooseThreads, coreCount, defaultThreads, TINY_MODEL_BYTES, type ThreadChoice } from "./threads.js";
