/**
 * The "Text Generation" task on Hugging Face Inference: a chat completion
 * (default) or a plain text completion, streamed on request.
 * Source: `chatCompletion`, `chatCompletionStream`, `textGeneration` and
 * `textGenerationStream` of `@huggingface/inference` 4.x, and the Hugging Face
 * text-generation and chat-completion task specifications (`@huggingface/tasks`).
 *
 * @packageDocumentation
 */
import type { ExecuteResult, JSONObject, JSONValue, ModelSettings, Output, Provider, RunContext } from "@aiconfig-ts/core";
import { type ChatMessage, chatMessages } from "./chat-messages.js";
import { loadInference } from "./load-inference.js";
import { requestArgs, serializeChatRequest, serializeTextRequest } from "./serialize-request.js";
import { isHubModelId } from "./model-id.js";
import { connectionSettings, pickSettings, settingsSchema } from "./settings-schema.js";
import { type HuggingFaceRequest, callArgs, callOptions, requestBase, textOutput } from "./task-request.js";

/** Default model of {@link textGenerationProvider}: an open instruction-tuned model most Inference Providers serve. */
export const TEXT_GENERATION_DEFAULT_MODEL = "Qwen/Qwen2.5-7B-Instruct";

/** Settings of {@link textGenerationProvider} (JSON Schema draft-07). */
export const textGenerationSettingsSchema = settingsSchema(
  "Text Generation",
  "Continues or answers the prompt's text with a language model.",
  {
    ...connectionSettings(TEXT_GENERATION_DEFAULT_MODEL),
    api: {
      type: "string",
      enum: ["chat", "completion"],
      default: "chat",
      description:
        "chat: the chat completion API (messages; earlier prompts of the model are sent as turns). completion: plain text completion of the prompt's text.",
    },
    system_prompt: { type: "string", description: "System message sent first (chat API); a template." },
    max_new_tokens: { type: "integer", minimum: 1, description: "Maximum number of tokens to generate (max_tokens is the same)." },
    max_tokens: { type: "integer", minimum: 1, description: "Maximum number of tokens to generate (max_new_tokens is the same)." },
    temperature: { type: "number", minimum: 0, maximum: 2, description: "Sampling temperature; higher is more random." },
    top_p: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Nucleus sampling: sample among the tokens whose probabilities add up to top_p.",
    },
    top_k: { type: "integer", minimum: 0, description: "Sample among the k most likely tokens (completion API)." },
    repetition_penalty: { type: "number", minimum: 0, description: "Penalty for repeated tokens; 1 means none (completion API)." },
    frequency_penalty: { type: "number", minimum: -2, maximum: 2, description: "Penalty for tokens by how often they appeared so far." },
    presence_penalty: { type: "number", minimum: -2, maximum: 2, description: "Penalty for tokens that appeared so far (chat API)." },
    do_sample: { type: "boolean", description: "Sample instead of greedy decoding (completion API)." },
    return_full_text: { type: "boolean", description: "Return the prompt's text before the generated text (completion API)." },
    seed: { type: "integer", minimum: 0, description: "Random seed, for outputs that can be reproduced." },
    stop: { type: "array", items: { type: "string" }, description: "Stop generating at any of these texts (stop_sequences is the same)." },
    stop_sequences: { type: "array", items: { type: "string" }, description: "Same as stop (the name the original SDK used)." },
    typical_p: { type: "number", minimum: 0, maximum: 1, description: "Locally typical sampling mass (completion API)." },
    truncate: { type: "integer", minimum: 1, description: "Keep only the last this many input tokens (completion API)." },
    watermark: { type: "boolean", description: "Watermark the text (completion API)." },
  },
);

/** A chat completion request: `{messages, max_tokens, temperature, ...}`. */
export type ChatRequest = HuggingFaceRequest<{ messages: ChatMessage[] } & JSONObject> & { api: "chat" };

/** A text completion request: `{inputs, parameters: {max_new_tokens, ...}}`. */
export type CompletionRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }> & { api: "completion" };

/** A Text Generation request. */
export type TextGenerationRequest = ChatRequest | CompletionRequest;

function first(settings: Readonly<ModelSettings>, ...keys: string[]): JSONValue | undefined {
  for (const key of keys) {
    const value = settings[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function stopSetting(settings: Readonly<ModelSettings>): string[] | undefined {
  const stop = first(settings, "stop", "stop_sequences");
  if (typeof stop === "string") return [stop];
  return Array.isArray(stop) ? stop.filter((s): s is string => typeof s === "string") : undefined;
}

/**
 * The chat completion parameters: `max_tokens` (or `max_new_tokens`),
 * `temperature`, `top_p`, `seed`, `frequency_penalty`, `presence_penalty`,
 * `stop` (or `stop_sequences`); only those set.
 */
export function chatParameters(settings: Readonly<ModelSettings>): JSONObject {
  const out: JSONObject = { ...pickSettings(settings, ["temperature", "top_p", "seed", "frequency_penalty", "presence_penalty"]) };
  const maxTokens = first(settings, "max_tokens", "max_new_tokens");
  if (maxTokens !== undefined) out["max_tokens"] = maxTokens;
  const stop = stopSetting(settings);
  if (stop) out["stop"] = stop;
  return out;
}

/**
 * The text completion `parameters` (text-generation-inference's names):
 * `max_new_tokens` (or `max_tokens`), `stop` (or `stop_sequences`) and
 * `temperature`, `top_p`, `top_k`, `repetition_penalty`, `frequency_penalty`,
 * `do_sample`, `return_full_text`, `seed`, `typical_p`, `truncate`,
 * `watermark`; `undefined` when none is set.
 */
export function completionParameters(settings: Readonly<ModelSettings>): JSONObject | undefined {
  const out: JSONObject = {
    ...pickSettings(settings, [
      "temperature",
      "top_p",
      "top_k",
      "repetition_penalty",
      "frequency_penalty",
      "do_sample",
      "return_full_text",
      "seed",
      "typical_p",
      "truncate",
      "watermark",
    ]),
  };
  const maxNew = first(settings, "max_new_tokens", "max_tokens");
  if (maxNew !== undefined) out["max_new_tokens"] = maxNew;
  const stop = stopSetting(settings);
  if (stop) out["stop"] = stop;
  return Object.keys(out).length ? out : undefined;
}

async function runChat(request: ChatRequest, ctx: RunContext): Promise<Output[]> {
  const sdk = await loadInference();
  const args = { ...callArgs(request, ctx), ...request.args } as Parameters<typeof sdk.chatCompletion>[0];
  if (!ctx.streaming) {
    const response = await sdk.chatCompletion(args, callOptions(ctx));
    return response.choices.map((choice, i) =>
      textOutput(choice.message?.content ?? "", choice.index ?? i, {
        model: request.model,
        ...(response.id ? { id: response.id } : {}),
        ...(choice.finish_reason ? { finish_reason: choice.finish_reason } : {}),
        ...(response.usage ? { usage: response.usage } : {}),
      }),
    );
  }
  const texts = new Map<number, string>();
  const finish = new Map<number, string>();
  let usage: unknown;
  let id: string | undefined;
  for await (const chunk of sdk.chatCompletionStream(args, callOptions(ctx))) {
    id ??= chunk.id || undefined;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      const delta = choice.delta?.content ?? "";
      texts.set(index, (texts.get(index) ?? "") + delta);
      if (delta) ctx.stream({ delta, index });
      if (choice.finish_reason) finish.set(index, choice.finish_reason);
    }
  }
  if (texts.size === 0) texts.set(0, "");
  return [...texts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, text]) =>
      textOutput(text, index, {
        model: request.model,
        ...(id ? { id } : {}),
        ...(finish.has(index) ? { finish_reason: finish.get(index) } : {}),
        ...(usage ? { usage } : {}),
      }),
    );
}

/**
 * The text of one streamed completion chunk: text-generation-inference's
 * `{token: {text, special}}` (special tokens give no text), or the OpenAI
 * completions shape `{choices: [{text}]}` that `@huggingface/inference` 4.x
 * receives from a `/v1/completions` route.
 */
export function completionChunkText(chunk: unknown): { text: string; finishReason?: string } {
  const c = chunk as {
    token?: { text?: string; special?: boolean };
    details?: { finish_reason?: string };
    choices?: Array<{ text?: string; finish_reason?: string | null }>;
  };
  if (c.token)
    return {
      text: c.token.special ? "" : (c.token.text ?? ""),
      ...(c.details?.finish_reason ? { finishReason: c.details.finish_reason } : {}),
    };
  const choice = c.choices?.[0];
  return { text: choice?.text ?? "", ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}) };
}

async function runCompletion(request: CompletionRequest, ctx: RunContext): Promise<Output[]> {
  const sdk = await loadInference();
  const args = { ...callArgs(request, ctx), ...request.args } as Parameters<typeof sdk.textGeneration>[0];
  if (!ctx.streaming) {
    const response = await sdk.textGeneration(args, callOptions(ctx));
    const finishReason = response.details?.finish_reason;
    return [textOutput(response.generated_text, 0, { model: request.model, ...(finishReason ? { finish_reason: finishReason } : {}) })];
  }
  let text = "";
  let finishReason: string | undefined;
  for await (const chunk of sdk.textGenerationStream(args, callOptions(ctx))) {
    const piece = completionChunkText(chunk);
    if (piece.finishReason) finishReason = piece.finishReason;
    if (piece.text) {
      text += piece.text;
      ctx.stream({ delta: piece.text, index: 0 });
    }
  }
  return [textOutput(text, 0, { model: request.model, ...(finishReason ? { finish_reason: finishReason } : {}) })];
}

/**
 * Generates text from the prompt's text with a language model.
 *
 * With `api: "chat"` (default) it sends a chat completion: the
 * `system_prompt`, the earlier prompts of the same model as turns (see
 * `chatMessages`) and the prompt's text; with `api: "completion"`, the prompt's
 * text to complete. It streams through `ctx.stream` when the caller asks
 * (`ctx.streaming`); the old `stream` setting is not read. One text output per
 * choice, with `finish_reason` and `usage` (chat) in its metadata.
 *
 * It serves, when no `model_parsers` entry names a provider, every model name
 * shaped like a Hub repository id (`owner/name`, see `isHubModelId`).
 *
 * The wire formats, with an endpoint URL E: chat `POST E/v1/chat/completions`
 * with `{model, messages, ...}`; completion `POST E/v1/completions` with
 * `{model, prompt, max_tokens, ...}` (answered `{choices: [{text}]}`), both
 * as server-sent events when streamed.
 */
export const textGenerationProvider: Provider<TextGenerationRequest> = {
  id: "Text Generation",
  aliases: [
    "HuggingFaceTextGenerationParser",
    "HuggingFaceTextGenerationTransformer",
    "HuggingFaceTextGenerationRemoteInference",
    "HuggingFaceConversationalRemoteInference",
    // The original SDK ran Llama Guard (meta-llama/LlamaGuard-7b) through its own parser; Hugging Face serves that model today.
    "LlamaGuardParser",
  ],
  description: "Text generation on Hugging Face Inference, chat or completion (default Qwen/Qwen2.5-7B-Instruct)",
  chat: true,
  capabilities: {
    tasks: ["text-generation", "chat"],
    streams: true,
    chat: true,
    credentials: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"],
    models: [TEXT_GENERATION_DEFAULT_MODEL],
  },
  settingsSchema: textGenerationSettingsSchema,
  servesModel: isHubModelId,
  resolve(ctx) {
    const base = requestBase(ctx, "Text Generation", TEXT_GENERATION_DEFAULT_MODEL);
    if (ctx.settings["api"] === "completion") {
      const parameters = completionParameters(ctx.settings);
      return { ...base, api: "completion", args: { inputs: ctx.input.text, ...(parameters ? { parameters } : {}) } };
    }
    return { ...base, api: "chat", args: { messages: chatMessages(ctx), ...chatParameters(ctx.settings) } };
  },
  serialize(data, ctx) {
    const { args } = requestArgs(data, "Text Generation");
    return typeof args["inputs"] === "string"
      ? serializeTextRequest(data, ctx, "Text Generation", { api: "completion" })
      : serializeChatRequest(data, ctx);
  },
  run(request, ctx) {
    return request.api === "completion" ? runCompletion(request, ctx) : runChat(request, ctx);
  },
  outputText(output) {
    // Files written by the original SDK stored the whole response: {generated_text, details}.
    const data = (output as ExecuteResult).data as { generated_text?: unknown } | null;
    if (output.output_type === "execute_result" && data && typeof data === "object" && typeof data.generated_text === "string") {
      return data.generated_text;
    }
    return undefined;
  },
};
