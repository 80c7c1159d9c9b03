/**
 * The espeak-ng text-to-speech provider: speaks the prompt's text into a WAV
 * file, offline.
 *
 * @packageDocumentation
 */
import type { JSONObject, Output, Prompt, Provider, RunContext, SerializeContext } from "@aiconfig-ts/core";
import { throwIfAborted } from "./abort.js";
import { SpeechInputError } from "./errors.js";
import { type EspeakSettings, espeakSettingsSchema, readEspeakSettings } from "./espeak-settings.js";
import { readWavInfo } from "./wav.js";

/** Speaks a text into WAV bytes: espeak-ng in Node (`espeak-engine.ts`) or in a browser (`espeak-engine.browser.ts`). */
export type Synthesize = (text: string, settings: EspeakSettings) => Promise<Uint8Array>;

/** Model names the espeak-ng provider serves. */
export const ESPEAK_MODELS = ["espeak-ng", "espeak"] as const;

/** A speech request: the text and the checked settings. Plain JSON. */
export interface EspeakRequest extends EspeakSettings {
  /** The text to speak (the prompt's rendered input). */
  text: string;
}

/**
 * Builds the request of a prompt.
 * @throws {SpeechInputError} when the rendered input is empty
 * @throws {SpeechSettingsError} for a wrong setting
 */
export function buildEspeakRequest(settings: Readonly<Record<string, unknown>>, text: string, prompt: string): EspeakRequest {
  if (text.trim() === "") {
    throw new SpeechInputError(`prompt "${prompt}": text-to-speech needs text to speak: give the prompt an input, e.g. "input": "Hello"`);
  }
  return { text, ...readEspeakSettings(settings, prompt) };
}

/**
 * Speaks a request with `synthesize` and stores the WAV through `ctx.storeBinary`.
 *
 * Output: `{output_type: "execute_result", execution_count: 0, data: {kind, value}, mime_type: "audio/wav",
 * metadata: {voice, speed, sample_rate, channels, duration_seconds}}` (`sample_rate` in Hz, the duration in seconds).
 * @throws {EspeakError} when espeak-ng fails; the signal's reason when the run is cancelled
 */
export async function runEspeakWith(synthesize: Synthesize, request: EspeakRequest, ctx: RunContext): Promise<Output[]> {
  throwIfAborted(ctx.signal);
  const { text, ...settings } = request;
  const wav = await synthesize(text, settings);
  throwIfAborted(ctx.signal);
  const info = readWavInfo(wav);
  const stored = await ctx.storeBinary(wav, "audio/wav");
  return [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: stored,
      mime_type: "audio/wav",
      metadata: {
        voice: request.voice,
        speed: request.speed,
        ...(info
          ? { sample_rate: info.sampleRate, channels: info.channels, duration_seconds: Math.round(info.durationSeconds * 1000) / 1000 }
          : {}),
      },
    },
  ];
}

/**
 * Turns a request back into a prompt: the text as input and the settings
 * that differ from the defaults.
 */
export function serializeEspeakRequest(request: unknown, ctx: SerializeContext): Prompt[] {
  const { text, ...settings } = request as EspeakRequest;
  const defaults = readEspeakSettings({}, ctx.promptName);
  const changed: JSONObject = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined && value !== defaults[key as keyof EspeakSettings]) changed[key] = value;
  }
  const metadata: Prompt["metadata"] = {
    model: Object.keys(changed).length > 0 ? { name: ctx.model, settings: changed } : ctx.model,
  };
  if (Object.keys(ctx.parameters).length > 0) metadata.parameters = { ...ctx.parameters };
  return [{ name: ctx.promptName, input: String(text ?? ""), metadata }];
}

/**
 * Text-to-speech with espeak-ng (WebAssembly build, offline) speaking through
 * `synthesize`: id `espeak`, aliases `espeak-ng` and `local-tts`; serves the
 * models `espeak-ng` and `espeak`. Settings: {@link espeakSettingsSchema}.
 * Output: see {@link runEspeakWith}.
 */
export function createEspeakProvider(synthesize: Synthesize, description: string): Provider<EspeakRequest> {
  return {
    id: "espeak",
    aliases: ["espeak-ng", "local-tts"],
    description,
    capabilities: {
      tasks: ["text-to-speech"],
      outputMedia: ["audio/wav"],
      streams: false,
      chat: false,
      offline: true,
      models: ESPEAK_MODELS,
    },
    settingsSchema: espeakSettingsSchema,
    servesModel: (model) => (ESPEAK_MODELS as readonly string[]).includes(model),
    resolve: (ctx) => buildEspeakRequest(ctx.settings, ctx.input.text, ctx.prompt.name),
    run: (request, ctx) => runEspeakWith(synthesize, request, ctx),
    serialize: serializeEspeakRequest,
  };
}
