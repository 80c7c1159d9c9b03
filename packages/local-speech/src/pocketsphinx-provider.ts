/**
 * The pocketsphinx speech-recognition provider: transcribes the prompt's
 * first audio attachment, offline.
 *
 * Accuracy (measured on speech made by this package's espeak-ng provider,
 * see the README): with a `phrases` list it finds the phrase said (17 of 17
 * with the default voice among 17 similar commands); open dictation with the
 * default language model gets most words of synthetic speech wrong.
 *
 * @packageDocumentation
 */
import { type Output, type Provider, type ResolvedAttachment, requireAttachment, type RunContext } from "@aiconfig-ts/core";
import { throwIfAborted } from "./abort.js";
import { SpeechInputError } from "./errors.js";
import { transcribe } from "./pocketsphinx-engine.js";
import { type PocketsphinxSettings, pocketsphinxSettingsSchema, readPocketsphinxSettings } from "./pocketsphinx-settings.js";

/** Model names the pocketsphinx provider serves. */
export const POCKETSPHINX_MODELS = ["pocketsphinx"] as const;

/** Key under which a request keeps its attachment's byte reader (not serialised). */
export const AUDIO_BYTES: unique symbol = Symbol("aiconfig-ts.local-speech.audio-bytes");

/** A recognition request: the audio (where it is, its type) and the checked settings. */
export interface PocketsphinxRequest extends PocketsphinxSettings {
  /** The audio: its MIME type and, when it is a file or URL, where. */
  audio: { mime_type: string; uri?: string };
  [AUDIO_BYTES]?: () => Promise<Uint8Array>;
}

/**
 * Builds the request from the prompt's first audio attachment (one handed on
 * by a reference such as `{{speak.output}}` counts).
 * @throws {SpeechInputError} when the prompt has no audio attachment
 * @throws {SpeechSettingsError} for a wrong setting
 */
export function buildPocketsphinxRequest(
  settings: Readonly<Record<string, unknown>>,
  attachments: readonly ResolvedAttachment[],
  prompt: string,
  configDir: string | undefined,
): PocketsphinxRequest {
  const audio = requireAttachment(
    attachments,
    ["audio/*"],
    prompt,
    "speech recognition",
    '{"data": {"kind": "file_uri", "value": "speech.wav"}, "mime_type": "audio/wav"}',
    { hint: "or refer to a speech prompt's output as {{NAME.output}}", invalid: (message) => new SpeechInputError(message) },
  );
  const request: PocketsphinxRequest = {
    audio: { mime_type: audio.mimeType, ...(audio.uri && !audio.uri.startsWith("data:") ? { uri: audio.uri } : {}) },
    ...readPocketsphinxSettings(settings, prompt, configDir),
  };
  Object.defineProperty(request, AUDIO_BYTES, { value: () => audio.bytes(), enumerable: false });
  return request;
}

async function audioBytes(request: PocketsphinxRequest): Promise<Uint8Array> {
  const reader = request[AUDIO_BYTES];
  if (reader) return reader();
  const uri = request.audio.uri;
  if (!uri || /^[a-z]+:/i.test(uri)) {
    throw new SpeechInputError("a pocketsphinx request without a local audio file: build it with the provider's resolve");
  }
  const { readFile } = await import("node:fs/promises");
  return new Uint8Array(await readFile(uri));
}

/**
 * Transcribes a request.
 *
 * Output: `{output_type: "execute_result", execution_count: 0, data: TEXT,
 * metadata: {utterances: string[], duration_seconds, mode: "phrases" | "grammar" | "dictation"}}`.
 * @throws {PocketsphinxError} when a program is missing or fails; the signal's reason when cancelled
 */
export async function runPocketsphinx(request: PocketsphinxRequest, ctx: RunContext): Promise<Output[]> {
  throwIfAborted(ctx.signal);
  const bytes = await audioBytes(request);
  const { audio: _audio, ...settings } = request;
  const heard = await transcribe(bytes, request.audio.mime_type, settings, ctx.signal);
  return [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: heard.text,
      metadata: { utterances: heard.utterances, duration_seconds: Math.round(heard.durationSeconds * 1000) / 1000, mode: request.mode },
    },
  ];
}

/**
 * Speech recognition with CMU pocketsphinx (Debian's `pocketsphinx_continuous`
 * and US English model, run as a child process; offline): id `pocketsphinx`,
 * aliases `local-asr`, `local-stt`; serves the model `pocketsphinx`.
 * Settings: {@link pocketsphinxSettingsSchema}.
 */
export const pocketsphinxProvider: Provider<PocketsphinxRequest> = {
  id: "pocketsphinx",
  aliases: ["local-asr", "local-stt"],
  description: "Offline speech recognition with CMU pocketsphinx (US English); most accurate with a list of phrases",
  capabilities: {
    tasks: ["automatic-speech-recognition"],
    inputMedia: ["audio/*"],
    streams: false,
    chat: false,
    offline: true,
    models: POCKETSPHINX_MODELS,
  },
  settingsSchema: pocketsphinxSettingsSchema,
  servesModel: (model) => (POCKETSPHINX_MODELS as readonly string[]).includes(model),
  resolve: (ctx) => buildPocketsphinxRequest(ctx.settings, ctx.input.attachments, ctx.prompt.name, ctx.configDir),
  run: runPocketsphinx,
};
