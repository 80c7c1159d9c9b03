/**
 * Reads a provider's settings by its JSON Schema: one check, with the ajv
 * core already has, instead of a hand-written reader beside a schema that
 * says the same (after vercel/ai's `parseProviderOptions`).
 *
 * @packageDocumentation
 */
import { InvalidSettingError } from "../errors.js";
import type { JSONSchema } from "../provider.js";
import type { JSONValue, ModelSettings } from "../types.js";
import { settingsValidator } from "../validate-settings.js";

type SchemaObject = { [key: string]: unknown };

function asObject(value: unknown): SchemaObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SchemaObject) : undefined;
}

function range(kind: string, min: unknown, max: unknown): string {
  if (typeof min === "number" && typeof max === "number") return `${kind} from ${min} to ${max}`;
  if (typeof min === "number") return `${kind} >= ${min}`;
  if (typeof max === "number") return `${kind} <= ${max}`;
  return kind;
}

/**
 * What a schema property takes, in words: "an integer from 0 to 99", "a
 * non-empty string", "true or false", "one of 3, 4, 5", "a list of strings",
 * alternatives joined by "or".
 */
export function describeSettingSchema(schema: unknown): string {
  const s = asObject(schema);
  if (!s) return "valid";
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ")}`;
  const alternatives = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map(describeSettingSchema).join(" or ");
  if (Array.isArray(s.type)) return s.type.map((type) => describeSettingSchema({ ...s, type })).join(" or ");
  switch (s.type) {
    case "integer":
      return range("an integer", s.minimum, s.maximum);
    case "number":
      return range("a number", s.minimum, s.maximum);
    case "boolean":
      return "true or false";
    case "string":
      return s.minLength === 1 ? "a non-empty string" : "a string";
    case "array": {
      const items = asObject(s.items);
      const of = items?.type === "string" ? (items.minLength === 1 ? "non-empty strings" : "strings") : "values";
      return s.minItems === 1 ? `a non-empty list of ${of}` : `a list of ${of}`;
    }
    case "object":
      return "an object";
    default:
      return "valid";
  }
}

/**
 * Checks settings against a provider's settings schema and returns the
 * schema's properties typed: each given value, else the property's `default`
 * (properties with neither are left out; settings the schema does not list
 * are dropped: the provider reads only its own). `null` counts as not given.
 * @param schema the provider's `settingsSchema` (draft-07, `type: "object"`)
 * @param settings the prompt's merged settings
 * @param where names the place for messages, e.g. `prompt "intro"`
 * @param options `expected`: words for what a property takes, where the
 *   schema's own say too little (e.g. a `pattern`); `invalid`: makes the
 *   error (default {@link InvalidSettingError}), so packages keep their class
 *   names; `defaults: false` leaves absent properties out instead of filling
 *   the schema's `default`
 * @throws {InvalidSettingError} (or `invalid`'s error) for the first setting
 *   of the wrong type or out of range, one line: `WHERE: setting "KEY" must be WHAT, got VALUE`.
 */
export function readSettings<T extends object>(
  schema: JSONSchema,
  settings: Readonly<ModelSettings>,
  where: string,
  options: {
    expected?: Readonly<Record<string, string>>;
    invalid?: (message: string, setting: string) => Error;
    defaults?: boolean;
  } = {},
): T {
  const properties = asObject(schema.properties) ?? {};
  const given: Record<string, JSONValue> = {};
  for (const [key, value] of Object.entries(settings)) if (value !== null && value !== undefined && key in properties) given[key] = value;
  const validate = settingsValidator(schema);
  if (!validate(given)) {
    const error = validate.errors?.[0];
    const key = error?.instancePath.split("/")[1] ?? error?.params?.missingProperty ?? "";
    const words = options.expected?.[key] ?? describeSettingSchema(properties[key]);
    const message = `${where}: setting "${key}" must be ${words}, got ${JSON.stringify(given[key])}`;
    throw options.invalid?.(message, key) ?? new InvalidSettingError(message);
  }
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (key in given) out[key] = given[key];
    else if (options.defaults !== false && asObject(property)?.default !== undefined) out[key] = asObject(property)?.default;
  }
  return out as T;
}
