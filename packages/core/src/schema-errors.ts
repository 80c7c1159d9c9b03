/**
 * Checking data against the AIConfig JSON Schema (draft-07), giving ajv's raw
 * errors (`validate.ts` turns them into words).
 *
 * The validators are ajv's standalone code, generated ahead of time into
 * `aiconfig-validators.ts` (a test checks it matches the embedded schema), so
 * validating needs neither loading ajv nor compiling the schema at run time
 * (together 100-250 ms of a cold start), nor `eval` (a page with a strict
 * Content-Security-Policy validates too).
 *
 * Source: ajv (https://ajv.js.org; standalone code:
 * https://ajv.js.org/standalone.html), options `allErrors` (every error, not
 * only the first) and `allowUnionTypes` (the schema uses `"type": [...]`).
 *
 * @packageDocumentation
 */
import { requireLibrary } from "#platform";
import type { ErrorObject } from "ajv";
import { defineAiconfigValidators } from "./aiconfig-validators.js";

/** The ajv options the validators are generated with. */
export const AJV_OPTIONS = { allErrors: true, allowUnionTypes: true } as const;

/** A JSON Schema object, loosely typed. */
type SchemaObject = Record<string, unknown>;

/**
 * Splits the AIConfig schema into the root (with `prompts` only checked to be
 * an array) and one prompt (`prompts.items`, with the shared definitions).
 * Validating each prompt on its own keeps error collection linear: ajv joins
 * the errors of a `$ref`'d definition with `Array.concat`, which made a file
 * with 20,000 broken prompts take 6 s in one piece.
 */
export function splitAIConfigSchema(schema: SchemaObject): { root: SchemaObject; prompt: SchemaObject } {
  const properties = schema.properties as Record<string, SchemaObject>;
  const { items, ...promptsWithoutItems } = properties.prompts!;
  return {
    root: { ...schema, properties: { ...properties, prompts: promptsWithoutItems } },
    prompt: { ...(items as SchemaObject), definitions: schema.definitions, $schema: schema.$schema },
  };
}

/** An ajv validate function: true when valid, else its `errors` are set. */
type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let compiled: { root: Validate; prompt: Validate } | undefined;

/** The generated validators, evaluated once on first use. */
function validators(): { root: Validate; prompt: Validate } {
  if (!compiled) {
    const module = { exports: {} as Record<string, Validate> };
    defineAiconfigValidators(module, module.exports, requireLibrary);
    compiled = { root: module.exports.root!, prompt: module.exports.prompt! };
  }
  return compiled;
}

/** ajv errors of `data` against the whole AIConfig schema (instance paths from the document root). */
export function schemaErrors(data: unknown): ErrorObject[] {
  const { root, prompt } = validators();
  const errors: ErrorObject[] = [];
  if (!root(data)) for (const e of root.errors ?? []) errors.push(e);
  const prompts = data !== null && typeof data === "object" ? (data as { prompts?: unknown }).prompts : undefined;
  if (Array.isArray(prompts)) {
    prompts.forEach((p: unknown, i: number) => {
      if (!prompt(p)) for (const e of prompt.errors ?? []) errors.push({ ...e, instancePath: `/prompts/${i}${e.instancePath}` });
    });
  }
  return errors;
}
