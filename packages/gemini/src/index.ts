/**
 * Google Gemini provider for AIConfig, on the official `@google/genai`
 * (loaded only when a prompt runs), and the retired PaLM's names for old files.
 *
 * @packageDocumentation
 */
export { buildGenerateConfig, buildGeminiRequest, type GeminiRequest, systemPromptText } from "./build-gemini-request.js";
export { camelCase, camelKeysDeep, snakeCase } from "./camel-case.js";
export { geminiClientOptions } from "./client-options.js";
export {
  type GeminiResponse,
  partsText,
  partsToolCalls,
  ResponseAccumulator,
  responseToOutputs,
  type StoreBinary,
} from "./convert-gemini-response.js";
export { attachmentToPart, rawParts, toGeminiContents, toUserParts } from "./convert-to-gemini-contents.js";
export { toGeminiToolConfig, toGeminiTools } from "./convert-tools.js";
export { functionResponseObject, functionResponsePart, isFunctionResultInput, OpenFunctionCalls } from "./function-response-part.js";
export { GeminiApiError, toGeminiApiError } from "./gemini-api-error.js";
export { geminiProvider, isGeminiModel } from "./gemini-provider.js";
export { outputToolCalls, textModelParts, toolCallArgs, toolCallsModelParts } from "./model-turn-parts.js";
export { isPalmModel, PALM_NAMES, palmProvider, palmShutDownMessage } from "./palm-provider.js";
export { register } from "./register.js";
export { runGeminiRequest } from "./run-gemini-request.js";
export { configSettings, partsToInput, serializeGeminiRequest } from "./serialize-gemini-request.js";
export { geminiSettingsSchema, OWN_SETTING_KEYS } from "./settings-schema.js";
export { partsThoughtSignatures, storedThoughtSignatures, type ThoughtSignatures } from "./thought-signatures.js";
