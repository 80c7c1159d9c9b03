/**
 * The Gemini provider: Google's Gemini models through the Gemini Developer
 * API (generateContent), on the official `@google/genai`.
 *
 * Source: https://ai.google.dev/api/generate-content
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { buildGeminiRequest, type GeminiRequest } from "./build-gemini-request.js";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import { runGeminiRequest } from "./run-gemini-request.js";
import { serializeGeminiRequest } from "./serialize-gemini-request.js";
import { geminiSettingsSchema } from "./settings-schema.js";

/** Whether a model name is a Gemini model (`gemini-*` or `models/gemini-*`). */
export function isGeminiModel(model: string): boolean {
  return /^(models\/)?gemini-/i.test(model);
}

/**
 * Runs prompts on Gemini with generateContent: text and media inputs, the
 * `system_prompt` setting, chat context, streaming, function calling, several
 * candidates. Serves every `gemini-*` and `models/gemini-*` model name. Needs
 * `GEMINI_API_KEY` or `GOOGLE_API_KEY` (or the `api_key` setting).
 */
export const geminiProvider: Provider<GeminiRequest> = {
  id: "gemini",
  aliases: ["GeminiModelParser"],
  description: "Google Gemini models through the Gemini API (@google/genai)",
  chat: true,
  capabilities: {
    tasks: ["chat", "text-generation", "summarization", "translation", "image-to-text", "automatic-speech-recognition"],
    inputMedia: ["image/*", "audio/*", "video/*", "application/pdf", "text/*"],
    streams: true,
    chat: true,
    credentials: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    models: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash"],
  },
  settingsSchema: geminiSettingsSchema,
  servesModel: isGeminiModel,
  resolve: buildGeminiRequest,
  run: runGeminiRequest,
  outputUsage: convertGeminiUsage,
  serialize: serializeGeminiRequest,
};
