/**
 * Turns a prompt into the parameters of `models.generateContent` of
 * `@google/genai`: `{model, contents, config}`.
 *
 * Source: https://ai.google.dev/api/generate-content and the SDK's
 * `GenerateContentParameters` / `GenerateContentConfig`.
 *
 * @packageDocumentation
 */
import type { Content, GenerateContentConfig } from "@google/genai";
import type { JSONObject, JSONValue, ModelSettings, ResolveContext } from "@aiconfig-ts/core";
import { camelCase, camelKeysDeep } from "./camel-case.js";
import { toGeminiContents } from "./convert-to-gemini-contents.js";
import { toGeminiToolConfig, toGeminiTools } from "./convert-tools.js";
import { OWN_SETTING_KEYS } from "./settings-schema.js";

/** The request the Gemini provider sends (the SDK's `GenerateContentParameters`, without an abort signal). */
export interface GeminiRequest {
  model: string;
  contents: Content[];
  config?: GenerateContentConfig;
}

/** Config fields whose values hold only API field names, so their nested keys are camelCased too. */
const DEEP_CAMEL = new Set(["toolConfig", "thinkingConfig", "safetySettings", "speechConfig", "imageConfig", "routingConfig"]);

function isObject(value: unknown): value is JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function copyInto(config: { [key: string]: unknown }, settings: Readonly<{ [key: string]: JSONValue | undefined }>): void {
  for (const [key, value] of Object.entries(settings)) {
    if (OWN_SETTING_KEYS.includes(key) || value === undefined) continue;
    const name = camelCase(key);
    config[name] = DEEP_CAMEL.has(name) ? camelKeysDeep(value) : value;
  }
}

/** The text of a `system_prompt` setting: a string, or a `{role: "system", content}` message of files serialized from OpenAI. */
export function systemPromptText(value: JSONValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.content === "string") return value.content;
  return undefined;
}

/**
 * The generation config of a prompt's settings: `generation_config` (the
 * original Gemini extension's form), then the top-level settings over it,
 * each named in camelCase; `max_tokens` is read as `maxOutputTokens` when
 * that is unset; `tools` and `tool_choice` are converted (see
 * `toGeminiTools`, `toGeminiToolConfig`); the provider's own settings
 * (`OWN_SETTING_KEYS`) are left out.
 */
export function buildGenerateConfig(settings: Readonly<ModelSettings>, prompt: string): GenerateContentConfig {
  const config: { [key: string]: unknown } = {};
  if (isObject(settings.generation_config)) copyInto(config, settings.generation_config);
  copyInto(config, settings);
  if (config.maxOutputTokens === undefined && typeof settings.max_tokens === "number") config.maxOutputTokens = settings.max_tokens;
  if (Array.isArray(settings.tools)) config.tools = toGeminiTools(settings.tools);
  if (settings.tool_choice !== undefined && settings.tool_choice !== null)
    config.toolConfig = toGeminiToolConfig(settings.tool_choice, prompt);
  return config as GenerateContentConfig;
}

/**
 * Builds the request for a prompt: `model` (the `model` setting, else the
 * prompt's model name), `contents` (chat context and the prompt, see
 * `toGeminiContents`) and `config` (see {@link buildGenerateConfig}) with the
 * rendered `system_prompt` as `systemInstruction`. `config` is left out when empty.
 * @throws {MissingParameterError} when a template uses an undefined parameter.
 * @throws {AttachmentError} when an attachment cannot be read.
 */
export async function buildGeminiRequest(context: ResolveContext): Promise<GeminiRequest> {
  const settings = context.settings;
  const model = typeof settings.model === "string" && settings.model !== "" ? settings.model : context.model;
  const config = buildGenerateConfig(settings, context.prompt.name);
  const system = systemPromptText(settings.system_prompt);
  if (system !== undefined && system !== "") config.systemInstruction = context.render(system);
  const request: GeminiRequest = { model, contents: await toGeminiContents(context, model) };
  if (Object.keys(config).length > 0) request.config = config;
  return request;
}
