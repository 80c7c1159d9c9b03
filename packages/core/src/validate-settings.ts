/**
 * Checking prompt settings against the JSON Schema each provider publishes
 * (`Provider.settingsSchema`), so that `validate` catches `"temperature": "hot"`
 * before a run does.
 *
 * @packageDocumentation
 */
import { Validator } from "@cfworker/json-schema";
import { schemaCheckWithoutEval } from "#platform";
import { promptModelName, promptOwnSettings, promptSettings } from "./document.js";
import type { Problem } from "./errors.js";
import { loadAjv } from "./lazy-libraries.js";
import type { SchemaCheck, SchemaCheckError } from "./platform/platform.js";
import type { JSONSchema } from "./provider.js";
import type { ProviderRegistry } from "./registry.js";
import type { AIConfig } from "./types.js";

const compiled = new WeakMap<JSONSchema, SchemaCheck>();

/**
 * In Node: settings are first screened by `@cfworker/json-schema`, which
 * interprets the schema (nothing to compile: a run's first settings check
 * costs microseconds, where loading ajv and compiling the schema cost tens of
 * milliseconds of the run's start-up); only settings it finds invalid go to
 * ajv's compiled function (ajv loaded then), whose verdict and errors stand,
 * so messages are ajv's as before.
 */
function screenedAjvCheck(schema: JSONSchema): SchemaCheck {
  const screen = new Validator(schema as ConstructorParameters<typeof Validator>[0], "7", true);
  let exact: SchemaCheck | undefined;
  const check: SchemaCheck = (data: unknown) => {
    if (screen.validate(data).valid) {
      check.errors = null;
      return true;
    }
    if (!exact) {
      const Ajv = loadAjv();
      exact = new Ajv({ allErrors: true, strict: false }).compile(schema) as SchemaCheck;
    }
    const valid = exact(data);
    check.errors = exact.errors ?? null;
    return valid;
  };
  return check;
}

/**
 * The validator of a settings schema, made once per schema object: in Node
 * ajv's compiled function behind an interpreting screen of valid settings
 * ({@link screenedAjvCheck}); in a browser an interpreting check
 * (`#platform`'s `schemaCheckWithoutEval`), because the page's
 * Content-Security-Policy forbids the `new Function` ajv compiles with.
 */
export function settingsValidator(schema: JSONSchema): SchemaCheck {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = schemaCheckWithoutEval ? schemaCheckWithoutEval(schema) : screenedAjvCheck(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function message(error: SchemaCheckError, key: string): string {
  const where = key ? `setting "${key}"` : "settings";
  switch (error.keyword) {
    case "type":
      return `${where} must be of type ${(error.params as { type: string }).type}`;
    case "enum":
      return `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${where} ${error.message}`;
    default:
      return `${where} ${error.message ?? "is not valid"}`;
  }
}

/**
 * Checks every prompt's settings (root `models[name]` merged with the
 * prompt's) against its provider's settings schema. Prompts whose model no
 * registered provider serves, or whose provider publishes no schema, are skipped.
 * @param doc the parsed document, with `locate(pointer)` for line and column
 * @returns problems pointing at the prompt's own settings when the bad key is there, else at the root model's settings
 */
export function validateSettings(
  doc: { data: unknown; locate?(pointer: string): { line: number; column: number } | undefined },
  file: string | undefined,
  registry: ProviderRegistry,
): Problem[] {
  const config = doc.data as AIConfig;
  const problems: Problem[] = [];
  const modelParsers = config.metadata?.model_parsers;
  (config.prompts ?? []).forEach((prompt, i) => {
    const name = promptModelName(config, prompt);
    if (!name) return;
    const provider = registry.find(name, modelParsers);
    if (!provider?.settingsSchema) return;
    const own = promptOwnSettings(prompt) ?? {};
    const settings = promptSettings(config, prompt, name);
    const validate = settingsValidator(provider.settingsSchema);
    if (validate(settings)) return;
    for (const error of validate.errors ?? []) {
      const key = error.instancePath.split("/")[1] ?? "";
      const pointer =
        key in own
          ? `/prompts/${i}/metadata/model/settings${error.instancePath}`
          : `/metadata/models/${name.replace(/~/g, "~0").replace(/\//g, "~1")}${error.instancePath}`;
      const at = doc.locate?.(pointer);
      problems.push({
        file,
        line: at?.line,
        column: at?.column,
        pointer,
        message: `${message(error, key)} for provider "${provider.id}" (prompt "${prompt.name}")`,
      });
    }
  });
  return problems;
}
