/**
 * Setting names in snake_case (as aiconfig files write them) to the camelCase
 * names of `@google/genai`'s `GenerateContentConfig`.
 *
 * @packageDocumentation
 */
import type { JSONValue } from "@aiconfig-ts/core";

/** `max_output_tokens` -> `maxOutputTokens`; a camelCase name is kept. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `maxOutputTokens` -> `max_output_tokens`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Renames the keys of objects (and of objects in arrays) to camelCase, at
 * every depth. Only for values whose keys are all API field names (tool
 * config, thinking config, safety settings), never for schemas, whose keys
 * are the user's property names.
 */
export function camelKeysDeep(value: JSONValue): JSONValue {
  if (Array.isArray(value)) return value.map(camelKeysDeep);
  if (typeof value !== "object" || value === null) return value;
  const out: { [key: string]: JSONValue } = {};
  for (const [key, v] of Object.entries(value)) out[camelCase(key)] = camelKeysDeep(v);
  return out;
}
