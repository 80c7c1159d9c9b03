/**
 * Settings of the espeak-ng text-to-speech provider: their JSON Schema and
 * how they become espeak-ng's command-line options.
 *
 * Source: the espeak-ng manual, `espeak-ng(1)`
 * (https://github.com/espeak-ng/espeak-ng/blob/master/src/espeak-ng.1.ronn):
 * `-v` voice, `-s` speed in words per minute (80 and up, default 175),
 * `-p` pitch (0–99, default 50), `-a` amplitude (0–200, default 100),
 * `-g` gap between words in units of 10 ms at the default speed (default 0),
 * `-m` interpret SSML markup.
 *
 * @packageDocumentation
 */
import { type JSONSchema, type ModelSettings, readSettings } from "@aiconfig-ts/core";
import { SpeechSettingsError } from "./errors.js";

/** The voice used when the settings name none: American English. */
export const DEFAULT_VOICE = "en-us";

/** Ranges and defaults of the numeric settings (espeak-ng(1)). */
export const ESPEAK_RANGES = {
  /** Words per minute. 450 is the most espeak-ng reaches without the sonic library, which the WebAssembly build leaves out. */
  speed: { minimum: 80, maximum: 450, default: 175 },
  /** 0 (low) to 99 (high). */
  pitch: { minimum: 0, maximum: 99, default: 50 },
  /** Volume: 0 to 200. */
  amplitude: { minimum: 0, maximum: 200, default: 100 },
  /** Extra pause between words, in units of 10 ms at the default speed. */
  gap: { minimum: 0, maximum: 1000, default: 0 },
} as const;

/** JSON Schema (draft-07) of the settings the espeak-ng provider reads. */
export const espeakSettingsSchema: JSONSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "espeak-ng text-to-speech settings",
  type: "object",
  properties: {
    voice: {
      type: "string",
      minLength: 1,
      default: DEFAULT_VOICE,
      examples: ["en-us", "en", "en-gb-x-rp", "en-us+f3", "fr", "de", "es"],
      description:
        "espeak-ng voice: a language code (en-us, en, fr, de, ...), optionally with a variant after '+' (en-us+f3 is a female variant).",
    },
    speed: {
      type: "integer",
      ...ESPEAK_RANGES.speed,
      description: "Speaking rate, in words per minute.",
    },
    pitch: { type: "integer", ...ESPEAK_RANGES.pitch, description: "Pitch: 0 is lowest, 99 highest." },
    amplitude: { type: "integer", ...ESPEAK_RANGES.amplitude, description: "Volume: 0 is silent, 100 normal, 200 loudest." },
    gap: {
      type: "integer",
      ...ESPEAK_RANGES.gap,
      description: "Extra pause between words, in units of 10 ms at the default speed.",
    },
    ssml: {
      type: "boolean",
      default: false,
      description: "Read the text as SSML markup (<speak>, <break time='500ms'/>, <prosody>, ...).",
    },
  },
};

/** The settings of one speech request, checked and with defaults filled in. */
export interface EspeakSettings {
  /** espeak-ng voice name, e.g. `en-us` or `en-us+f3`. */
  voice: string;
  /** Words per minute (80–450). */
  speed: number;
  /** 0–99. */
  pitch: number;
  /** 0–200. */
  amplitude: number;
  /** Units of 10 ms (0–1000). */
  gap: number;
  /** Whether the text is SSML. */
  ssml: boolean;
}

/**
 * Reads and checks the settings of a prompt by {@link espeakSettingsSchema}
 * (core's `readSettings`), with the schema's defaults.
 * @param settings the prompt's settings (root `models[model]` merged with its own)
 * @param prompt the prompt's name, for messages
 * @throws {SpeechSettingsError} for a wrong type or an out-of-range value
 */
export function readEspeakSettings(settings: Readonly<Record<string, unknown>>, prompt: string): EspeakSettings {
  return readSettings<EspeakSettings>(espeakSettingsSchema, settings as ModelSettings, `prompt "${prompt}"`, {
    invalid: (message) => new SpeechSettingsError(message),
  });
}

/**
 * The espeak-ng command-line options for some settings (without the input
 * and output options).
 * @example espeakArguments({voice: "en-us", speed: 150, pitch: 50, amplitude: 100, gap: 0, ssml: false})
 *   // ["-v", "en-us", "-s", "150", "-p", "50", "-a", "100", "-g", "0"]
 */
export function espeakArguments(settings: EspeakSettings): string[] {
  const args = [
    "-v",
    settings.voice,
    "-s",
    String(settings.speed),
    "-p",
    String(settings.pitch),
    "-a",
    String(settings.amplitude),
    "-g",
    String(settings.gap),
  ];
  if (settings.ssml) args.push("-m");
  return args;
}
