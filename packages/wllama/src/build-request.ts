/**
 * Builds the wllama provider's request from a prompt (the provider's
 * `resolve`): plain JSON, nothing fetched or loaded.
 *
 * @packageDocumentation
 */
import type { ResolveContext } from "@aiconfig-ts/core";
import {
  DEFAULT_MAX_TOKENS,
  DEFAULT_TEMPERATURE,
  DEFAULT_TOP_K,
  DEFAULT_TOP_P,
  type LlamaChatMessage,
  type LlamaRequest,
  llamaChatMessages,
  ModelNotFoundError,
  readLlamaSettings,
} from "@aiconfig-ts/llama/portable";

/**
 * What the wllama provider runs: the model's URL, the text and the sampling
 * settings (the Node llama provider's `LlamaRequest` fields, read by the same
 * schema, less the file path and the mode: a model with a chat template is
 * given `messages`, another `prompt`, decided when it is loaded).
 */
export interface WllamaRequest extends Omit<LlamaRequest, "model_path" | "mode" | "prompt" | "messages"> {
  /** Absolute URL of the GGUF file (on the site's own origin). */
  model_url: string;
  /** Text to continue when the model has no chat template (base models such as stories260K). */
  prompt: string;
  /** The conversation for a model with a chat template: `system_prompt`, earlier turns of the same model, then this prompt. */
  messages: LlamaChatMessage[];
}

/** Where the wllama provider finds models: model name -> absolute URL of its GGUF file. */
export type ModelUrls = Readonly<Record<string, string>>;

/**
 * Builds the request of a prompt. The model is looked up by name in
 * `modelUrls` (what `aiconfig export --site` copied); a `model_path` setting is
 * looked up there by its file name too.
 * @throws {ModelNotFoundError} when the site holds no GGUF file for the model
 * @throws {LlamaSettingsError} for a bad setting
 */
export function buildWllamaRequest(ctx: ResolveContext, modelUrls: ModelUrls): WllamaRequest {
  const where = `prompt "${ctx.prompt.name}" (model "${ctx.model}")`;
  const settings = readLlamaSettings(ctx.settings, where);
  const byPath = settings.model_path ? modelUrls[settings.model_path.split(/[\\/]/).pop() ?? ""] : undefined;
  const url = byPath ?? modelUrls[ctx.model];
  if (!url) {
    const known = Object.keys(modelUrls);
    throw new ModelNotFoundError(
      ctx.model,
      [],
      `${where}: this site has no GGUF file for model "${ctx.model}" (it has ${known.length ? known.map((k) => `"${k}"`).join(", ") : "none"}): export the site again with \`aiconfig export FILE --site DIR\` from a machine where the model's file is found`,
    );
  }
  // The Node provider's messages (earlier tool calls and results as readable text), so the page sends the same conversation.
  const messages = llamaChatMessages(ctx, settings.system_prompt);
  const request: WllamaRequest = {
    model_url: url,
    prompt: ctx.input.text,
    messages,
    max_tokens: settings.max_tokens ?? DEFAULT_MAX_TOKENS,
    temperature: settings.temperature ?? DEFAULT_TEMPERATURE,
    top_k: settings.top_k ?? DEFAULT_TOP_K,
    top_p: settings.top_p ?? DEFAULT_TOP_P,
  };
  const { seed, stop, threads, context_size } = settings;
  for (const [key, value] of Object.entries({ seed, stop, threads, context_size })) {
    if (value !== undefined) Object.assign(request, { [key]: value });
  }
  return request;
}
