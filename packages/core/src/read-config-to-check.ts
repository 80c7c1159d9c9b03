/**
 * Reading an aiconfig file as a load does (internal: `AIConfigRuntime.load`
 * uses it; not exported from the package). The nesting depth of strict JSON
 * read by `JSON.parse` is left to the caller, which checks it in the pass over
 * the prompts it makes anyway (`checkOnLoad`), not in a walk of its own over
 * the fresh document.
 *
 * @packageDocumentation
 */
import { readTextFile } from "#platform";
import { formatFromContent, formatFromExtension } from "./config-format.js";
import { describeFsError } from "./describe-fs-error.js";
import { ParseError } from "./errors.js";
import { jsonLocator } from "./locate-pointer.js";
import { type MAX_NESTING_DEPTH, nestingProblem, tooDeepProblem } from "./nesting-depth.js";
import { type ParsedDocument, parseConfigText } from "./parse.js";

/** A parsed document as a load reads it: `readConfigFile`'s, the nesting depth of strict JSON not checked yet. */
export interface DocumentToCheck {
  readonly doc: ParsedDocument;
  /** Whether the nesting depth is checked already (YAML and JSON with comments are scanned as text before they are parsed). */
  readonly nestingChecked: boolean;
  /** The error to throw when the data nests deeper than {@link MAX_NESTING_DEPTH} levels, placed at its line and column. */
  nestingError(): ParseError;
}

/**
 * Reads and parses an aiconfig file for {@link DocumentToCheck}: a strict
 * JSON file is not walked for its nesting depth here.
 *
 * @throws {@link ParseError} as `readConfigFile` does, except for the nesting depth of strict JSON.
 */
export function readConfigFileToCheck(path: string): DocumentToCheck {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    throw new ParseError([{ file: path, message: `cannot read the file: ${describeFsError(err)}` }]);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const format = formatFromExtension(path) ?? formatFromContent(body);
  const nestingError = () => new ParseError([nestingProblem(body, "json", path) ?? tooDeepProblem(path)]);
  if (format === "json") {
    const strict = parseStrictJson(body);
    if (strict.ok)
      return { doc: { data: strict.data, format, file: path, locate: jsonLocator(body) }, nestingChecked: false, nestingError };
  }
  return { doc: parseConfigText(body, path, format), nestingChecked: true, nestingError };
}

/** `JSON.parse`, or `ok: false` when the text is not strict JSON (comments, syntax errors). */
function parseStrictJson(text: string): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
