/**
 * JSON Schema checks without `eval`, for a page whose Content-Security-Policy
 * forbids `new Function` (ajv compiles every schema into a function that way):
 * `@cfworker/json-schema` interprets the schema instead (draft-07, every
 * error), and its errors are given in ajv's shape, so that `readSettings` and
 * `validateSettings` say the same one-line messages in a page as in Node.
 *
 * Source: @cfworker/json-schema 4 (`new Validator(schema, draft, shortCircuit)`,
 * output units `{keyword, keywordLocation, instanceLocation, error}`), ajv 8's
 * error objects (`instancePath`, `keyword`, `params`, `message`).
 *
 * @packageDocumentation
 */
import { type OutputUnit, Validator } from "@cfworker/json-schema";
import type { SchemaCheck, SchemaCheckError } from "./platform.js";

/** Keywords whose error only sums up errors found below them. */
const SUMMARIES = new Set(["properties", "items", "allOf", "additionalItems", "dependencies", "$ref"]);

const COMPARISONS: Readonly<Record<string, string>> = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" };

/** The value at a `#/a/b` JSON Pointer of the schema. */
function at(schema: unknown, location: string): unknown {
  let node = schema;
  for (const part of location.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function asAjvError(schema: object, unit: OutputUnit): SchemaCheckError {
  const instancePath = unit.instanceLocation.replace(/^#/, "");
  const value = at(schema, unit.keywordLocation);
  switch (unit.keyword) {
    case "type":
      return { instancePath, keyword: "type", params: { type: value }, message: `must be ${String(value)}` };
    case "enum":
      return { instancePath, keyword: "enum", params: { allowedValues: value }, message: "must be equal to one of the allowed values" };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return {
        instancePath,
        keyword: unit.keyword,
        params: { limit: value },
        message: `must be ${COMPARISONS[unit.keyword]} ${String(value)}`,
      };
    case "required": {
      const missingProperty = /"([^"]+)"/.exec(unit.error)?.[1] ?? "";
      return {
        instancePath,
        keyword: "required",
        params: { missingProperty },
        message: `must have required property '${missingProperty}'`,
      };
    }
    default:
      return { instancePath, keyword: unit.keyword, params: {}, message: unit.error };
  }
}

/**
 * A check of `schema` that needs no `eval`: a function of the data, `true`
 * when it passes, else `false` with `errors` (the most specific first, as ajv
 * gives them: errors that only sum up others are left out).
 */
export function schemaCheckWithoutEval(schema: object): SchemaCheck {
  const validator = new Validator(schema as ConstructorParameters<typeof Validator>[0], "7", false);
  const check: SchemaCheck = (data: unknown) => {
    const result = validator.validate(data);
    if (result.valid) {
      check.errors = null;
      return true;
    }
    const leaves = result.errors.filter((e) => !SUMMARIES.has(e.keyword));
    check.errors = (leaves.length > 0 ? leaves : result.errors).map((e) => asAjvError(schema, e));
    return false;
  };
  return check;
}
