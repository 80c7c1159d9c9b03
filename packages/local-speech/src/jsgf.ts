/**
 * JSGF grammars for pocketsphinx: a list of phrases becomes a grammar that
 * accepts exactly one of them.
 *
 * Source: the JSpeech Grammar Format (W3C Note, 5 June 2000,
 * https://www.w3.org/TR/jsgf/): a `#JSGF V1.0;` header, a `grammar NAME;`
 * declaration and a public rule whose alternatives are separated by `|`.
 *
 * @packageDocumentation
 */
import { SpeechSettingsError } from "./errors.js";

/**
 * The words of a phrase as the recognizer spells them: lower case, letters,
 * digits and apostrophes kept, everything else a space.
 * @example normalizePhrase("Turn ON the lights!") // "turn on the lights"
 */
export function normalizePhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .trim();
}

/**
 * A JSGF grammar whose one public rule `<phrase>` accepts exactly one of the
 * phrases (normalized with {@link normalizePhrase}, duplicates dropped).
 * Every word must be in the pronunciation dictionary (spell numbers as words).
 * @param phrases the phrases the recognizer may hear
 * @param prompt the prompt's name, for messages
 * @throws {SpeechSettingsError} when no phrase has a word
 */
export function phrasesGrammar(phrases: readonly string[], prompt: string): string {
  const alternatives = [...new Set(phrases.map(normalizePhrase).filter((p) => p !== ""))];
  if (alternatives.length === 0) {
    throw new SpeechSettingsError(`prompt "${prompt}": setting "phrases" has no words: list the phrases to recognize, e.g. ["yes", "no"]`);
  }
  return `#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = ${alternatives.map((p) => `( ${p} )`).join(" | ")} ;\n`;
}
