/**
 * Settings of the pocketsphinx speech-recognition provider.
 *
 * Source: `pocketsphinx_continuous` of Debian's pocketsphinx
 * 0.8+5prealpha (its option list, printed when run without arguments):
 * `-jsgf` grammar file, `-hmm` acoustic model folder, `-dict` pronunciation
 * dictionary, `-lm` language model; the defaults are Debian's US English
 * model (`/usr/share/pocketsphinx/model/en-us`).
 *
 * @packageDocumentation
 */
import { isAbsolute, resolve } from "node:path";
import { type JSONSchema, type ModelSettings, readSettings } from "@aiconfig-ts/core";
import { SpeechSettingsError } from "./errors.js";
import { phrasesGrammar } from "./jsgf.js";

/** JSON Schema (draft-07) of the settings the pocketsphinx provider reads. */
export const pocketsphinxSettingsSchema: JSONSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "pocketsphinx speech recognition settings",
  type: "object",
  properties: {
    phrases: {
      type: "array",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      examples: [["turn on the lights", "turn off the lights", "stop the music"]],
      description:
        "Recognize only these phrases: the transcript is the one that matches best (words in the dictionary; spell numbers as words). Much more accurate than open dictation.",
    },
    grammar: {
      type: "string",
      minLength: 1,
      description: "A JSGF grammar (the text of a .gram file) of what may be said, instead of phrases.",
    },
    hmm: {
      type: "string",
      minLength: 1,
      description: "Acoustic model folder (default: Debian's US English model). Relative paths are against the aiconfig file's folder.",
    },
    dict: { type: "string", minLength: 1, description: "Pronunciation dictionary file (default: the model's cmudict-en-us.dict)." },
    lm: { type: "string", minLength: 1, description: "Language model file for open dictation (default: the model's en-us.lm.bin)." },
  },
};

/** The recognition settings of one request, checked. */
export interface PocketsphinxSettings {
  /** What is listened for: one of `phrases`, a JSGF `grammar`, or any words (`dictation`, the default language model). */
  mode: "phrases" | "grammar" | "dictation";
  /** A JSGF grammar to decode with, built from `phrases` or given as `grammar`; open dictation when absent. */
  grammar?: string;
  /** Absolute path of the acoustic model folder. */
  hmm?: string;
  /** Absolute path of the dictionary. */
  dict?: string;
  /** Absolute path of the language model. */
  lm?: string;
}

/**
 * Reads and checks the settings of a prompt by {@link pocketsphinxSettingsSchema} (core's `readSettings`).
 * @param settings the prompt's settings
 * @param prompt the prompt's name, for messages
 * @param configDir folder that relative model paths are resolved against
 * @throws {SpeechSettingsError} for a wrong type, or both `phrases` and `grammar`
 */
export function readPocketsphinxSettings(
  settings: Readonly<Record<string, unknown>>,
  prompt: string,
  configDir: string | undefined,
): PocketsphinxSettings {
  const out: PocketsphinxSettings = { mode: "dictation" };
  const read = readSettings<{ phrases?: string[]; grammar?: string; hmm?: string; dict?: string; lm?: string }>(
    pocketsphinxSettingsSchema,
    settings as ModelSettings,
    `prompt "${prompt}"`,
    {
      expected: { phrases: 'a list of strings, e.g. ["yes", "no"]' },
      invalid: (message) => new SpeechSettingsError(message),
    },
  );
  const { phrases, grammar } = read;
  if (phrases !== undefined) {
    if (grammar !== undefined) {
      throw new SpeechSettingsError(`prompt "${prompt}": settings "phrases" and "grammar" both say what may be heard: keep one of them`);
    }
    out.mode = "phrases";
    out.grammar = phrasesGrammar(phrases, prompt);
  } else if (grammar !== undefined) {
    out.mode = "grammar";
    out.grammar = grammar;
  }
  for (const key of ["hmm", "dict", "lm"] as const) {
    const path = read[key];
    if (path !== undefined) out[key] = isAbsolute(path) || !configDir ? path : resolve(configDir, path);
  }
  return out;
}
