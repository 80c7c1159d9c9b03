/**
 * Building a task's `parameters` object from a prompt's settings.
 *
 * @packageDocumentation
 */
import type { JSONObject } from "@aiconfig-ts/core";
import { pickGenerationSettings, pickSettings } from "./settings-schema.js";

/**
 * Builds a text-to-text task's (summarization, translation) `parameters`: the `topLevel` settings as they are
 * (e.g. `clean_up_tokenization_spaces`, `truncation`), the generation settings (`max_length`,
 * `min_length`, `num_beams`, ...) under `generate_parameters`; `undefined`
 * when no setting is set.
 */
export function textToTextParameters(settings: Readonly<JSONObject>, topLevel: readonly string[]): JSONObject | undefined {
  const parameters: JSONObject = { ...pickSettings(settings, topLevel) };
  const generate = pickGenerationSettings(settings);
  if (generate) parameters["generate_parameters"] = generate;
  return Object.keys(parameters).length ? parameters : undefined;
}
