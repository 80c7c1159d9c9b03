/**
 * OpenAI model names: those registered explicitly (the ones the corpus of
 * real aiconfig files uses, and the current ones) and the patterns by which
 * each provider serves other names.
 *
 * Source: https://platform.openai.com/docs/models
 *
 * @packageDocumentation
 */

/** Chat model names registered for the OpenAI chat provider. */
export const OPENAI_CHAT_MODELS: readonly string[] = [
  "gpt-3.5-turbo",
  "gpt-3.5-turbo-16k",
  "gpt-3.5-turbo-0613",
  "gpt-3.5-turbo-16k-0613",
  "gpt-3.5-turbo-1106",
  "gpt-3.5-turbo-0125",
  "gpt-4",
  "gpt-4-0314",
  "gpt-4-0613",
  "gpt-4-32k",
  "gpt-4-32k-0613",
  "gpt-4-1106-preview",
  "gpt-4-vision-preview",
  "gpt-4-turbo",
  "gpt-4-turbo-preview",
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4.1-nano",
  "gpt-5",
  "gpt-5-mini",
  "gpt-5-nano",
  "o1",
  "o1-mini",
  "o3",
  "o3-mini",
  "o4-mini",
  "chatgpt-4o-latest",
];

/** Image generation models. */
export const OPENAI_IMAGE_MODELS: readonly string[] = ["dall-e-2", "dall-e-3", "gpt-image-1", "gpt-image-1-mini"];

/** Text-to-speech models. */
export const OPENAI_SPEECH_MODELS: readonly string[] = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"];

/** Speech recognition models. */
export const OPENAI_TRANSCRIPTION_MODELS: readonly string[] = ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"];

/** Whether a name is an image generation model (`dall-e-*`, `gpt-image-*`). */
export function isImageModel(model: string): boolean {
  return /^(dall-e-|gpt-image-)/.test(model);
}

/** Whether a name is a text-to-speech model (`tts-*`, `*-tts`). */
export function isSpeechModel(model: string): boolean {
  return /^tts-/.test(model) || /-tts(-|$)/.test(model);
}

/** Whether a name is a speech recognition model (`whisper-*`, `*-transcribe`). */
export function isTranscriptionModel(model: string): boolean {
  return /^whisper-/.test(model) || /-transcribe(-|$)/.test(model);
}

/**
 * Whether a name is an OpenAI chat model: `gpt-*`, `o1*`/`o3*`/`o4*`,
 * `chatgpt-*`, except the image, speech, transcription, realtime and
 * embedding models that share the prefixes, and Azure deployment names
 * (`gpt-35-*`), which the Azure preset serves.
 */
export function isChatModel(model: string): boolean {
  if (!/^(gpt-|o[134](-|$)|chatgpt-)/.test(model)) return false;
  if (isImageModel(model) || isSpeechModel(model) || isTranscriptionModel(model)) return false;
  if (/^gpt-35-/.test(model) || /(realtime|embedding|-instruct$)/.test(model)) return false;
  return true;
}
