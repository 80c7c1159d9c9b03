/**
 * `@aiconfig-ts/llama/portable`: the parts of the llama provider that import
 * no `node:` module and no node-llama-cpp (the settings and their schema, the
 * default model's facts, a chat model's messages, the stored output's usage and
 * finish reason, the request's reverse), so that a browser provider (`@aiconfig-ts/wllama`) reads
 * the same settings and stores the same output as the Node one.
 *
 * @packageDocumentation
 */
export type { LlamaRequest } from "./build-request.js";
export { type LlamaChatMessage, llamaChatMessages } from "./chat-messages.js";
export { convertLlamaUsage } from "./convert-llama-usage.js";
export { DEFAULT_MODEL, type DefaultModelInfo } from "./default-model.js";
export { LlamaSettingsError, ModelNotFoundError } from "./errors.js";
export { type FinishReason, type LlamaStopReason, mapFinishReason } from "./map-finish-reason.js";
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
