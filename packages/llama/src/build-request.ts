/**
 * Builds the llama provider's request from a prompt (the provider's
 * `resolve`): plain JSON, nothing loaded or sent.
 *
 * @packageDocumentation
 */
import type { ResolveContext } from "@aiconfig-ts/core";
import { type LlamaChatMessage, llamaChatMessages } from "./chat-messages.js";
import { DEFAULT_MODEL } from "./default-model.js";
import { readGgufFacts } from "./gguf-info.js";
import { resolveModelPath } from "./resolve-model-path.js";
import { DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TOP_K, DEFAULT_TOP_P, readLlamaSettings } from "./settings.js";

export type { LlamaChatMessage } from "./chat-messages.js";

/**
 * What the llama provider runs: the model file, the text (a `prompt` for base
 * models, `messages` for chat models) and the sampling settings.
 */
export interface LlamaRequest {
  /** Absolute path of the GGUF file (the default model's may not exist yet: `run` downloads it). */
  model_path: string;
  /** `completion` continues `prompt` (base models); `chat` answers the last of `messages` with the model's chat template. */
  mode: "completion" | "chat";
  /** Text to continue (`completion` mode). */
  prompt?: string;
  /** The conversation, ending with a user message (`chat` mode). */
  messages?: LlamaChatMessage[];
  /** Most tokens to generate. */
  max_tokens: number;
  temperature: number;
  top_k: number;
  top_p: number;
  /** Sampler seed; random when absent. */
  seed?: number;
  /** Texts that end generation. */
  stop?: string[];
  /** CPU threads, as set (clamped to the cores by `run`); `run` picks the default when absent. */
  threads?: number;
  /** Context window in tokens, as set; `run` picks the default when absent. */
  context_size?: number;
}

/**
 * Builds the request of a prompt. A model file that exists is looked at
 * (its header only) to tell a chat model (it has a chat template) from a base
 * model; the default model, when not downloaded yet, is a base model.
 * For chat models the messages are: `system_prompt` (if set), the earlier
 * prompts of the same model with their outputs ({@link ResolveContext.chatTurns}),
 * then this prompt's input; earlier tool calls and tool results as readable
 * text (`Tool call: NAME(ARGUMENTS)`, `Tool result (NAME): DATA`: see
 * `llamaChatMessages`), since local models are given no tools.
 * @throws {ModelNotFoundError} when the model file cannot be found.
 * @throws {LlamaSettingsError} for a bad setting.
 */
export async function buildLlamaRequest(ctx: ResolveContext): Promise<LlamaRequest> {
  const where = `prompt "${ctx.prompt.name}" (model "${ctx.model}")`;
  const settings = readLlamaSettings(ctx.settings, where);
  const located = resolveModelPath({ model: ctx.model, modelPath: settings.model_path, configDir: ctx.configDir, env: ctx.env });
  const chat = located.exists ? (await readGgufFacts(located.path)).chatTemplate !== undefined : DEFAULT_MODEL.chat;
  const request: LlamaRequest = {
    model_path: located.path,
    mode: chat ? "chat" : "completion",
    max_tokens: settings.max_tokens ?? DEFAULT_MAX_TOKENS,
    temperature: settings.temperature ?? DEFAULT_TEMPERATURE,
    top_k: settings.top_k ?? DEFAULT_TOP_K,
    top_p: settings.top_p ?? DEFAULT_TOP_P,
  };
  if (settings.seed !== undefined) request.seed = settings.seed;
  if (settings.stop) request.stop = settings.stop;
  if (settings.threads !== undefined) request.threads = settings.threads;
  if (settings.context_size !== undefined) request.context_size = settings.context_size;
  if (chat) {
    request.messages = llamaChatMessages(ctx, settings.system_prompt);
  } else {
    request.prompt = ctx.input.text;
  }
  return request;
}
