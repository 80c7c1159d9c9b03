/**
 * JSON Schema of the text-to-speech provider's settings (`/audio/speech`,
 * https://platform.openai.com/docs/api-reference/audio/createSpeech).
 *
 * @packageDocumentation
 */
import type { JSONSchema } from "@aiconfig-ts/core";
import { openaiSettingsSchema } from "../connection-settings-schema.js";

/** Settings of the text-to-speech provider (`openai-speech`). */
export const speechSettingsSchema: JSONSchema = openaiSettingsSchema("OpenAI text-to-speech settings", {
  model: { type: "string", description: "tts-1, tts-1-hd or gpt-4o-mini-tts (default: the prompt's model name)." },
  voice: {
    type: "string",
    enum: ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar"],
    default: "alloy",
    description: "Voice.",
  },
  response_format: { type: "string", enum: ["mp3", "opus", "aac", "flac", "wav", "pcm"], default: "mp3", description: "Audio format." },
  speed: { type: "number", minimum: 0.25, maximum: 4, default: 1, description: "Speaking speed." },
  instructions: { type: "string", description: "gpt-4o-mini-tts only: how to speak (tone, accent, …)." },
});
