/**
 * The "Text-to-Speech" task on Hugging Face Inference.
 * Source: the Hugging Face text-to-speech task specification
 * (`@huggingface/tasks`, `TextToSpeechInput`) and `textToSpeech` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { JSONObject, Provider } from "@aiconfig-ts/core";
import { ACCESS_TOKEN_VARIABLES } from "./connection.js";
import { loadInference } from "./load-inference.js";
import { serializeTextRequest } from "./serialize-request.js";
import { GENERATION_SETTINGS, connectionSettings, pickGenerationSettings, settingsSchema } from "./settings-schema.js";
import {
  type HuggingFaceRequest,
  callArgs,
  callService,
  mediaOutput,
  readResult,
  replyBlob,
  requestBase,
  taskSettings,
} from "./task-request.js";

/** Default model of {@link textToSpeechProvider} (Meta's MMS English voice). */
export const TEXT_TO_SPEECH_DEFAULT_MODEL = "facebook/mms-tts-eng";

/** Settings of {@link textToSpeechProvider} (JSON Schema draft-07). */
export const textToSpeechSettingsSchema = settingsSchema("Text-to-Speech", "Speaks the prompt's text; the audio is stored as an output.", {
  ...connectionSettings(TEXT_TO_SPEECH_DEFAULT_MODEL),
  ...GENERATION_SETTINGS,
});

/** A text-to-speech request: `{inputs, parameters: {generation_parameters}}`. */
export type TextToSpeechRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }>;

/**
 * Speaks the prompt's text (`ctx.input.text`); one audio output, stored with
 * `ctx.storeBinary` and the MIME type of the bytes (see `mediaTypeOf`;
 * `audio/flac` when neither the bytes nor the server tell).
 * The hf-inference wire format: `POST .../models/{model}` with
 * `{"inputs": TEXT, "parameters": {"generation_parameters": {...}}}`,
 * answered with the audio bytes and their `Content-Type`.
 */
export const textToSpeechProvider: Provider<TextToSpeechRequest> = {
  id: "Text-to-Speech",
  aliases: ["HuggingFaceText2SpeechTransformer", "HuggingFaceText2SpeechRemoteInference"],
  description: "Text-to-speech on Hugging Face Inference (default facebook/mms-tts-eng)",
  capabilities: {
    tasks: ["text-to-speech"],
    outputMedia: ["audio/flac"],
    streams: false,
    chat: false,
    credentials: ACCESS_TOKEN_VARIABLES,
    models: [TEXT_TO_SPEECH_DEFAULT_MODEL],
  },
  settingsSchema: textToSpeechSettingsSchema,
  resolve(ctx) {
    const settings = taskSettings(ctx, "Text-to-Speech", textToSpeechSettingsSchema);
    const generation = pickGenerationSettings(settings);
    return {
      ...requestBase(ctx, "Text-to-Speech", TEXT_TO_SPEECH_DEFAULT_MODEL, settings),
      args: { inputs: ctx.input.text, ...(generation ? { parameters: { generation_parameters: generation } } : {}) },
    };
  },
  serialize(data, ctx) {
    return serializeTextRequest(data, ctx, "Text-to-Speech");
  },
  async run(request, ctx) {
    const { textToSpeech } = await loadInference();
    const result = await callService(request, ctx, (options) => textToSpeech({ ...callArgs(request, ctx), ...request.args }, options));
    const audio = readResult(request, result, replyBlob);
    return [await mediaOutput(ctx, audio, 0, "audio/flac", { model: request.model })];
  },
};
