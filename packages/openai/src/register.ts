/**
 * Registers every provider of this package with a registry.
 *
 * @packageDocumentation
 */
import { defaultRegistry, type ProviderRegistry } from "@aiconfig-ts/core";
import { anyscaleRetired, compatibleChatProviders, openaiChat } from "./chat/chat-provider.js";
import { openaiImages } from "./image/image-provider.js";
import { OPENAI_CHAT_MODELS, OPENAI_IMAGE_MODELS, OPENAI_SPEECH_MODELS, OPENAI_TRANSCRIPTION_MODELS } from "./model-names.js";
import { openaiSpeech } from "./speech/speech-provider.js";
import { openaiTranscription } from "./transcription/transcription-provider.js";

/**
 * Registers the OpenAI chat provider (for {@link OPENAI_CHAT_MODELS}, and by
 * pattern any `gpt-*`, `o1`/`o3`/`o4*`, `chatgpt-*` chat name), one chat
 * provider per OpenAI-compatible preset (`openai-compatible:NAME`, aliases
 * such as `ollama`, `groq`, `azure-openai`; Azure for `gpt-35-turbo`, Groq
 * for its model names), the retired `AnyscaleEndpoint`, and the image, speech
 * and transcription providers for their models.
 * @param registry where to register (default: the shared default registry)
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  registry.register(openaiChat, OPENAI_CHAT_MODELS);
  for (const provider of Object.values(compatibleChatProviders)) registry.register(provider, provider.preset.models);
  registry.register(anyscaleRetired);
  // Registered after chat so that their servesModel is asked first (newest first).
  registry.register(openaiImages, OPENAI_IMAGE_MODELS);
  registry.register(openaiSpeech, OPENAI_SPEECH_MODELS);
  registry.register(openaiTranscription, OPENAI_TRANSCRIPTION_MODELS);
  return registry;
}
