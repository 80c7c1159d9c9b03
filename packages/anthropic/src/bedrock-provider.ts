/**
 * Claude on Amazon Bedrock, for files written for the original AIConfig SDK's
 * `ClaudeBedrockModelParser` (e.g. the Claude-And-Azure cookbook, model
 * `claudev2:1` / `anthropic.claude-v2:1`). Bedrock is a different API (AWS
 * signing, its own model ids) that this package does not call: prompts
 * resolve to the Messages request they would send, and running them fails
 * with one line that says how to move them to the `anthropic` provider.
 *
 * @packageDocumentation
 */
import { AIConfigError, type Provider, type ResolveContext, type RunContext } from "@aiconfig-ts/core";
import { type AnthropicRequest, buildAnthropicRequest } from "./build-anthropic-request.js";
import { anthropicSettingsSchema } from "./settings-schema.js";

/** Model names the original Bedrock parser was registered for in files. */
export const BEDROCK_MODEL_NAMES: readonly string[] = ["claudev2:1"];

/** Whether a model name is a Bedrock Claude id, e.g. `anthropic.claude-v2:1` or `us.anthropic.claude-3-5-sonnet-20240620-v1:0`. */
export function isBedrockClaudeModel(model: string): boolean {
  return /^([a-z]{2,4}\.)?anthropic\.claude/i.test(model) || BEDROCK_MODEL_NAMES.includes(model);
}

/** The one-line error of running a Bedrock prompt. */
export function bedrockNotSupportedMessage(prompt: string, model: string): string {
  return `prompt "${prompt}" runs Claude on Amazon Bedrock (model "${model}"), which is not supported: use the "anthropic" provider instead by setting the prompt's model to a current Claude model such as "claude-sonnet-4-5" (and removing its "model" setting), with ANTHROPIC_API_KEY set`;
}

/**
 * The `ClaudeBedrockModelParser` of old files. `resolve` builds the Messages
 * request (model from the `model` setting, `max_tokens_to_sample` read as
 * `max_tokens`); `run` throws {@link bedrockNotSupportedMessage}.
 */
export const claudeBedrockProvider: Provider<AnthropicRequest> = {
  id: "anthropic-bedrock",
  aliases: ["ClaudeBedrockModelParser"],
  description: "Claude on Amazon Bedrock (old files): resolves, but running needs the anthropic provider",
  chat: true,
  capabilities: { tasks: ["chat"], streams: false, chat: true, retired: true },
  settingsSchema: anthropicSettingsSchema,
  servesModel: isBedrockClaudeModel,
  resolve: (context: ResolveContext) => buildAnthropicRequest(context),
  run: async (request: AnthropicRequest, context: RunContext) => {
    throw new AIConfigError(bedrockNotSupportedMessage(context.prompt.name, request.model));
  },
};
