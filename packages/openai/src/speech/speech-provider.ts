/**
 * The text-to-speech provider (`tts-1`, `tts-1-hd`, `gpt-4o-mini-tts`).
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { isSpeechModel, OPENAI_SPEECH_MODELS } from "../model-names.js";
import { withNamedErrors } from "../sdk-errors.js";
import { buildSpeechRequest, type SpeechRequest } from "./build-speech-request.js";
import { runSpeech } from "./run-speech-request.js";
import { speechSettingsSchema } from "./speech-settings-schema.js";

/** Text-to-speech on OpenAI. */
export const openaiSpeech: Provider<SpeechRequest> = {
  id: "openai-speech",
  aliases: ["openai-tts", "OpenAITextToSpeech"],
  description: "OpenAI text-to-speech",
  settingsSchema: speechSettingsSchema,
  capabilities: {
    tasks: ["text-to-speech"],
    outputMedia: ["audio/mpeg", "audio/ogg", "audio/aac", "audio/flac", "audio/wav"],
    streams: false,
    chat: false,
    credentials: ["OPENAI_API_KEY"],
    models: OPENAI_SPEECH_MODELS,
  },
  servesModel: isSpeechModel,
  resolve: (ctx) => buildSpeechRequest(ctx.settings, ctx.model, ctx.input.text, ctx.prompt.name),
  run: (request, ctx) => withNamedErrors(() => runSpeech(request, ctx)),
};

/** Model names registered for {@link openaiSpeech}. */
export const speechModels = OPENAI_SPEECH_MODELS;
