/**
 * Sends a speech recognition request through the SDK's
 * `audio.transcriptions.create` (or `audio.translations.create` with `task:
 * "translate"`); the transcript is one text output.
 * API: https://platform.openai.com/docs/api-reference/audio/createTranscription
 *
 * @packageDocumentation
 */
import { type Output, type RunContext, readAttachmentUri } from "@aiconfig-ts/core";
import { createClient, loadOpenAISDK, runConnection } from "../connection.js";
import { InputError } from "../errors.js";
import { openaiPreset } from "../presets.js";
import { AUDIO_BYTES, type TranscriptionRequest } from "./build-transcription-request.js";

/**
 * The audio of a request: read by the reader its resolve left, else (a request built by code) from its `uri`
 * through core's `readAttachmentUri`, whose URL fetch refuses this machine and private networks.
 */
async function audioBytes(request: TranscriptionRequest): Promise<Uint8Array> {
  const reader = request[AUDIO_BYTES];
  if (reader) return reader();
  const uri = request.file.uri;
  if (!uri) throw new InputError(`transcription request for ${request.file.name} has no audio: build it with the provider's resolve`);
  return readAttachmentUri(uri);
}

/**
 * Sends a transcription request.
 * `data` is the transcript (the text of a json/verbose_json reply, or the
 * srt/vtt/text body); `metadata` holds `model`, and `language`, `duration`,
 * `words`, `segments`, `usage` when the reply has them.
 */
export async function runTranscription(request: TranscriptionRequest, ctx: RunContext): Promise<Output[]> {
  const client = await createClient(runConnection(openaiPreset, ctx));
  const { toFile } = await loadOpenAISDK();
  const { task, file, ...fields } = request;
  const upload = await toFile(await audioBytes(request), file.name, { type: file.mime_type });
  const body = { ...fields, file: upload } as never;
  const reply: unknown =
    task === "translate"
      ? await client.audio.translations.create(body, { signal: ctx.signal })
      : await client.audio.transcriptions.create(body, { signal: ctx.signal });
  const metadata: Record<string, unknown> = { model: request.model };
  let text: string;
  if (typeof reply === "string") {
    text = reply;
  } else {
    const record = reply as Record<string, unknown>;
    text = typeof record.text === "string" ? record.text : "";
    for (const key of ["language", "duration", "words", "segments", "usage", "logprobs"])
      if (record[key] !== undefined) metadata[key] = record[key];
  }
  const format = request.response_format;
  const mime = format === "vtt" ? "text/vtt" : format === "srt" ? "application/x-subrip" : undefined;
  return [{ output_type: "execute_result", execution_count: 0, data: text, ...(mime ? { mime_type: mime } : {}), metadata }];
}
