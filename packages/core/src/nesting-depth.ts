/**
 * Nesting depth: an aiconfig nests arrays and objects a few levels deep, but
 * a file (or an editor's request body) can nest them 100,000 deep, and the
 * parsers, the schema check, templates and saving are recursive: such input
 * must be refused with a located error before it reaches them, not end in
 * "Maximum call stack size exceeded". The text scans are iterative; the
 * check of parsed data recurses at most `max + 1` levels deep.
 *
 * @packageDocumentation
 */
import type { ConfigFormat } from "./config-format.js";
import type { Problem } from "./errors.js";
import { positionFinder } from "./text-positions.js";

/** The deepest nesting of arrays and objects (mappings and sequences in YAML) a file may have. */
export const MAX_NESTING_DEPTH = 256;

const QUOTE = 34; // "
const APOSTROPHE = 39; // '
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SPACE = 32;
const HASH = 35;
const DASH = 45;

/**
 * Whether parsed data nests arrays and objects deeper than `max` (counted
 * from 1 for the top value). Recursion stops at `max + 1` levels, so the
 * stack stays shallow whatever the data; nothing is allocated (loading calls
 * it on every prompt of a JSON document, right after `JSON.parse`).
 *
 * @param depth - the level `value` itself is at, when it sits inside a larger
 *   document (e.g. 3 for a prompt: the document is level 1, `prompts` level 2).
 */
export function nestsDeeperThan(value: unknown, max: number = MAX_NESTING_DEPTH, depth = 1): boolean {
  return typeof value === "object" && value !== null && deeperThan(value, depth, max);
}

function deeperThan(value: object, depth: number, max: number): boolean {
  if (depth > max) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === "object" && child !== null && deeperThan(child, depth + 1, max)) return true;
    }
  } else {
    for (const key in value) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null && deeperThan(child, depth + 1, max)) return true;
    }
  }
  return false;
}

/** Offset of the bracket that opens level `max + 1` in a JSON text (comments and strings skipped), or `undefined`. */
function deepOffsetInJson(text: string, max: number): number | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i, QUOTE);
    } else if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const end = text.indexOf("\n", i);
        i = end === -1 ? n : end;
      } else if (next === STAR) {
        const end = text.indexOf("*/", i + 2);
        i = end === -1 ? n : end + 1;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return undefined;
}

/** The offset of the quote that closes the string opened at `start` (backslash escapes for `"`, doubled quotes for YAML's `'`). */
function endOfString(text: string, start: number, quote: number): number {
  let i = start + 1;
  for (;;) {
    const end = text.indexOf(quote === QUOTE ? '"' : "'", i);
    if (end === -1) return text.length;
    if (quote === QUOTE) {
      let backslashes = 0;
      for (let j = end - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
      if (backslashes % 2 === 0) return end;
    } else if (text.charCodeAt(end + 1) === APOSTROPHE) {
      i = end + 2;
      continue;
    } else return end;
    i = end + 1;
  }
}

/**
 * Offset where a YAML text nests deeper than `max`, or `undefined`. Counts
 * block nesting by indentation (each deeper indentation, and each `- ` that
 * opens a sequence on a line, is a level) plus flow nesting (`[`, `{`,
 * quoted strings and comments skipped). An approximation on the safe side
 * for files of this format: a block scalar indented in hundreds of steps
 * would count too.
 */
function deepOffsetInYaml(text: string, max: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  const n = text.length;
  let lineStart = 0;
  while (lineStart < n) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = n;
    let i = lineStart;
    if (flow === 0) {
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
      const first = text.charCodeAt(i);
      if (i < lineEnd && first !== HASH && first !== 13) {
        const indent = i - lineStart;
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        let depth = indents.length;
        // `- - - x`: each dash opens a sequence inside the last.
        while (text.charCodeAt(i) === DASH && text.charCodeAt(i + 1) === SPACE) {
          if (++depth > max) return i;
          i += 2;
          while (text.charCodeAt(i) === SPACE) i++;
        }
        if (depth > max) return i;
      }
    }
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE || c === APOSTROPHE) {
        i = Math.min(endOfString(text, i, c), lineEnd);
      } else if (c === HASH && (i === lineStart || text.charCodeAt(i - 1) === SPACE)) {
        break;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (++flow + indents.length > max) return i;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && flow > 0) {
        flow--;
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/**
 * Checks a text before parsing it: a body that nests arrays and objects
 * deeper than `max` gives a located problem instead of a stack overflow in a
 * parser. Linear in the text's length, no recursion. The editor calls it on
 * request bodies; loading calls it for YAML, and for JSON when the data is too deep.
 * @param format `json` (comments allowed) or `yaml`
 * @param file named in the problem
 * @returns the problem (`nesting deeper than MAX levels`, with file, line and column), or `undefined` when the text is fine
 */
export function nestingProblem(text: string, format: ConfigFormat, file?: string, max: number = MAX_NESTING_DEPTH): Problem | undefined {
  const offset = format === "json" ? deepOffsetInJson(text, max) : deepOffsetInYaml(text, max);
  if (offset === undefined) return undefined;
  return {
    ...(file !== undefined ? { file } : {}),
    ...positionFinder(text)(offset),
    message: `nesting deeper than ${max} levels of ${format === "json" ? "arrays and objects" : "mappings and sequences"} starts here: an aiconfig nests a few levels, so this is not one (flatten the value or remove it)`,
  };
}

/** The problem of data nested deeper than {@link MAX_NESTING_DEPTH} levels when the text scan cannot place it. */
export function tooDeepProblem(file: string | undefined): Problem {
  return {
    ...(file !== undefined ? { file } : {}),
    message: `nesting deeper than ${MAX_NESTING_DEPTH} levels of arrays and objects: an aiconfig nests a few levels, so this is not one`,
  };
}
