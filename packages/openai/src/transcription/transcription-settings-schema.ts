/**
 * JSON Schema of the speech recognition provider's settings
 * (`/audio/transcriptions`, https://platform.openai.com/docs/api-reference/audio/createTranscription).
 *
 * @packageDocumentation
 */
import type { JSONSchema } from "@aiconfig-ts/core";
import { openaiSettingsSchema } from "../connection-settings-schema.js";

/** Settings of the speech recognition provider (`openai-transcription`). */
export const transcriptionSettingsSchema: JSONSchema = openaiSettingsSchema("OpenAI transcription settings", {
  model: { type: "string", description: "whisper-1, gpt-4o-transcribe or gpt-4o-mini-transcribe (default: the prompt's model name)." },
  task: {
    type: "string",
    enum: ["transcribe", "translate"],
    default: "transcribe",
    description: "transcribe keeps the language; translate gives English (whisper-1 only).",
  },
  language: { type: "string", description: "ISO-639-1 code of the audio's language, e.g. en (improves accuracy)." },
  prompt: { type: "string", description: "Text to guide the style or continue a previous segment (default: the prompt's text input)." },
  response_format: {
    type: "string",
    enum: ["json", "text", "srt", "verbose_json", "vtt"],
    default: "json",
    description: "Format of the transcript.",
  },
  temperature: { type: "number", minimum: 0, maximum: 1, default: 0, description: "Sampling temperature." },
  timestamp_granularities: {
    type: "array",
    items: { type: "string", enum: ["word", "segment"] },
    description: "With verbose_json: word and/or segment timestamps (stored in the output's metadata).",
  },
});
