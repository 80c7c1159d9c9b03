/**
 * Turns a prompt into the body of a Messages API request (`POST /v1/messages`).
 *
 * Source: https://docs.anthropic.com/en/api/messages
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { JSONValue, ResolveContext } from "@aiconfig-ts/core";
import { toAnthropicMessages } from "./convert-to-anthropic-messages.js";
import { toAnthropicTool, toAnthropicToolChoice } from "./convert-tools.js";
import { DEFAULT_MAX_TOKENS, OWN_SETTING_KEYS } from "./settings-schema.js";

/**
 * The request the Anthropic provider sends: the SDK's non-streaming
 * `MessageCreateParams`, plus any other setting of the prompt (sent as is).
 */
export interface AnthropicRequest extends Anthropic.MessageCreateParamsNonStreaming {
  [key: string]: unknown;
}

/**
 * The text of a `system_prompt` setting: a string, or the `{role: "system",
 * content}` message that files serialized from OpenAI requests hold.
 */
export function systemPromptText(value: JSONValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value) && typeof value.content === "string") return value.content;
  return undefined;
}

/**
 * Builds the request for a prompt:
 * - `model`: the `model` setting, else the prompt's model name;
 * - `max_tokens`: the setting, else the legacy `max_tokens_to_sample`, else {@link DEFAULT_MAX_TOKENS};
 * - `system`: the `system_prompt` setting rendered with the prompt's parameters;
 * - `messages`: the chat context and the prompt (see {@link toAnthropicMessages});
 * - `tools` / `tool_choice`: converted from OpenAI shapes when needed;
 * - every other setting except the provider's own ({@link OWN_SETTING_KEYS}) as it is.
 * @throws {MissingParameterError} when a template uses an undefined parameter.
 * @throws {AttachmentError} when an attachment cannot be read.
 */
export async function buildAnthropicRequest(context: ResolveContext): Promise<AnthropicRequest> {
  const settings = context.settings;
  const passed: { [key: string]: unknown } = {};
  for (const [key, value] of Object.entries(settings)) {
    if (!OWN_SETTING_KEYS.includes(key) && value !== undefined) passed[key] = value;
  }
  const model = typeof settings.model === "string" && settings.model !== "" ? settings.model : context.model;
  const maxTokens = settings.max_tokens ?? settings.max_tokens_to_sample ?? DEFAULT_MAX_TOKENS;
  const request: AnthropicRequest = { model, ...passed, max_tokens: maxTokens as number, messages: [] };
  const system = systemPromptText(settings.system_prompt);
  if (system !== undefined && system !== "") request.system = context.render(system);
  if (Array.isArray(settings.tools)) request.tools = settings.tools.map(toAnthropicTool) as unknown as Anthropic.ToolUnion[];
  if (settings.tool_choice !== undefined && settings.tool_choice !== null) {
    request.tool_choice = toAnthropicToolChoice(settings.tool_choice, context.prompt.name) as unknown as Anthropic.ToolChoice;
  }
  request.messages = await toAnthropicMessages(context);
  return request;
}
