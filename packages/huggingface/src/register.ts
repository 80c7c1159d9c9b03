/**
 * Registering this package's providers.
 *
 * @packageDocumentation
 */
import { type Provider, type ProviderRegistry, defaultRegistry } from "@aiconfig-ts/core";
import { imageToTextProvider } from "./image-to-text.js";
import { speechRecognitionProvider } from "./speech-recognition.js";
import { summarizationProvider } from "./summarization.js";
import { textGenerationProvider } from "./text-generation.js";
import { textToImageProvider } from "./text-to-image.js";
import { textToSpeechProvider } from "./text-to-speech.js";
import { translationProvider } from "./translation.js";

/**
 * The seven tasks of the Gradio notebook, each a provider whose id is the
 * task's name, with the Hub models each is registered for: its default model
 * and the models the AIConfig corpus runs with it. Other Hub ids
 * (`owner/name`) go to Text Generation (its `servesModel`), unless a file's
 * `model_parsers` maps them.
 */
export const huggingFaceProviders: ReadonlyArray<{ provider: Provider<any>; models: readonly string[] }> = [
  { provider: textGenerationProvider, models: ["Qwen/Qwen2.5-7B-Instruct", "mistralai/Mistral-7B-v0.1"] },
  { provider: summarizationProvider, models: ["facebook/bart-large-cnn", "stevhliu/my_awesome_billsum_model"] },
  { provider: translationProvider, models: ["Helsinki-NLP/opus-mt-en-fr"] },
  { provider: speechRecognitionProvider, models: ["openai/whisper-large-v3", "openai/whisper-small"] },
  { provider: textToSpeechProvider, models: ["facebook/mms-tts-eng"] },
  { provider: textToImageProvider, models: ["stabilityai/stable-diffusion-xl-base-1.0", "runwayml/stable-diffusion-v1-5"] },
  { provider: imageToTextProvider, models: ["Salesforce/blip-image-captioning-base"] },
];

/**
 * Registers the seven Hugging Face task providers (ids `Text Generation`,
 * `Summarization`, `Translation`, `Automatic Speech Recognition`,
 * `Text-to-Speech`, `Text-to-Image`, `Image-to-Text`, and the original SDK's
 * parser ids as aliases) with the models listed in {@link huggingFaceProviders}.
 *
 * @param registry where to register; the shared default registry when absent
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  for (const { provider, models } of huggingFaceProviders) registry.register(provider, models);
  return registry;
}
