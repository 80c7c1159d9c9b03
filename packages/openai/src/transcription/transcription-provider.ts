/**
 * The speech recognition provider (`whisper-1`, `gpt-4o-transcribe`,
 * `gpt-4o-mini-transcribe`).
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { isTranscriptionModel, OPENAI_TRANSCRIPTION_MODELS } from "../model-names.js";
import { withNamedErrors } from "../sdk-errors.js";
import { buildTranscriptionRequest, type TranscriptionRequest } from "./build-transcription-request.js";
import { runTranscription } from "./run-transcription-request.js";
import { transcriptionSettingsSchema } from "./transcription-settings-schema.js";

/** Speech recognition on OpenAI. */
export const openaiTranscription: Provider<TranscriptionRequest> = {
  id: "openai-transcription",
  aliases: ["openai-whisper", "OpenAISpeechRecognition"],
  description: "OpenAI speech recognition (Whisper, GPT-4o transcribe)",
  settingsSchema: transcriptionSettingsSchema,
  capabilities: {
    tasks: ["automatic-speech-recognition"],
    inputMedia: ["audio/*", "video/*"],
    streams: false,
    chat: false,
    credentials: ["OPENAI_API_KEY"],
    models: OPENAI_TRANSCRIPTION_MODELS,
  },
  servesModel: isTranscriptionModel,
  resolve: (ctx) => buildTranscriptionRequest(ctx.settings, ctx.model, ctx.input.text, ctx.input.attachments, ctx.prompt.name),
  run: (request, ctx) => withNamedErrors(() => runTranscription(request, ctx)),
};

/** Model names registered for {@link openaiTranscription}. */
export const transcriptionModels = OPENAI_TRANSCRIPTION_MODELS;
