/**
 * What a prompt's model, settings and latest output are, read from the
 * document's plain data: the one place these rules live, shared by the
 * runtime, settings validation, the editor's server and the editor's page.
 *
 * Browser-safe: no `node:` imports and no runtime imports at all (types only),
 * exported as `@aiconfig-ts/core/document`.
 *
 * Source: the AIConfig specification (`shared/seeds/specification.md`): a
 * prompt's `metadata.model` is a model name or `{name, settings}`; without it
 * the root `metadata.default_model` applies; a prompt's settings are the root
 * `metadata.models[name]` settings overridden by its own.
 *
 * @packageDocumentation
 */
import type { ModelSettings, Output, Prompt } from "./types.js";

/** The root parts of a document that these functions read (a whole {@link AIConfig} fits). */
export interface DocumentModels {
  readonly metadata?: {
    readonly default_model?: string;
    readonly models?: Readonly<Record<string, ModelSettings>>;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The model a prompt names itself: `metadata.model` as a string, or its
 * `name` when it is `{name, settings}`.
 * @returns the model name, or `undefined` when the prompt names none (the root `default_model` then applies)
 */
export function promptOwnModelName(prompt: Prompt): string | undefined {
  const model = prompt.metadata?.model;
  if (typeof model === "string") return model;
  if (isObject(model) && typeof model.name === "string") return model.name;
  return undefined;
}

/**
 * The model a prompt runs on: its own `metadata.model` (a name or `{name}`),
 * else the document's `metadata.default_model`.
 * @returns the model name, or `undefined` when there is neither (the runtime then throws `NoModelError`)
 */
export function promptModelName(config: DocumentModels, prompt: Prompt): string | undefined {
  return promptOwnModelName(prompt) ?? config.metadata?.default_model;
}

/**
 * A prompt's own settings (`metadata.model.settings`).
 * @returns the settings object as stored (not a copy), or `undefined` when the prompt has none
 */
export function promptOwnSettings(prompt: Prompt): ModelSettings | undefined {
  const model = prompt.metadata?.model;
  if (!isObject(model)) return undefined;
  const settings = model.settings;
  return isObject(settings) ? (settings as ModelSettings) : undefined;
}

/**
 * The settings a prompt runs with: the document's `metadata.models[model]`
 * merged with the prompt's own settings (the prompt's win, key by key;
 * a shallow merge).
 * @param model the model name; default: {@link promptModelName}
 * @returns a new object; `{}` when the prompt has no model and no settings
 */
export function promptSettings(config: DocumentModels, prompt: Prompt, model = promptModelName(config, prompt)): ModelSettings {
  const root = model === undefined ? undefined : config.metadata?.models?.[model];
  return { ...root, ...promptOwnSettings(prompt) };
}

/**
 * Where each effective setting of a prompt comes from: the prompt's own
 * settings (`"prompt"`) or the document's `metadata.models[model]` (`"model"`).
 * Settings neither defines are absent (a provider's defaults are the provider's).
 * @param model the model name; default: {@link promptModelName}
 */
export function promptSettingSources(
  config: DocumentModels,
  prompt: Prompt,
  model = promptModelName(config, prompt),
): Record<string, "prompt" | "model"> {
  const out: Record<string, "prompt" | "model"> = {};
  const root = model === undefined ? undefined : config.metadata?.models?.[model];
  for (const key of Object.keys(root ?? {})) out[key] = "model";
  for (const key of Object.keys(promptOwnSettings(prompt) ?? {})) out[key] = "prompt";
  return out;
}

/**
 * A prompt's latest output: the last of its `outputs`, whatever its type (an
 * `error` output included). The original SDK's `getLatestOutput`.
 */
export function latestOutput(prompt: Prompt): Output | undefined {
  const outputs = prompt.outputs;
  return outputs?.length ? outputs[outputs.length - 1] : undefined;
}

/**
 * A prompt's latest result: the last `execute_result` of its `outputs`,
 * skipping `error` outputs. This is what `{{NAME.output}}` and a chat's
 * history read.
 */
export function latestResult(prompt: Prompt): Output | undefined {
  const outputs = prompt.outputs;
  if (!outputs) return undefined;
  for (let i = outputs.length - 1; i >= 0; i--) if (outputs[i]!.output_type === "execute_result") return outputs[i];
  return undefined;
}
