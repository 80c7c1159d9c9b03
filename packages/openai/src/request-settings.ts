/**
 * How every OpenAI provider of this package turns settings into request
 * fields: which settings are passed through, and which model is sent.
 *
 * @packageDocumentation
 */
import type { JSONValue, ModelSettings } from "@aiconfig-ts/core";

/**
 * The settings that go into a request body unchanged: all but `model`, the
 * keys this package reads itself (`own`) and `undefined` values.
 * @param own the provider's own setting keys (e.g. the connection settings), never sent
 */
export function passThroughSettings(settings: Readonly<ModelSettings>, own: readonly string[]): Record<string, JSONValue> {
  const out: Record<string, JSONValue> = {};
  // for..in over the settings (a plain object from the file): no array of entries per request.
  for (const key in settings) {
    if (key === "model" || !Object.hasOwn(settings, key)) continue;
    const value = settings[key];
    if (value === undefined || own.includes(key)) continue;
    out[key] = value;
  }
  return out;
}

/** The model sent: the `model` setting, else the prompt's model name. */
export function requestModel(settings: Readonly<ModelSettings>, model: string): string {
  return typeof settings.model === "string" && settings.model !== "" ? settings.model : model;
}
