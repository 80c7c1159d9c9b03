/**
 * What the CLI prints about a file's content: its text comes from an
 * untrusted file, so control characters (terminal escape sequences that could
 * move the cursor, rewrite earlier lines or set the window title) are shown
 * escaped, and every secret the run could see is replaced by `[redacted]`.
 *
 * @packageDocumentation
 */
import { redactText, StreamRedactor, secretValues } from "@aiconfig-ts/core";

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A text with C0/C1 control characters (but tab and newline) written as
 * `\xHH`, e.g. a prompt name `"a\x1b[2Jb"` prints as `a\x1b[2Jb` literally.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Secret values the run could see beyond `process.env`: the `.env` and settings of the files opened (see {@link rememberSecrets}). */
const known = new Set<string>();

/** Adds secrets (from `secretValues` of a file's environment and settings) to what {@link safeText} hides. */
export function rememberSecrets(values: Iterable<string>): void {
  for (const v of values) known.add(v);
}

/**
 * A line fit for the terminal: every secret (the process environment's,
 * and those {@link rememberSecrets} collected) replaced, control characters escaped.
 */
export function safeText(text: string): string {
  return escapeControl(redactSecrets(text));
}

/** The secrets of the process environment and those {@link rememberSecrets} collected, longest first. */
function currentSecrets(): string[] {
  return [...new Set([...secretValues(process.env), ...known])].sort((a, b) => b.length - a.length);
}

/** A text (e.g. a model's output, printed on stdout) with every secret replaced; control characters kept. */
export function redactSecrets(text: string): string {
  return redactText(text, currentSecrets());
}

/**
 * A redactor for one streamed reply (core's `StreamRedactor`) over the
 * secrets {@link redactSecrets} replaces; its `end()` gives the text held back.
 */
export function streamRedactor(): StreamRedactor {
  return new StreamRedactor(currentSecrets());
}
