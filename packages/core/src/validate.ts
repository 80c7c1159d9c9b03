/**
 * Validation of aiconfig data against the published AIConfig JSON Schema
 * (draft-07, with ajv) and the specification's rules the schema does not
 * express (unique prompt names, tags without commas), with each problem placed
 * at its file, line, column and JSON pointer.
 *
 * Sources: the AIConfig specification (`shared/seeds/specification.md`) and
 * its schema (`schema/aiconfig.schema.json`, embedded as `aiconfig-schema.ts`);
 * ajv (https://ajv.js.org).
 *
 * @packageDocumentation
 */
import type { ErrorObject } from "ajv";
import { checkNamesAndTags } from "./check-names-and-tags.js";
import { ValidationError, type Problem } from "./errors.js";
import { explainSchemaErrors, type SchemaMessage } from "./explain-schema-errors.js";
import { parsePointer, valueAtPointer } from "./json-pointer.js";
import type { ParsedDocument } from "./parse.js";
import { schemaErrors } from "./schema-errors.js";
import type { AIConfig } from "./types.js";

/**
 * Validates aiconfig data: the AIConfig JSON Schema, then unique prompt names
 * and tags (unique, no commas). Extra, user-defined properties are allowed at
 * every level, as the specification says.
 *
 * @param data - the parsed data (e.g. `ParsedDocument.data`).
 * @param doc - the parsed document, to place each problem at a line and column.
 * @param file - the file named in problems; defaults to `doc.file`.
 * @returns the problems, ordered by position in the file (empty when valid).
 *   Each has a message in plain words (e.g. `missing required property
 *   "schema_version"`), the JSON pointer of the value, and file/line/column
 *   when known.
 */
export function validateConfig(
  data: unknown,
  doc?: ParsedDocument,
  file: string | undefined = doc?.file,
  options: ValidateOptions = {},
): Problem[] {
  const where = (pointer: string): string => {
    const at = doc?.locate(pointer);
    return at ? `line ${at.line}, column ${at.column} (${pointer})` : pointer;
  };
  const namesAndTags = checkNamesAndTags(data, where, { repeatedNames: options.repeatedNames !== false });
  return placeProblems(data, schemaErrors(data), namesAndTags, doc, file, options);
}

/**
 * The problems {@link validateConfig} returns, from what the checks found:
 * ajv's raw `errors` (put in words; `null` for an optional property dropped
 * unless `options.strictNulls`), then the `rules` messages (names, tags),
 * each placed at its line and column, ordered by position (stable).
 */
export function placeProblems(
  data: unknown,
  errors: readonly ErrorObject[],
  rules: readonly SchemaMessage[],
  doc: ParsedDocument | undefined,
  file: string | undefined,
  options: ValidateOptions = {},
): Problem[] {
  if (errors.length === 0 && rules.length === 0) return [];
  let messages: SchemaMessage[] = explainSchemaErrors(errors, data);
  if (!options.strictNulls) messages = messages.filter((m) => !isNullOptional(data, m.pointer));
  messages = messages.concat(rules);
  const problems: Problem[] = messages.map((m) => {
    const at = doc?.locate(m.pointer);
    const p: Problem = { message: m.message, pointer: m.pointer };
    if (file !== undefined) p.file = file;
    if (at) {
      p.line = at.line;
      p.column = at.column;
    }
    return p;
  });
  // stable: problems without a position keep their order at the end
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map((x) => x.p);
}

/** Options of {@link validateConfig}. */
export interface ValidateOptions {
  /**
   * Report `null` given for an optional property (e.g. `"tags": null`,
   * `"settings": null`) as a problem. Default `false`: the Python SDK writes
   * `null` for unset optional properties, and such files are read as if the
   * property were absent. Required properties (`name`, `input`, ...) are never
   * allowed to be `null`.
   */
  strictNulls?: boolean;
  /**
   * Report a prompt name used twice as a problem. Default `true` (the
   * specification says names are unique). Loading passes `false` and warns
   * instead (see `RuntimeOptions.onWarning`), as the original SDK loaded such files.
   */
  repeatedNames?: boolean;
}

const REQUIRED_PROPERTIES = new Set([
  "name",
  "input",
  "schema_version",
  "metadata",
  "prompts",
  "output_type",
  "ename",
  "evalue",
  "traceback",
  "kind",
  "value",
  "function",
  "type",
  "arguments",
]);

/** Whether the value at `pointer` is `null` under an optional property. */
function isNullOptional(data: unknown, pointer: string): boolean {
  const segments = parsePointer(pointer);
  const last = segments[segments.length - 1];
  if (last === undefined || REQUIRED_PROPERTIES.has(last) || /^\d+$/.test(last)) return false;
  return valueAtPointer(data, pointer) === null;
}

/**
 * Validates like {@link validateConfig} and narrows `data` to {@link AIConfig}.
 *
 * @throws {@link ValidationError} listing every problem (one line each, `FILE:LINE:COL: message (at /pointer)`).
 */
export function assertValidConfig(data: unknown, doc?: ParsedDocument, file?: string): asserts data is AIConfig {
  const problems = validateConfig(data, doc, file ?? doc?.file);
  if (problems.length > 0) throw new ValidationError(problems);
}
