/**
 * Problems of a document put in words and placed: what the schema's
 * validators and core's own rules found becomes the {@link Problem}s that
 * `validateConfig` and a load's check return. Internal: not exported from
 * core's entry points (its parameters are ajv's error objects, whose types
 * core's published declarations do not carry).
 *
 * Source: ajv's error objects (https://ajv.js.org/api.html#error-objects).
 *
 * @packageDocumentation
 */
import type { ErrorObject } from "ajv";
import type { Problem } from "./errors.js";
import { explainSchemaErrors, type SchemaMessage } from "./explain-schema-errors.js";
import { parsePointer, valueAtPointer } from "./json-pointer.js";
import type { ParsedDocument } from "./parse.js";
import type { ValidateOptions } from "./validate.js";

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
