/**
 * OpenAI and OpenAI-compatible providers for AIConfig: chat completions
 * (OpenAI, Azure OpenAI, Ollama, Groq, llama.cpp server, Together, …), image
 * generation, text-to-speech and speech recognition, on the official `openai`
 * SDK (loaded when a prompt first runs).
 *
 * ```ts
 * import { register } from "@aiconfig-ts/openai";
 * register(); // or register(runtime.registry)
 * ```
 *
 * @packageDocumentation
 */
// Chat completions (chat/)
export { buildChatRequest, type ChatRequest, OWN_CHAT_SETTING_KEYS } from "./chat/build-chat-request.js";
export { completionToOutputs } from "./chat/chat-completion-to-outputs.js";
export { chatOutputText } from "./chat/chat-output-text.js";
export {
  ANYSCALE_RETIRED_MESSAGE,
  anyscaleRetired,
  type ChatProvider,
  chatCapabilities,
  compatibleChatProviders,
  createChatProvider,
  openaiChat,
} from "./chat/chat-provider.js";
export { chatSettingsSchema } from "./chat/chat-settings-schema.js";
export { assistantMessage, attachmentPart, inputMessage, systemMessage } from "./chat/convert-to-openai-messages.js";
export { serializeChatRequest } from "./chat/serialize-chat-request.js";
// Connection and shared pieces
export { CONNECTION_SETTING_KEYS, type Connection, createClient, resolveConnection } from "./connection.js";
export { connectionSettingsProperties } from "./connection-settings-schema.js";
export { ConnectionSettingError, InputError, MissingAPIKeyError, RetiredServiceError } from "./errors.js";
// Image generation (image/)
export { buildImageRequest, type ImageRequest } from "./image/build-image-request.js";
export { imageModels, openaiImages } from "./image/image-provider.js";
export { imageSettingsSchema } from "./image/image-settings-schema.js";
export { runImages } from "./image/run-image-request.js";
export {
  isChatModel,
  isImageModel,
  isSpeechModel,
  isTranscriptionModel,
  OPENAI_CHAT_MODELS,
  OPENAI_IMAGE_MODELS,
  OPENAI_SPEECH_MODELS,
  OPENAI_TRANSCRIPTION_MODELS,
} from "./model-names.js";
export { DEFAULT_AZURE_API_VERSION, type OpenAIPreset, openaiPreset, presetProviderId, presets } from "./presets.js";
export { type OpenAIBatchOptions, type OpenAIBatchRequest, type OpenAIBatchResult, runOpenAIBatch } from "./batch-api.js";
export { register } from "./register.js";
// Text-to-speech (speech/)
export { buildSpeechRequest, type SpeechRequest } from "./speech/build-speech-request.js";
export { runSpeech, SPEECH_MIME_TYPES } from "./speech/run-speech-request.js";
export { openaiSpeech, speechModels } from "./speech/speech-provider.js";
export { speechSettingsSchema } from "./speech/speech-settings-schema.js";
// Speech recognition (transcription/)
export { AUDIO_BYTES, buildTranscriptionRequest, type TranscriptionRequest } from "./transcription/build-transcription-request.js";
export { runTranscription } from "./transcription/run-transcription-request.js";
export { openaiTranscription, transcriptionModels } from "./transcription/transcription-provider.js";
export { transcriptionSettingsSchema } from "./transcription/transcription-settings-schema.js";
