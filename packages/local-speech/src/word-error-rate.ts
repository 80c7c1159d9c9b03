/**
 * Word error rate: how far a transcript is from what was said.
 *
 * Source: the usual definition (e.g. NIST sclite): (substitutions + deletions
 * + insertions) / words of the reference, from the word-level Levenshtein
 * alignment.
 *
 * @packageDocumentation
 */
import { normalizePhrase } from "./jsgf.js";

/** Word-level edit distance and the word count of the reference. */
export interface WordErrors {
  /** Substitutions + deletions + insertions. */
  errors: number;
  /** Words in the reference. */
  words: number;
}

/**
 * Counts word errors between a reference and a hypothesis, both compared as
 * {@link normalizePhrase} spells them (case and punctuation ignored).
 */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normalizePhrase(reference).split(" ").filter(Boolean);
  const hyp = normalizePhrase(hypothesis).split(" ").filter(Boolean);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return { errors: previous[hyp.length]!, words: ref.length };
}

/**
 * Word error rate of a set of transcripts: total errors / total reference words
 * (0 is perfect; it can exceed 1 when the recognizer inserts words).
 * @param pairs `[reference, hypothesis]` pairs
 * @returns a fraction, `0` for no reference words
 */
export function wordErrorRate(pairs: readonly (readonly [string, string])[]): number {
  let errors = 0;
  let words = 0;
  for (const [reference, hypothesis] of pairs) {
    const e = wordErrors(reference, hypothesis);
    errors += e.errors;
    words += e.words;
  }
  return words === 0 ? 0 : errors / words;
}
