/**
 * Anthropic Claude provider for AIConfig, on the official `@anthropic-ai/sdk`
 * (loaded only when a prompt runs).
 *
 * @packageDocumentation
 */
export { anthropicProvider, isClaudeModel } from "./anthropic-provider.js";
export {
  BEDROCK_MODEL_NAMES,
  bedrockNotSupportedMessage,
  claudeBedrockProvider,
  isBedrockClaudeModel,
} from "./bedrock-provider.js";
export { type AnthropicRequest, buildAnthropicRequest, systemPromptText } from "./build-anthropic-request.js";
export { anthropicClientOptions } from "./client-options.js";
export { type AnthropicMessage, holdsOtherBlocks, messageText, messageToolCalls, messageToOutputs } from "./convert-anthropic-message.js";
export { ANTHROPIC_IMAGE_TYPES, attachmentToBlock } from "./attachment-block.js";
export { textAssistantContent, toolCallsAssistantContent, withToolUseIds } from "./assistant-turn-content.js";
export { rawContentBlocks, toAnthropicMessages, toUserContent } from "./convert-to-anthropic-messages.js";
export { toAnthropicTool, toAnthropicToolChoice } from "./convert-tools.js";
export {
  SERVER_TOOL_RESULT_TYPES,
  serverToolBlock,
  serverToolTurnContent,
  storedServerToolContent,
} from "./server-tool-blocks.js";
export { contentThinkingBlocks, storedThinkingBlocks, type ThinkingBlock, thinkingBlock } from "./thinking-blocks.js";
export { isToolResultInput, toolResultBlock } from "./tool-result-block.js";
export { type AnthropicBatchOptions, type AnthropicBatchRequest, type AnthropicBatchResult, runAnthropicBatch } from "./message-batches.js";
export { register } from "./register.js";
export { MAX_NON_STREAMING_TOKENS, runAnthropicRequest } from "./run-anthropic-request.js";
export { requestSettings, serializeAnthropicRequest, userContentToInput } from "./serialize-anthropic-request.js";
export { anthropicSettingsSchema, DEFAULT_MAX_TOKENS, OWN_SETTING_KEYS } from "./settings-schema.js";
