/**
 * Text-to-speech (`tts-1`, `tts-1-hd`, `gpt-4o-mini-tts`) through the SDK's
 * `audio.speech.create`. The audio is one output, stored through the runtime.
 * API: https://platform.openai.com/docs/api-reference/audio/createSpeech
 *
 * @packageDocumentation
 */
import type { Output, Provider, RunContext } from "@aiconfig-ts/core";
import type { SpeechCreateParams } from "openai/resources/audio/speech";
import { passThroughSettings, requestModel } from "./build-chat-request.js";
import { CONNECTION_SETTING_KEYS, createClient, resolveConnection } from "./connection.js";
import { InputError } from "./errors.js";
import { isSpeechModel, OPENAI_SPEECH_MODELS } from "./model-names.js";
import { openaiPreset } from "./presets.js";
import { withNamedErrors } from "./sdk-errors.js";
import { speechSettingsSchema } from "./settings-schemas.js";

/** A speech request body (`POST /audio/speech`). */
export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  [parameter: string]: unknown;
}

/** MIME type of each `response_format` (`pcm` is raw 24 kHz 16-bit signed little-endian mono). */
export const SPEECH_MIME_TYPES: Readonly<Record<string, string>> = {
  mp3: "audio/mpeg",
  opus: "audio/ogg",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/L16;rate=24000;channels=1",
};

/** Builds the request: the prompt's text as `input`, `voice` defaulting to `alloy`. */
export function buildSpeechRequest(
  settings: Readonly<Record<string, unknown>>,
  model: string,
  text: string,
  prompt: string,
): SpeechRequest {
  if (text.trim() === "") throw new InputError(`prompt "${prompt}": text-to-speech needs the text to speak as the prompt's input`);
  const rest = passThroughSettings(settings as never, CONNECTION_SETTING_KEYS);
  return { model: requestModel(settings as never, model), input: text, voice: "alloy", ...rest } as SpeechRequest;
}

/**
 * Sends a speech request and stores the audio.
 * `mime_type` follows `response_format` (default mp3, `audio/mpeg`); `metadata` holds `voice` and `format`.
 */
export async function runSpeech(request: SpeechRequest, ctx: RunContext): Promise<Output[]> {
  const client = await createClient(resolveConnection(openaiPreset, ctx.settings, ctx.env, ctx.prompt.name));
  const response = await client.audio.speech.create(request as unknown as SpeechCreateParams, { signal: ctx.signal });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const format = typeof request.response_format === "string" ? request.response_format : "mp3";
  const mime = SPEECH_MIME_TYPES[format] ?? "audio/mpeg";
  const stored = await ctx.storeBinary(bytes, mime);
  return [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: stored,
      mime_type: mime,
      metadata: { model: request.model, voice: request.voice, format },
    },
  ];
}

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
