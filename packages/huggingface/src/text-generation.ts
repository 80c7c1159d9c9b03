/**
 * The "Text Generation" task on Hugging Face Inference: a chat completion
 * (default) or a plain text completion, streamed on request.
 * Source: `chatCompletion`, `chatCompletionStream`, `textGeneration` and
 * `textGenerationStream` of `@huggingface/inference` 4.x, and the Hugging Face
 * text-generation and chat-completion task specifications (`@huggingface/tasks`).
 *
 * @packageDocumentation
 */
import type { ExecuteResult, JSONObject, JSONValue, ModelSettings, Output, Provider, RunContext, ToolCall } from "@aiconfig-ts/core";
import { type ChatMessage, chatMessages } from "./chat-messages.js";
import { StreamedToolCalls, replyToolCalls } from "./chat-tool-calls.js";
import { ACCESS_TOKEN_VARIABLES } from "./connection.js";
import { convertHuggingFaceUsage } from "./convert-huggingface-usage.js";
import { loadInference } from "./load-inference.js";
import { requestArgs, serializeChatRequest, serializeTextRequest } from "./serialize-request.js";
import { isHubModelId } from "./model-id.js";
import { connectionSettings, pickSettings, settingsSchema } from "./settings-schema.js";
import { textsIn } from "./reply-shapes.js";
import { HuggingFaceServiceError } from "./service-errors.js";
import {
  type CallArgs,
  type HuggingFaceRequest,
  callArgs,
  callService,
  readResult,
  requestBase,
  streamService,
  taskSettings,
  textOutput,
} from "./task-request.js";

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
      enum: ["chat", "text-generation", "completion"],
      default: "chat",
      description:
        "chat: the chat completion API (messages; earlier prompts of the model are sent as turns), for chat models. text-generation: text-generation-inference's generate API ({inputs, parameters} to the model's URL), for models without a chat template such as gpt2, on an endpoint or the hf-inference provider. completion: the OpenAI-style /v1/completions API, on any provider.",
    },
    system_prompt: { type: "string", description: "System message sent first (chat API); a template." },
    tools: {
      type: "array",
      items: { type: "object" },
      description:
        'Tools the model may call (chat API), in OpenAI\'s shape: [{"type": "function", "function": {"name", "description", "parameters"}}]. A call is stored as a tool_calls output; answer it with a prompt whose input is {"role": "tool", "tool_call_id", "data"}.',
    },
    tool_choice: {
      type: ["string", "object"],
      description:
        'Whether and which tool the model calls (chat API): "auto", "none", "required", or {"type": "function", "function": {"name"}}.',
    },
    max_new_tokens: {
      type: "integer",
      minimum: 1,
      description:
        "Maximum number of tokens to generate (max_tokens is the same). Unset: the server's default, which fits the model. Input tokens + max_new_tokens must fit the model's context (e.g. 4096).",
    },
    max_tokens: { type: "integer", minimum: 1, description: "Same as max_new_tokens (the chat API's name)." },
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
    stop: {
      type: ["array", "string"],
      items: { type: "string" },
      description: "Stop generating at any of these texts, or at this one (stop_sequences is the same).",
    },
    stop_sequences: { type: ["array", "string"], items: { type: "string" }, description: "Same as stop (the name the original SDK used)." },
    typical_p: { type: "number", minimum: 0, maximum: 1, description: "Locally typical sampling mass (completion API)." },
    truncate: { type: "integer", minimum: 1, description: "Keep only the last this many input tokens (completion API)." },
    watermark: { type: "boolean", description: "Watermark the text (completion API)." },
  },
);

/** A chat completion request: `{messages, max_tokens, temperature, ...}`. */
export type ChatRequest = HuggingFaceRequest<{ messages: ChatMessage[] } & JSONObject> & { api: "chat" };

/**
 * A text completion request: `{inputs, parameters: {max_new_tokens, ...}}`,
 * sent to text-generation-inference's generate API (`api: "text-generation"`)
 * or to the OpenAI-style completions API (`api: "completion"`).
 */
export type CompletionRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }> & {
  api: "completion" | "text-generation";
};

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
 * `stop` (or `stop_sequences`), `tools`, `tool_choice`; only those set.
 */
export function chatParameters(settings: Readonly<ModelSettings>): JSONObject {
  const out: JSONObject = {
    ...pickSettings(settings, ["temperature", "top_p", "seed", "frequency_penalty", "presence_penalty", "tools", "tool_choice"]),
  };
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

function chatMetadata(request: HuggingFaceRequest, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    model: request.model,
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined && v !== null && v !== "")),
  };
}

/**
 * The output of one choice: its tool calls as `{kind: "tool_calls", value}`
 * (the text beside them in `metadata.content`), else its text.
 */
function choiceOutput(text: string, calls: ToolCall[] | undefined, index: number, metadata: Record<string, unknown>): Output {
  if (!calls) return textOutput(text, index, metadata);
  return {
    output_type: "execute_result",
    execution_count: index,
    data: { kind: "tool_calls", value: calls },
    metadata: text === "" ? metadata : { ...metadata, content: text },
  } as ExecuteResult;
}

/**
 * The outputs of a whole chat reply: one per choice of a chat completion
 * (its text, or its `tool_calls` as a `{kind: "tool_calls"}` output, see
 * `replyToolCalls`); or, when the server answered in text-generation's shape
 * (`[{generated_text}]`, e.g. an endpoint of a model that is no chat model),
 * one per generated text; `undefined` for any other shape.
 */
export function chatReplyOutputs(request: HuggingFaceRequest, reply: unknown): Output[] | undefined {
  const r = reply as {
    id?: string;
    usage?: unknown;
    choices?: Array<{ index?: number; message?: { content?: unknown }; finish_reason?: string }>;
  } | null;
  if (r && typeof r === "object" && Array.isArray(r.choices)) {
    return r.choices.map((choice, i) =>
      choiceOutput(
        typeof choice?.message?.content === "string" ? choice.message.content : "",
        replyToolCalls(choice?.message),
        choice?.index ?? i,
        chatMetadata(request, { id: r.id, finish_reason: choice?.finish_reason, usage: r.usage }),
      ),
    );
  }
  return generatedOutputs(request, reply);
}

/** The outputs of a text-generation reply, `[{generated_text, details?}]` or `{generated_text}`; `undefined` for other shapes. */
export function generatedOutputs(request: HuggingFaceRequest, reply: unknown): Output[] | undefined {
  return textsIn(reply, "generated_text")?.map((t, i) =>
    textOutput(
      t.text,
      i,
      chatMetadata(request, { finish_reason: (t.item["details"] as { finish_reason?: string } | undefined)?.finish_reason }),
    ),
  );
}

async function runChat(request: ChatRequest, ctx: RunContext): Promise<Output[]> {
  const sdk = await loadInference();
  const args = { ...callArgs(request, ctx), ...request.args } as Parameters<typeof sdk.chatCompletion>[0];
  if (!ctx.streaming) {
    const result = await callService(request, ctx, (options) => sdk.chatCompletion(args, options), true);
    return readResult(request, result, (reply) => chatReplyOutputs(request, reply));
  }
  const texts = new Map<number, string>();
  const toolCalls = new StreamedToolCalls();
  const finish = new Map<number, string>();
  let usage: unknown;
  let id: string | undefined;
  const add = (index: number, delta: string, finishReason: string | null | undefined) => {
    texts.set(index, (texts.get(index) ?? "") + delta);
    if (delta) ctx.stream({ delta, index });
    if (finishReason) finish.set(index, finishReason);
  };
  for await (const chunk of streamService(request, ctx, (options) => sdk.chatCompletionStream(args, options), true)) {
    if (Array.isArray(chunk?.choices)) {
      id ??= chunk.id || undefined;
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        add(choice.index ?? 0, choice.delta?.content ?? "", choice.finish_reason);
        if (choice.delta?.tool_calls) toolCalls.add(choice.index ?? 0, choice.delta.tool_calls);
      }
    } else {
      // A server that streams text-generation-inference's tokens to a chat request.
      const piece = completionChunkText(chunk);
      add(0, piece.text, piece.finishReason);
    }
  }
  if (texts.size === 0) texts.set(0, "");
  return [...texts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, text]) =>
      choiceOutput(text, toolCalls.calls(index), index, chatMetadata(request, { id, finish_reason: finish.get(index), usage })),
    );
}

/**
 * The text of one streamed completion chunk: text-generation-inference's
 * `{token: {text, special}}` (special tokens give no text), or the OpenAI
 * completions shape `{choices: [{text}]}` that `@huggingface/inference` 4.x
 * receives from a `/v1/completions` route; `""` for other shapes.
 */
export function completionChunkText(chunk: unknown): { text: string; finishReason?: string } {
  const c = (chunk ?? {}) as {
    token?: { text?: string; special?: boolean };
    details?: { finish_reason?: string } | null;
    choices?: Array<{ text?: string; finish_reason?: string | null }>;
  };
  if (c.token)
    return {
      text: c.token.special ? "" : (c.token.text ?? ""),
      ...(c.details?.finish_reason ? { finishReason: c.details.finish_reason } : {}),
    };
  const choice = Array.isArray(c.choices) ? c.choices[0] : undefined;
  const text = typeof choice?.text === "string" ? choice.text : "";
  return { text, ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}) };
}

/** Hugging Face's router address of a model on the hf-inference provider (as the SDK builds it). */
function hfInferenceModelUrl(model: string): string {
  return `https://router.huggingface.co/hf-inference/models/${model}`;
}

/**
 * The SDK arguments of a text-generation-inference generate request: the
 * endpoint, else the model's URL on the hf-inference provider (the only
 * Inference Provider with that API).
 * @throws {HuggingFaceServiceError} when another provider is set
 */
function generateArgs(request: CompletionRequest, ctx: RunContext): CallArgs & CompletionRequest["args"] {
  const { provider, ...common } = callArgs(request, ctx);
  if (common.endpointUrl) return { ...common, ...request.args };
  if (provider !== undefined && provider !== "auto" && provider !== "hf-inference") {
    throw new HuggingFaceServiceError(
      `Hugging Face Text Generation (${request.model}): the "text-generation" api is served by endpoints and the hf-inference provider, not by provider ${provider}: set "api" to "completion", or the provider to hf-inference`,
      undefined,
      undefined,
    );
  }
  return { ...common, ...request.args, endpointUrl: hfInferenceModelUrl(request.model) };
}

/**
 * A completion (`api: "text-generation"` or `"completion"`): text-generation-inference's
 * generate API through the SDK's `request`/`streamingRequest`, or the
 * completions API through `textGeneration`/`textGenerationStream`.
 */
async function runCompletion(request: CompletionRequest, ctx: RunContext): Promise<Output[]> {
  const sdk = await loadInference();
  const generate = request.api === "text-generation";
  const args = (generate ? generateArgs(request, ctx) : { ...callArgs(request, ctx), ...request.args }) as Parameters<
    typeof sdk.textGeneration
  >[0];
  if (!ctx.streaming) {
    const result = await callService(request, ctx, (options) =>
      generate ? sdk.request(args, options) : sdk.textGeneration(args, options),
    );
    return readResult(request, result, (reply) => generatedOutputs(request, reply));
  }
  let text = "";
  let finishReason: string | undefined;
  const events = streamService<unknown>(request, ctx, (options) =>
    generate ? sdk.streamingRequest(args, options) : sdk.textGenerationStream(args, options),
  );
  for await (const chunk of events) {
    const piece = completionChunkText(chunk);
    if (piece.finishReason) finishReason = piece.finishReason;
    if (piece.text) {
      text += piece.text;
      ctx.stream({ delta: piece.text, index: 0 });
    }
  }
  return [textOutput(text, 0, chatMetadata(request, { finish_reason: finishReason }))];
}

/**
 * Generates text from the prompt's text with a language model.
 *
 * With `api: "chat"` (default) it sends a chat completion: the
 * `system_prompt`, the earlier prompts of the same model as turns (see
 * `chatMessages`, with earlier tool calls and their results) and the prompt's
 * text, image attachments (`image/*`) as `image_url` parts beside the text of
 * their turn (other attachments are refused in one line), with the `tools`
 * and `tool_choice` settings (a call of the chat left without its result
 * fails before sending); a reply's tool calls are
 * stored as a `{kind: "tool_calls"}` output; with `api: "text-generation"` or
 * `api: "completion"`, the prompt's text to continue (for models without a
 * chat template, such as gpt2). A chat reply in text-generation's shape
 * (`[{generated_text}]`) is read as such; a 422 "template not found" answer
 * to a chat request is a `NoChatTemplateError` suggesting
 * `"api": "text-generation"`. It streams through `ctx.stream` when the caller asks
 * (`ctx.streaming`); the old `stream` setting is not read. One text output per
 * choice, with `finish_reason` and `usage` (chat) in its metadata.
 *
 * It serves, when no `model_parsers` entry names a provider, every model name
 * shaped like a Hub repository id (`owner/name`, see `isHubModelId`).
 *
 * The wire formats, with an endpoint URL E: chat `POST E/v1/chat/completions`
 * with `{model, messages, ...}`; text-generation `POST E` with
 * `{inputs, parameters: {max_new_tokens, ...}}` (answered
 * `[{generated_text}]`, streamed as `{token: {text}}` events); completion
 * `POST E/v1/completions` with `{model, prompt, max_tokens, ...}` (answered
 * `{choices: [{text}]}`); server-sent events when streamed. An error the
 * server sends inside a stream ends the run with its message.
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
    credentials: ACCESS_TOKEN_VARIABLES,
    models: [TEXT_GENERATION_DEFAULT_MODEL],
  },
  settingsSchema: textGenerationSettingsSchema,
  servesModel: isHubModelId,
  resolve(ctx) {
    const settings = taskSettings(ctx, "Text Generation", textGenerationSettingsSchema);
    const base = requestBase(ctx, "Text Generation", TEXT_GENERATION_DEFAULT_MODEL, settings);
    const api = settings["api"];
    if (api === "completion" || api === "text-generation") {
      const parameters = completionParameters(settings);
      return { ...base, api, args: { inputs: ctx.input.text, ...(parameters ? { parameters } : {}) } };
    }
    const parameters = chatParameters(settings);
    return chatMessages(ctx).then((messages): ChatRequest => ({ ...base, api: "chat", args: { messages, ...parameters } }));
  },
  serialize(data, ctx) {
    const { args } = requestArgs(data, "Text Generation");
    const api = (data as { api?: unknown }).api === "text-generation" ? "text-generation" : "completion";
    return typeof args["inputs"] === "string"
      ? serializeTextRequest(data, ctx, "Text Generation", { api })
      : serializeChatRequest(data, ctx);
  },
  run(request, ctx) {
    return request.api === "chat" ? runChat(request, ctx) : runCompletion(request, ctx);
  },
  outputUsage: convertHuggingFaceUsage,
  outputText(output) {
    // Files written by the original SDK stored the whole response: {generated_text, details}.
    const data = (output as ExecuteResult).data as { generated_text?: unknown } | null;
    if (output.output_type === "execute_result" && data && typeof data === "object" && typeof data.generated_text === "string") {
      return data.generated_text;
    }
    return undefined;
  },
};
