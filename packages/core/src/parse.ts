/**
 * Reading aiconfig files: JSON (comments allowed, as in the specification's
 * own example) and YAML, with the position of every value kept for error
 * messages.
 *
 * Sources: the AIConfig specification (`shared/seeds/specification.md`);
 * `jsonc-parser` (https://github.com/microsoft/node-jsonc-parser) for JSON with
 * comments; `js-yaml` v4 (https://github.com/nodeca/js-yaml) to read YAML 1.2
 * fast, and `yaml` v2 (https://eemeli.org/yaml/) for positions and errors.
 *
 * @packageDocumentation
 */
import { readTextFile } from "#platform";
import { type ConfigFormat, formatFromContent, formatFromExtension } from "./config-format.js";
import { describeFsError } from "./describe-fs-error.js";
import { ParseError } from "./errors.js";
import { loadJsYaml, loadJsoncParser, loadYaml } from "./lazy-libraries.js";
import { jsonLocator, yamlLocator } from "./locate-pointer.js";
import { nestingProblem, nestsDeeperThan, tooDeepProblem } from "./nesting-depth.js";
import { positionFinder } from "./text-positions.js";

export type { ConfigFormat } from "./config-format.js";
export { MAX_NESTING_DEPTH, nestingProblem, nestsDeeperThan } from "./nesting-depth.js";

/** A parsed aiconfig document: its data (not yet validated), format, and value positions. */
export interface ParsedDocument {
  /** The parsed data, plain JSON values. Not validated: see `validateConfig`. */
  data: unknown;
  /** The format the text was parsed as. */
  format: ConfigFormat;
  /** The file the text came from, when known (used in messages). */
  file?: string;
  /**
   * Position (line and column from 1) of the value at a JSON pointer such as
   * `/prompts/0/input`, or of its nearest existing parent when the exact value
   * is missing; `undefined` if unknown.
   */
  locate(pointer: string): { line: number; column: number } | undefined;
}

/**
 * Parses the text of an aiconfig.
 *
 * The format is `format` when given, else the extension of `file` (`.json` ->
 * JSON, `.yaml`/`.yml` -> YAML), else the content (JSON when the first
 * non-space character is `{`, else YAML). JSON may hold `//` and `/* *\/`
 * comments; trailing commas are an error (strict JSON tools reject them).
 *
 * @param text - the file's content (a leading byte-order mark is ignored).
 * @param file - the file's path, for the format and for messages.
 * @param format - forces a format.
 * @throws {@link ParseError} with the file, line and column of the first syntax error, or of
 *   nesting deeper than {@link MAX_NESTING_DEPTH} levels (`nesting deeper than 256 levels ...`).
 */
export function parseConfigText(text: string, file?: string, format?: ConfigFormat): ParsedDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const chosen = format ?? (file !== undefined ? formatFromExtension(file) : undefined) ?? formatFromContent(body);
  return chosen === "json" ? parseJsonText(body, file) : parseYamlText(body, file);
}

/**
 * Reads and parses an aiconfig file (UTF-8), choosing the format by
 * extension, then by content. See {@link parseConfigText}.
 *
 * @throws {@link ParseError} when the file cannot be read (one line naming the path and the reason) or has a syntax error.
 */
export function readConfigFile(path: string, format?: ConfigFormat): ParsedDocument {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    throw new ParseError([{ file: path, message: `cannot read the file: ${describeFsError(err)}` }]);
  }
  return parseConfigText(text, path, format);
}

function parseJsonText(text: string, file: string | undefined): ParsedDocument {
  let data: unknown;
  try {
    // Fast path: strict JSON (most files, and much faster than jsonc-parser on large files).
    data = JSON.parse(text);
    // JSON.parse takes any depth, but what reads the data later recurses.
    if (nestsDeeperThan(data)) throw new ParseError([nestingProblem(text, "json", file) ?? tooDeepProblem(file)]);
  } catch (error) {
    if (error instanceof ParseError) throw error;
    // jsonc-parser recurses: refuse deep nesting before it sees the text.
    const deep = nestingProblem(text, "json", file);
    if (deep) throw new ParseError([deep]);
    try {
      // Comments blanked out, then JSON.parse again: same values as strict JSON
      // (e.g. a "__proto__" key stays a plain property).
      data = JSON.parse(loadJsoncParser().stripComments(text, " "));
    } catch {
      data = parseJsonWithComments(text, file);
    }
  }
  return { data, format: "json", file, locate: jsonLocator(text) };
}

/** JSON with comments; throws ParseError on the first real syntax error. */
function parseJsonWithComments(text: string, file: string | undefined): unknown {
  const jsonc = loadJsoncParser();
  const errors: import("jsonc-parser").ParseError[] = [];
  const data = jsonc.parse(text, errors, { allowTrailingComma: false, disallowComments: false, allowEmptyContent: false });
  if (errors.length === 0) return data;
  if (text.trim() === "") throw new ParseError([{ file, line: 1, column: 1, message: "the file is empty: an aiconfig is a JSON object" }]);
  const first = errors[0]!;
  const position = positionFinder(text);
  const trailing = trailingCommaBefore(text, first.offset);
  if (trailing !== undefined) {
    const closer = text[first.offset];
    throw new ParseError([
      {
        file,
        ...position(trailing),
        message: `trailing comma before "${closer}": remove this "," (JSON allows no comma after the last ${closer === "}" ? "property" : "item"})`,
      },
    ]);
  }
  const symbol = first.error === 1 ? invalidSymbolMessage(text, first.offset) : undefined;
  if (symbol !== undefined) throw new ParseError([{ file, ...position(first.offset), message: symbol }]);
  const found =
    first.offset < text.length
      ? `found ${JSON.stringify(text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 20))))}`
      : "found the end of the file";
  throw new ParseError([{ file, ...position(first.offset), message: `${jsonErrorMessage(first.error)} (${found})` }]);
}

/**
 * When the token at `offset` is `}` or `]` and the token before it (comments
 * skipped) is a comma, the comma's offset.
 */
function trailingCommaBefore(text: string, offset: number): number | undefined {
  // jsonc-parser's SyntaxKind is a const enum: its values are written here.
  const K = { CloseBraceToken: 2, CloseBracketToken: 4, CommaToken: 5, LineCommentTrivia: 12, BlockCommentTrivia: 13, EOF: 17 };
  const scanner = loadJsoncParser().createScanner(text, true);
  let prevKind: number | undefined;
  let prevOffset = -1;
  for (let kind: number = scanner.scan(); kind !== K.EOF; kind = scanner.scan()) {
    const at = scanner.getTokenOffset();
    if (at >= offset) {
      const closes = kind === K.CloseBraceToken || kind === K.CloseBracketToken;
      return at === offset && closes && prevKind === K.CommaToken ? prevOffset : undefined;
    }
    if (kind === K.LineCommentTrivia || kind === K.BlockCommentTrivia) continue;
    prevKind = kind;
    prevOffset = at;
  }
  return undefined;
}

/** Words for two common mistakes jsonc-parser reports as an invalid symbol: unquoted keys and single quotes. */
function invalidSymbolMessage(text: string, offset: number): string | undefined {
  const rest = text.slice(offset, offset + 200);
  const key = /^([A-Za-z_$][\w$-]*)\s*:/.exec(rest);
  if (key) return `property names must be in double quotes: write "${key[1]}"`;
  if (rest.startsWith("'")) return "strings must be in double quotes, not single quotes";
  return undefined;
}

/** Words for jsonc-parser's ParseErrorCode values. */
function jsonErrorMessage(code: number): string {
  switch (code) {
    case 1:
      return "unexpected character: JSON values are objects, arrays, strings in double quotes, numbers, true, false or null";
    case 2:
      return "invalid number";
    case 3:
      return "expected a property name in double quotes";
    case 4:
      return "expected a value";
    case 5:
      return 'expected ":" after the property name';
    case 6:
      return 'expected "," between items, or the closing "}" or "]"';
    case 7:
      return 'expected "}" to close the object';
    case 8:
      return 'expected "]" to close the array';
    case 9:
      return "unexpected text after the end of the document";
    case 10:
      return "invalid comment: comments are // to the end of the line or /* ... */";
    case 11:
      return 'unterminated comment: close it with "*/"';
    case 12:
      return 'unterminated string: close it with a double quote " on the same line (write a line break inside a string as \\n)';
    case 13:
      return "unterminated number";
    case 14:
      return "invalid unicode escape: write it as \\u followed by 4 hex digits";
    case 15:
      return 'invalid escape in a string: the escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX';
    case 16:
      return "control character in a string: write a line break as \\n and a tab as \\t";
    default:
      return "syntax error";
  }
}

/** An anchor (`&name`): only then can a YAML text hold aliases, which js-yaml would expand without a limit. */
const YAML_ANCHOR = /(?:^|[\s:[{,-])&[^\s,[\]{}]/m;

/**
 * YAML: read with js-yaml (YAML 1.2 core schema, about ten times faster than
 * `yaml` on large files) when the text has no anchors; positions for messages
 * come from `yaml`'s Document, built only when a position is asked for. A
 * text js-yaml refuses, or one with anchors (aliases are limited to 1,000
 * expansions there), is read by `yaml`, whose errors are located.
 */
function parseYamlText(text: string, file: string | undefined): ParsedDocument {
  // Both YAML readers recurse: refuse deep nesting before they see the text.
  const deep = nestingProblem(text, "yaml", file);
  if (deep) throw new ParseError([deep]);
  if (!YAML_ANCHOR.test(text)) {
    let data: unknown;
    let ok = false;
    try {
      const jsYaml = loadJsYaml();
      data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
      ok = true;
    } catch {
      // Let `yaml` say where and what (below).
    }
    if (ok) {
      let locate: ParsedDocument["locate"] | undefined;
      return {
        data,
        format: "yaml",
        file,
        locate: (pointer) => {
          locate ??= parseYamlDocument(text, file).locate;
          return locate(pointer);
        },
      };
    }
  }
  return parseYamlDocument(text, file);
}

/** YAML read with `yaml`'s Document: every value's position kept. */
function parseYamlDocument(text: string, file: string | undefined): ParsedDocument {
  const Y = loadYaml();
  const lineCounter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const p = lineCounter.linePos(first.pos[0]);
    throw new ParseError([{ file, line: p.line, column: p.col, message: yamlErrorMessage(first.code, first.message) }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ParseError([{ file, message: `cannot read the YAML: ${err instanceof Error ? err.message : String(err)}` }]);
  }
  return { data, format: "yaml", file, locate: yamlLocator(doc, lineCounter) };
}

/** One line for a YAML error, with a fix where a common one is known. */
function yamlErrorMessage(code: string, message: string): string {
  switch (code) {
    case "MULTIPLE_DOCS":
      return 'the file holds several YAML documents (separated by "---"); an aiconfig file holds one';
    case "DUPLICATE_KEY":
      return "this key appears twice in the same mapping: keys must be unique, remove or rename one";
    case "TAB_AS_INDENT":
      return "tabs are not allowed as indentation in YAML: indent with spaces";
    default: {
      const line = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return `invalid YAML: ${line.charAt(0).toLowerCase()}${line.slice(1)}`;
    }
  }
}
