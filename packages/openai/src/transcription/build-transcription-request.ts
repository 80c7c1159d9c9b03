/**
 * Builds the speech recognition request of a prompt (`POST
 * /audio/transcriptions` or `/audio/translations`): the audio is the prompt's
 * first audio (or video) attachment; the prompt's text, when not empty, is
 * sent as the `prompt` hint.
 * API: https://platform.openai.com/docs/api-reference/audio/createTranscription
 *
 * @packageDocumentation
 */
import { type ResolvedAttachment, requireAttachment } from "@aiconfig-ts/core";
import { CONNECTION_SETTING_KEYS } from "../connection.js";
import { InputError } from "../errors.js";
import { passThroughSettings, requestModel } from "../request-settings.js";

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
  const audio = requireAttachment(
    attachments,
    ["audio/*", "video/*"],
    prompt,
    "speech recognition",
    '{"data": {"kind": "file_uri", "value": "speech.wav"}, "mime_type": "audio/wav"}',
    { kind: "audio", invalid: (message) => new InputError(message) },
  );
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
