/**
 * The Anthropic provider: Claude models through the Messages API, on the
 * official `@anthropic-ai/sdk`.
 *
 * Source: https://docs.anthropic.com/en/api/messages
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { type AnthropicRequest, buildAnthropicRequest } from "./build-anthropic-request.js";
import { ANTHROPIC_KEY_VARIABLES } from "./client-options.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { runAnthropicRequest } from "./run-anthropic-request.js";
import { serializeAnthropicRequest } from "./serialize-anthropic-request.js";
import { anthropicSettingsSchema } from "./settings-schema.js";

/** Whether a model name is an Anthropic API model id (`claude-*`). */
export function isClaudeModel(model: string): boolean {
  return /^claude-/i.test(model);
}

/**
 * Runs prompts on Claude through the Messages API (`POST /v1/messages`):
 * text and image/PDF inputs, the `system_prompt` setting, chat context,
 * streaming, tools. Serves every `claude-*` model name. Needs
 * `ANTHROPIC_API_KEY` (or `ANTHROPIC_AUTH_TOKEN`, or the `api_key` setting).
 */
export const anthropicProvider: Provider<AnthropicRequest> = {
  id: "anthropic",
  aliases: ["claude", "AnthropicModelParser"],
  description: "Anthropic Claude models through the Messages API (@anthropic-ai/sdk)",
  chat: true,
  capabilities: {
    tasks: ["chat", "text-generation", "summarization", "translation", "image-to-text"],
    inputMedia: ["image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/*"],
    streams: true,
    chat: true,
    credentials: ANTHROPIC_KEY_VARIABLES,
    models: [
      "claude-sonnet-4-5",
      "claude-haiku-4-5",
      "claude-opus-4-1",
      "claude-sonnet-4-0",
      "claude-3-7-sonnet-latest",
      "claude-3-5-haiku-latest",
    ],
  },
  settingsSchema: anthropicSettingsSchema,
  servesModel: isClaudeModel,
  resolve: buildAnthropicRequest,
  run: runAnthropicRequest,
  outputUsage: convertAnthropicUsage,
  serialize: serializeAnthropicRequest,
};
