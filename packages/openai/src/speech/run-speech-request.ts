/**
 * Sends a text-to-speech request through the SDK's `audio.speech.create`; the
 * audio is one output, stored through the runtime.
 * API: https://platform.openai.com/docs/api-reference/audio/createSpeech
 *
 * @packageDocumentation
 */
import type { Output, RunContext } from "@aiconfig-ts/core";
import type { SpeechCreateParams } from "openai/resources/audio/speech";
import { createClient, runConnection } from "../connection.js";
import { openaiPreset } from "../presets.js";
import type { SpeechRequest } from "./build-speech-request.js";

/** MIME type of each `response_format` (`pcm` is raw 24 kHz 16-bit signed little-endian mono). */
export const SPEECH_MIME_TYPES: Readonly<Record<string, string>> = {
  mp3: "audio/mpeg",
  opus: "audio/ogg",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/L16;rate=24000;channels=1",
};

/**
 * Sends a speech request and stores the audio.
 * `mime_type` follows `response_format` (default mp3, `audio/mpeg`); `metadata` holds `voice` and `format`.
 */
export async function runSpeech(request: SpeechRequest, ctx: RunContext): Promise<Output[]> {
  const client = await createClient(runConnection(openaiPreset, ctx));
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
