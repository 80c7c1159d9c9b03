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
export { type ChatRequest, buildChatRequest, OWN_CHAT_SETTING_KEYS } from "./build-chat-request.js";
export {
  ANYSCALE_RETIRED_MESSAGE,
  anyscaleRetired,
  type ChatProvider,
  compatibleChatProviders,
  createChatProvider,
  openaiChat,
} from "./chat-provider.js";
export { completionToOutputs } from "./completion-to-outputs.js";
export { CONNECTION_SETTING_KEYS, type Connection, createClient, resolveConnection } from "./connection.js";
export { assistantMessage, attachmentPart, inputMessage, systemMessage } from "./convert-to-openai-messages.js";
export { ConnectionSettingError, InputError, MissingAPIKeyError, RetiredServiceError } from "./errors.js";
export { buildImageRequest, type ImageRequest, imageModels, openaiImages, runImages } from "./image-provider.js";
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
export { chatOutputText } from "./output-text.js";
export { DEFAULT_AZURE_API_VERSION, type OpenAIPreset, openaiPreset, presetProviderId, presets } from "./presets.js";
export { register } from "./register.js";
export { serializeChatRequest } from "./serialize-chat-request.js";
export {
  chatSettingsSchema,
  connectionSettingsProperties,
  imageSettingsSchema,
  speechSettingsSchema,
  transcriptionSettingsSchema,
} from "./settings-schemas.js";
export { buildSpeechRequest, openaiSpeech, runSpeech, SPEECH_MIME_TYPES, type SpeechRequest, speechModels } from "./speech-provider.js";
export {
  AUDIO_BYTES,
  buildTranscriptionRequest,
  openaiTranscription,
  runTranscription,
  type TranscriptionRequest,
  transcriptionModels,
} from "./transcription-provider.js";
