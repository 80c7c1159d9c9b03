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
 * with 20,000 broken prompts take 6 s in one piece. Each `anyOf` lists its
 * scalar alternatives first ({@link scalarBranchesFirst}).
 */
export function splitAIConfigSchema(original: SchemaObject): { root: SchemaObject; prompt: SchemaObject } {
  const schema = inlineDefinitions(scalarBranchesFirst(original) as SchemaObject);
  const properties = schema.properties as Record<string, SchemaObject>;
  const { items, ...promptsWithoutItems } = properties.prompts!;
  return {
    root: { ...schema, properties: { ...properties, prompts: promptsWithoutItems } },
    prompt: { ...(items as SchemaObject), definitions: schema.definitions, $schema: schema.$schema },
  };
}

/**
 * A copy of a schema in which each `$ref` to one of its `definitions` that
 * does not refer back to itself (`PromptInput`, `Output`, `JSONValue`,
 * `SchemaVersion`) is replaced by the definition's keywords (the `$ref`'s
 * sibling annotations, such as `description`, kept); a `$ref` to a
 * definition that refers back to itself (`JSONArray`) stays. What validates
 * is unchanged; ajv then checks a prompt and its outputs inline, where before
 * it called one function per input and per output with an options object and
 * a new `instancePath` string: about 4 MB of allocation for a 20,000-prompt
 * file, enough to start a scavenge that copies the freshly parsed document
 * (10-25 ms of a load). Errors keep their instance paths; a schema path names
 * the place of use (`#/properties/input/anyOf/0/type`), not the definition.
 */
export function inlineDefinitions(schema: SchemaObject): SchemaObject {
  const definitions = (schema.definitions ?? {}) as Record<string, unknown>;
  const refName = (node: unknown): string | undefined => {
    const ref = node !== null && typeof node === "object" ? (node as SchemaObject).$ref : undefined;
    return typeof ref === "string" && ref.startsWith("#/definitions/") ? ref.slice("#/definitions/".length) : undefined;
  };
  /** Whether definition `name` reaches itself through `$ref`s. */
  const recursive = (name: string): boolean => {
    const seen = new Set<string>();
    const reaches = (node: unknown): boolean => {
      if (node === null || typeof node !== "object") return false;
      const target = refName(node);
      if (target !== undefined) {
        if (target === name) return true;
        if (seen.has(target)) return false;
        seen.add(target);
        return reaches(definitions[target]);
      }
      return Object.values(node).some(reaches);
    };
    return reaches(definitions[name]);
  };
  const inlinable = new Set(Object.keys(definitions).filter((name) => !recursive(name)));
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (node === null || typeof node !== "object") return node;
    const target = refName(node);
    const out: SchemaObject = {};
    if (target !== undefined && inlinable.has(target)) {
      const { $ref: _ref, ...siblings } = node as SchemaObject;
      Object.assign(out, inline(definitions[target]) as SchemaObject);
      for (const [key, value] of Object.entries(siblings)) out[key] = inline(value);
      return out;
    }
    for (const [key, value] of Object.entries(node)) out[key] = key === "definitions" ? value : inline(value);
    return out;
  };
  const result = inline(schema) as SchemaObject;
  // The definitions still referred to (the recursive ones), with their inlinable references inlined.
  result.definitions = Object.fromEntries(
    Object.entries(definitions)
      .filter(([name]) => !inlinable.has(name))
      .map(([name, value]) => [name, inline(value)]),
  );
  return result;
}

/**
 * A copy of a schema in which every `anyOf` lists first its alternatives that
 * accept only scalars (string, number, boolean, null; e.g. a prompt's `input`
 * or `metadata.model` given as a string, an output's text `data`), keeping the
 * order otherwise. What validates is unchanged (an `anyOf` passes when any
 * alternative does); only the common case now passes its first alternative,
 * where before each string first failed the object alternative and ajv built
 * an error object for it: about 4 MB of garbage and two scavenges (~40 ms CPU)
 * for a 20,000-prompt file. Error explanations read the alternative's index
 * from each error's `schemaPath`, so they do not depend on the order.
 */
export function scalarBranchesFirst(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(scalarBranchesFirst);
  if (node === null || typeof node !== "object") return node;
  const copy: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) copy[key] = scalarBranchesFirst(value);
  if (Array.isArray(copy.anyOf)) {
    const branches = copy.anyOf as unknown[];
    copy.anyOf = [...branches.filter(acceptsOnlyScalars), ...branches.filter((b) => !acceptsOnlyScalars(b))];
  }
  return copy;
}

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean", "null"]);

/** Whether a schema has a `type` naming only scalar types. */
function acceptsOnlyScalars(branch: unknown): boolean {
  if (branch === null || typeof branch !== "object") return false;
  const type = (branch as SchemaObject).type;
  const types = Array.isArray(type) ? type : [type];
  return types.length > 0 && types.every((t) => typeof t === "string" && SCALAR_TYPES.has(t));
}

/** An ajv validate function: true when valid, else its `errors` are set. */
type Validate = ((data: unknown, context?: { instancePath: string }) => boolean) & { errors?: ErrorObject[] | null };

/** ajv's context argument for a prompt: errors' instance paths start at the prompt (the caller prefixes them). */
const PROMPT_CALL = Object.freeze({ instancePath: "" });

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
  const errors: ErrorObject[] = [];
  rootSchemaErrors(data, errors);
  const prompts = data !== null && typeof data === "object" ? (data as { prompts?: unknown }).prompts : undefined;
  if (Array.isArray(prompts)) {
    for (let i = 0; i < prompts.length; i++) promptSchemaErrors(prompts[i], i, errors);
  }
  return errors;
}

/**
 * Adds to `errors` the ajv errors of a document's top level, `prompts`
 * checked only to be an array (its prompts: {@link promptSchemaErrors}).
 */
export function rootSchemaErrors(data: unknown, errors: ErrorObject[]): void {
  const { root } = validators();
  if (!root(data)) for (const e of root.errors ?? []) errors.push(e);
}

/**
 * Adds to `errors` the ajv errors of prompt `index` of a document, instance
 * paths from the document root (`/prompts/3/input`). Checking a valid prompt
 * allocates nothing (one shared options object for every call).
 */
export function promptSchemaErrors(prompt: unknown, index: number, errors: ErrorObject[]): void {
  const check = validators().prompt;
  if (!check(prompt, PROMPT_CALL)) {
    for (const e of check.errors ?? []) errors.push({ ...e, instancePath: `/prompts/${index}${e.instancePath}` });
  }
}
