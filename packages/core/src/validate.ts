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
import { checkNamesAndTags } from "./check-names-and-tags.js";
import { ValidationError, type Problem } from "./errors.js";
import type { ParsedDocument } from "./parse.js";
import { placeProblems } from "./place-problems.js";
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

/**
 * Validates like {@link validateConfig} and narrows `data` to {@link AIConfig}.
 *
 * @throws {@link ValidationError} listing every problem (one line each, `FILE:LINE:COL: message (at /pointer)`).
 */
export function assertValidConfig(data: unknown, doc?: ParsedDocument, file?: string): asserts data is AIConfig {
  const problems = validateConfig(data, doc, file ?? doc?.file);
  if (problems.length > 0) throw new ValidationError(problems);
}
