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
import type { JSONSchema } from "@aiconfig-ts/core";
import { SpeechSettingsError } from "./errors.js";
import { phrasesGrammar } from "./jsgf.js";
import { stringSetting } from "./read-settings.js";

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
      description: "A JSGF grammar (the text of a .gram file) of what may be said, instead of phrases.",
    },
    hmm: {
      type: "string",
      description: "Acoustic model folder (default: Debian's US English model). Relative paths are against the aiconfig file's folder.",
    },
    dict: { type: "string", description: "Pronunciation dictionary file (default: the model's cmudict-en-us.dict)." },
    lm: { type: "string", description: "Language model file for open dictation (default: the model's en-us.lm.bin)." },
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
 * Reads and checks the settings of a prompt.
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
  const phrases = settings["phrases"];
  const grammar = stringSetting(settings, "grammar", prompt);
  if (phrases !== undefined && phrases !== null) {
    if (!Array.isArray(phrases) || phrases.length === 0 || !phrases.every((p) => typeof p === "string")) {
      throw new SpeechSettingsError(
        `prompt "${prompt}": setting "phrases" is ${JSON.stringify(phrases)}; it must be a list of strings, e.g. ["yes", "no"]`,
      );
    }
    if (grammar !== undefined) {
      throw new SpeechSettingsError(`prompt "${prompt}": settings "phrases" and "grammar" both say what may be heard: keep one of them`);
    }
    out.mode = "phrases";
    out.grammar = phrasesGrammar(phrases as string[], prompt);
  } else if (grammar !== undefined) {
    out.mode = "grammar";
    out.grammar = grammar;
  }
  for (const key of ["hmm", "dict", "lm"] as const) {
    const path = stringSetting(settings, key, prompt);
    if (path !== undefined) out[key] = isAbsolute(path) || !configDir ? path : resolve(configDir, path);
  }
  return out;
}
