/**
 * Where the value of a setting that applies to a run comes from: the
 * prompt's own settings, the file's settings for the model
 * (`metadata.models[model]`, merged under the prompt's by core's
 * `promptSettings`), or the provider's default (its settings schema).
 */
import type { JSONValue, ModelSettings } from "@aiconfig-ts/core";

/** Where an effective setting comes from. */
export type SettingSource = "prompt" | "file" | "provider" | "unset";

/** The value a run uses for one setting, and its source. */
export interface EffectiveSetting {
  readonly value: JSONValue | undefined;
  readonly source: SettingSource;
}

/**
 * The effective value of a setting.
 * @param own the settings edited here (a prompt's, or the file's for a model)
 * @param inherited settings under them (the file's for the prompt's model), if any
 * @param providerDefault the provider schema's `default`, if any
 * @param ownSource what `own` is ("prompt", or "file" for the file's model settings)
 */
export function effectiveSetting(
  key: string,
  own: ModelSettings,
  inherited: ModelSettings | undefined,
  providerDefault: JSONValue | undefined,
  ownSource: "prompt" | "file" = "prompt",
): EffectiveSetting {
  if (own[key] !== undefined) return { value: own[key], source: ownSource };
  if (inherited?.[key] !== undefined) return { value: inherited[key], source: "file" };
  if (providerDefault !== undefined) return { value: providerDefault, source: "provider" };
  return { value: undefined, source: "unset" };
}

/** How the form says it: `0.2 from this prompt`, `0 from the file's settings for gpt-4`, `0.8 provider default`, `not set`. */
export function describeSetting(s: EffectiveSetting, model: string | undefined): string {
  const v = s.value === undefined ? "" : JSON.stringify(s.value);
  switch (s.source) {
    case "prompt":
      return `${v} from this prompt`;
    case "file":
      return `${v} from the file's settings${model ? ` for ${model}` : ""}`;
    case "provider":
      return `${v} provider default`;
    case "unset":
      return "not set";
  }
}
