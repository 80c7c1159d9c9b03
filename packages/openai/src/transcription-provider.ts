/**
 * Speech recognition (`whisper-1`, `gpt-4o-transcribe`,
 * `gpt-4o-mini-transcribe`) through the SDK's `audio.transcriptions.create`
 * (or `audio.translations.create` with `task: "translate"`). The audio is the
 * prompt's first audio (or video) attachment; the prompt's text, when not
 * empty, is sent as the `prompt` hint. The transcript is one text output.
 * API: https://platform.openai.com/docs/api-reference/audio/createTranscription
 *
 * @packageDocumentation
 */
import { readFile } from "node:fs/promises";
import type { Output, Provider, ResolvedAttachment, RunContext } from "@aiconfig-ts/core";
import { passThroughSettings, requestModel } from "./build-chat-request.js";
import { CONNECTION_SETTING_KEYS, createClient, loadOpenAISDK, resolveConnection } from "./connection.js";
import { InputError } from "./errors.js";
import { isTranscriptionModel, OPENAI_TRANSCRIPTION_MODELS } from "./model-names.js";
import { openaiPreset } from "./presets.js";
import { withNamedErrors } from "./sdk-errors.js";
import { transcriptionSettingsSchema } from "./settings-schemas.js";

/** Key under which a request built by `resolve` keeps the attachment's byte reader (not serialised). */
export const AUDIO_BYTES: unique symbol = Symbol("aiconfig-ts.openai.audio-bytes");

/**
 * A transcription request: the multipart form fields, and `file` describing
 * the audio (its bytes are read when the request is sent).
 */
export interface TranscriptionRequest {
  model: string;
  /** `transcribe` (default) or `translate` (to English). */
  task?: string;
  /** The audio: a file name for the upload, its MIME type, and where it is (a local path, an http(s) or data: URL). */
  file: { name: string; mime_type: string; uri?: string };
  [parameter: string]: unknown;
  [AUDIO_BYTES]?: () => Promise<Uint8Array>;
}

const EXTENSIONS: Record<string, string> = {
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/flac": "flac",
  "audio/x-flac": "flac",
  "audio/ogg": "ogg",
  "audio/webm": "webm",
  "audio/mp4": "m4a",
  "audio/m4a": "m4a",
  "audio/x-m4a": "m4a",
  "video/mp4": "mp4",
  "video/webm": "webm",
};

function uploadName(attachment: ResolvedAttachment): string {
  const uri = attachment.uri;
  if (uri && !uri.startsWith("data:")) {
    const last = uri.split(/[\\/]/).pop()?.split("?")[0];
    if (last?.includes(".")) return last;
  }
  return `audio.${EXTENSIONS[attachment.mimeType.toLowerCase()] ?? "wav"}`;
}

/**
 * Builds the request from the prompt's first audio/video attachment.
 * @throws {InputError} when the prompt has no audio attachment.
 */
export function buildTranscriptionRequest(
  settings: Readonly<Record<string, unknown>>,
  model: string,
  text: string,
  attachments: readonly ResolvedAttachment[],
  prompt: string,
): TranscriptionRequest {
  const audio = attachments.find((a) => /^(audio|video)\//i.test(a.mimeType));
  if (!audio) {
    throw new InputError(
      `prompt "${prompt}": speech recognition needs an audio attachment: add input.attachments [{"data": {"kind": "file_uri", "value": "speech.wav"}, "mime_type": "audio/wav"}]`,
    );
  }
  const request: TranscriptionRequest = {
    model: requestModel(settings as never, model),
    ...passThroughSettings(settings as never, CONNECTION_SETTING_KEYS),
    file: {
      name: uploadName(audio),
      mime_type: audio.mimeType,
      ...(audio.uri && !audio.uri.startsWith("data:") ? { uri: audio.uri } : {}),
    },
  };
  if (request.prompt === undefined && text.trim() !== "") request.prompt = text;
  Object.defineProperty(request, AUDIO_BYTES, { value: () => audio.bytes(), enumerable: false });
  return request;
}

async function audioBytes(request: TranscriptionRequest, signal: AbortSignal): Promise<Uint8Array> {
  const reader = request[AUDIO_BYTES];
  if (reader) return reader();
  const uri = request.file.uri;
  if (!uri) throw new InputError(`transcription request for ${request.file.name} has no audio: build it with the provider's resolve`);
  if (/^https?:/i.test(uri)) return new Uint8Array(await (await fetch(uri, { signal })).arrayBuffer());
  return new Uint8Array(await readFile(uri));
}

/**
 * Sends a transcription request.
 * `data` is the transcript (the text of a json/verbose_json reply, or the
 * srt/vtt/text body); `metadata` holds `model`, and `language`, `duration`,
 * `words`, `segments`, `usage` when the reply has them.
 */
export async function runTranscription(request: TranscriptionRequest, ctx: RunContext): Promise<Output[]> {
  const client = await createClient(resolveConnection(openaiPreset, ctx.settings, ctx.env, ctx.prompt.name));
  const { toFile } = await loadOpenAISDK();
  const { task, file, ...fields } = request;
  const upload = await toFile(await audioBytes(request, ctx.signal), file.name, { type: file.mime_type });
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
