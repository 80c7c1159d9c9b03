/**
 * Checks of a batch row's output against a column of the row (`--expect
 * COLUMN[:check]`), the start of prompt evaluation as promptfoo users know it:
 * `equals` (after trimming both), `contains`, `regex` (the column is a
 * JavaScript pattern, or `/pattern/flags`), `json` (the output parses as JSON;
 * the column is not read), `json-schema` (the output parses as JSON and
 * follows the JSON Schema, draft-07, that the column holds, checked by ajv).
 *
 * @packageDocumentation
 */
import type { ValidateFunction } from "ajv";
import { AIConfigError } from "../errors.js";
import { loadAjv } from "../lazy-libraries.js";
import type { JSONObject } from "../types.js";

/** The checks `--expect` knows. */
export const EXPECT_CHECKS = ["equals", "contains", "regex", "json", "json-schema"] as const;

/** A check's name. */
export type ExpectCheckName = (typeof EXPECT_CHECKS)[number];

/** A check of the output against a column. */
export interface ExpectCheck {
  /** The row's column holding the expected value (the pattern, the schema). */
  readonly column: string;
  readonly check: ExpectCheckName;
}

/** The result of one check on one row. */
export interface ExpectResult {
  readonly column: string;
  readonly check: ExpectCheckName;
  readonly pass: boolean;
  /** Why it failed, in one line. */
  readonly message?: string;
}

/**
 * Reads `COLUMN[:check]` (the check defaults to `equals`).
 * @throws {AIConfigError} for an empty column or an unknown check, naming the known ones
 */
export function parseExpectCheck(spec: string): ExpectCheck {
  const at = spec.lastIndexOf(":");
  const suffix = at >= 0 ? spec.slice(at + 1) : "";
  let column = spec;
  let check: ExpectCheckName = "equals";
  if ((EXPECT_CHECKS as readonly string[]).includes(suffix)) {
    column = spec.slice(0, at);
    check = suffix as ExpectCheckName;
  } else if (/^[a-z-]+$/.test(suffix)) {
    throw new AIConfigError(`--expect ${spec}: unknown check "${suffix}"; use one of ${EXPECT_CHECKS.join(", ")}`);
  }
  if (!column && check !== "json")
    throw new AIConfigError(`--expect ${spec}: name the column that holds the expected value, e.g. answer:${check}`);
  return { column, check };
}

const schemaCache = new Map<string, ValidateFunction | string>();

/** The compiled schema of a column value (kept for the next rows), or why it is not a schema. */
function compiledSchema(value: unknown): ValidateFunction | string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  let compiled = schemaCache.get(text);
  if (compiled === undefined) {
    try {
      const schema = typeof value === "string" ? JSON.parse(value) : value;
      const Ajv = loadAjv();
      compiled = new Ajv({ allErrors: false, strict: false }).compile(schema);
    } catch (error) {
      compiled = `the column is not a JSON Schema (${(error as Error).message})`;
    }
    if (schemaCache.size >= 100) schemaCache.delete(schemaCache.keys().next().value as string);
    schemaCache.set(text, compiled);
  }
  return compiled;
}

function pattern(text: string): RegExp {
  const slashed = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  return slashed ? new RegExp(slashed[1]!, slashed[2]) : new RegExp(text);
}

const asText = (value: unknown) => (typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value));

/** Runs one check of an output text against its row. Never throws. */
export function runExpectCheck(check: ExpectCheck, output: string, row: Readonly<JSONObject>): ExpectResult {
  const { column } = check;
  const fail = (message: string): ExpectResult => ({ column, check: check.check, pass: false, message });
  const pass: ExpectResult = { column, check: check.check, pass: true };
  const expected = row[column];
  if (check.check !== "json" && expected === undefined) return fail(`the row has no column "${column}"`);
  switch (check.check) {
    case "equals":
      return output.trim() === asText(expected).trim() ? pass : fail(`output is not equal to ${column}`);
    case "contains":
      return output.includes(asText(expected)) ? pass : fail(`output does not contain ${column}`);
    case "regex": {
      let re: RegExp;
      try {
        re = pattern(asText(expected));
      } catch (error) {
        return fail(`${column} is not a regular expression (${(error as Error).message})`);
      }
      return re.test(output) ? pass : fail(`output does not match ${column}`);
    }
    case "json":
    case "json-schema": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(output);
      } catch (error) {
        return fail(`output is not JSON (${(error as Error).message})`);
      }
      if (check.check === "json") return pass;
      const validate = compiledSchema(expected);
      if (typeof validate === "string") return fail(validate);
      if (validate(parsed)) return pass;
      const first = validate.errors?.[0];
      return fail(`output does not follow the schema in ${column}: ${first ? `${first.instancePath || "/"} ${first.message}` : "invalid"}`);
    }
  }
}
