/**
 * PaLM, for old files: Google shut the PaLM API down in 2024, so its prompts
 * (`models/text-bison-001`, `PaLM Chat`, `chat-bison-*`, ...) fail with one
 * line that says to move to a Gemini model.
 *
 * Source: https://ai.google.dev/palm_docs/deprecation
 *
 * @packageDocumentation
 */
import { AIConfigError, type Provider } from "@aiconfig-ts/core";

/** Provider ids and model names the original AIConfig SDKs used for PaLM. */
export const PALM_NAMES: readonly string[] = [
  "PaLM",
  "PaLM Chat",
  "PaLM Text",
  "palm-chat",
  "palm-text",
  "PaLMChatParser",
  "PaLMTextParser",
  "models/text-bison-001",
  "models/chat-bison-001",
];

/** Whether a model name is a PaLM model (`text-bison*`, `chat-bison*`, with or without `models/`, or a PaLM parser id). */
export function isPalmModel(model: string): boolean {
  return PALM_NAMES.includes(model) || /^(models\/)?(text|chat|code|codechat)-(bison|unicorn|gecko)/i.test(model);
}

/** The one-line error of a PaLM prompt. */
export function palmShutDownMessage(model: string, prompt?: string): string {
  return `PaLM (model "${model}"${prompt ? `, prompt "${prompt}"` : ""}) was shut down by Google in 2024; use a Gemini model instead, e.g. set the prompt's model to "gemini-2.0-flash"`;
}

/**
 * The retired PaLM API. `resolve` and `run` throw {@link palmShutDownMessage}.
 */
export const palmProvider: Provider<never> = {
  id: "palm",
  aliases: PALM_NAMES,
  description: "PaLM (shut down by Google in 2024): prompts fail with a line saying to use a Gemini model",
  capabilities: { tasks: ["text-generation", "chat"], streams: false, chat: false, retired: true },
  settingsSchema: { $schema: "http://json-schema.org/draft-07/schema#", type: "object", additionalProperties: true, properties: {} },
  servesModel: isPalmModel,
  resolve: (context) => {
    throw new AIConfigError(palmShutDownMessage(context.model, context.prompt.name));
  },
  run: async (_request, context) => {
    throw new AIConfigError(palmShutDownMessage(context.model, context.prompt.name));
  },
};
