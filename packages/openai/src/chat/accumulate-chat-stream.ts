/**
 * Accumulates the chunks of a streamed Chat Completions reply into the
 * completion the same request gives without streaming, so that both are
 * turned into the same outputs.
 *
 * Follows the accumulation of the `openai` SDK's `chat.completions.stream()`
 * helper (`ChatCompletionStream`), without its event machinery: the
 * response's fields from the first chunk, updated by every later chunk that
 * has an `id` (so `usage` comes from the last chunk); per choice index, the
 * content and refusal deltas appended, the last `finish_reason`, log
 * probabilities appended; tool call deltas merged by their `index` (`id`,
 * `type` and `function.name` set, `function.arguments` appended); a legacy
 * `function_call` merged the same way. Where the helper differs, it is in
 * being less strict (a choice without a `role` is an assistant's, a tool
 * call without a `type` but with a `function` is a function call) and in
 * appending log probabilities once (the helper doubles the first chunk's).
 * Chunk shape: https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 *
 * @packageDocumentation
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionMessageToolCall } from "openai/resources/chat/completions";

/** The response-level fields a completion keeps from its chunks. */
const RESPONSE_FIELDS = ["id", "model", "created", "usage", "system_fingerprint", "service_tier"] as const;

type Logprobs = NonNullable<ChatCompletion.Choice["logprobs"]>;

interface ToolCallState {
  id?: string;
  type?: string;
  function?: { name: string; arguments: string };
  [field: string]: unknown;
}

interface ChoiceState {
  readonly index: number;
  finishReason: ChatCompletion.Choice["finish_reason"] | null;
  logprobs: Logprobs | null;
  content: string | null;
  refusal: string | null;
  /** DeepSeek's `reasoning_content` deltas, joined. */
  reasoningContent: string | null;
  /** Groq's `reasoning` deltas, joined. */
  reasoning: string | null;
  toolCalls: ToolCallState[] | undefined;
  functionCall: { name?: string; arguments?: string } | undefined;
  annotations: unknown;
  /** The audio parts seen (only to tell a finished audio reply, which may end without a finish_reason). */
  audio: { id: boolean; data: boolean; transcript: boolean; expiresAt: boolean } | undefined;
  /** The last delta held only the audio's `expires_at`: the audio is done. */
  audioDone: boolean;
}

/** A chunk's choice delta with the fields the types leave out (`audio`, `annotations`, and the reasoning of OpenAI-compatible servers). */
type Delta = ChatCompletionChunk.Choice.Delta & {
  audio?: { id?: string | null; data?: string | null; transcript?: string | null; expires_at?: number | null } | null;
  annotations?: unknown;
  /** DeepSeek's reasoning text. */
  reasoning_content?: string | null;
  /** Groq's reasoning text. */
  reasoning?: string | null;
};

/** A streamed reply that ended before it was complete; the message says what is missing. */
export class IncompleteStreamError extends Error {
  override name = "IncompleteStreamError";
}

/**
 * Collects the chunks of one streamed reply: {@link add} each chunk as it
 * comes, then {@link completion} once the stream has ended.
 */
export class ChatStreamAccumulator {
  #response: Record<string, unknown> | undefined;
  readonly #choices = new Map<number, ChoiceState>();

  /** Merges one chunk into the reply. */
  add(chunk: ChatCompletionChunk): void {
    const response = this.#response;
    if (response === undefined) {
      const first: Record<string, unknown> = {};
      for (const field of RESPONSE_FIELDS) if (Object.hasOwn(chunk, field)) first[field] = chunk[field];
      this.#response = first;
    } else if (chunk.id) {
      for (const field of RESPONSE_FIELDS) if (Object.hasOwn(chunk, field)) response[field] = chunk[field];
    }
    for (const choice of chunk.choices) this.#addChoice(choice);
  }

  #addChoice(chunkChoice: ChatCompletionChunk.Choice): void {
    const { index, finish_reason, logprobs } = chunkChoice;
    let choice = this.#choices.get(index);
    if (choice === undefined) {
      choice = {
        index,
        finishReason: null,
        logprobs: null,
        content: null,
        refusal: null,
        reasoningContent: null,
        reasoning: null,
        toolCalls: undefined,
        functionCall: undefined,
        annotations: undefined,
        audio: undefined,
        audioDone: false,
      };
      this.#choices.set(index, choice);
    }
    if (finish_reason) choice.finishReason = finish_reason;
    if (logprobs) appendLogprobs(choice, logprobs);
    const delta = chunkChoice.delta as Delta | undefined;
    if (!delta) return;
    choice.audioDone = false;
    const { content, refusal, tool_calls, function_call, audio } = delta;
    if (content) choice.content = (choice.content ?? "") + content;
    if (refusal) choice.refusal = (choice.refusal ?? "") + refusal;
    if (typeof delta.reasoning_content === "string") choice.reasoningContent = (choice.reasoningContent ?? "") + delta.reasoning_content;
    if (typeof delta.reasoning === "string") choice.reasoning = (choice.reasoning ?? "") + delta.reasoning;
    if (delta.annotations !== undefined) choice.annotations = delta.annotations;
    if (tool_calls) {
      choice.toolCalls ??= [];
      for (const call of tool_calls) mergeToolCall(choice.toolCalls, call);
    }
    if (function_call) {
      if (!choice.functionCall) {
        choice.functionCall = { ...function_call };
      } else {
        if (function_call.name) choice.functionCall.name = function_call.name;
        if (function_call.arguments) choice.functionCall.arguments = (choice.functionCall.arguments ?? "") + function_call.arguments;
      }
    }
    if (audio) {
      const seen = (choice.audio ??= { id: false, data: false, transcript: false, expiresAt: false });
      if (audio.id != null) seen.id = true;
      if (audio.data != null) seen.data = true;
      if (audio.transcript != null) seen.transcript = true;
      if (audio.expires_at != null) seen.expiresAt = true;
      choice.audioDone =
        audio.expires_at != null &&
        audio.id == null &&
        audio.data == null &&
        audio.transcript == null &&
        content == null &&
        refusal == null &&
        function_call == null &&
        delta.role == null &&
        tool_calls == null;
    }
  }

  /**
   * The whole reply as a non-streamed completion, choices in index order.
   * A tool call that came without an `id` gets one (`call_` and a UUID), as the SDK's helper gives it.
   * @throws {IncompleteStreamError} when no chunk came, or a choice has no finish reason, or a tool or
   *   function call has no name: the stream ended before the reply was complete.
   */
  completion(): ChatCompletion {
    const response = this.#response;
    if (response === undefined) throw new IncompleteStreamError("the stream ended before any chunk");
    const choices = [...this.#choices.values()].sort((a, b) => a.index - b.index).map(finishChoice);
    const { id, model, created, usage, system_fingerprint, service_tier } = response as Partial<ChatCompletion>;
    return {
      id: id ?? "",
      object: "chat.completion",
      created: created ?? 0,
      model: model ?? "",
      choices,
      ...(usage !== undefined ? { usage } : {}),
      ...(system_fingerprint ? { system_fingerprint } : {}),
      ...(service_tier !== undefined ? { service_tier } : {}),
    };
  }
}

function appendLogprobs(choice: ChoiceState, logprobs: Logprobs): void {
  if (!choice.logprobs) {
    choice.logprobs = {
      ...logprobs,
      content: logprobs.content && [...logprobs.content],
      refusal: logprobs.refusal && [...logprobs.refusal],
    };
    return;
  }
  if (logprobs.content) (choice.logprobs.content ??= []).push(...logprobs.content);
  if (logprobs.refusal) (choice.logprobs.refusal ??= []).push(...logprobs.refusal);
}

function mergeToolCall(calls: ToolCallState[], delta: ChatCompletionChunk.Choice.Delta.ToolCall): void {
  const { index, id, type, function: fn, ...rest } = delta;
  const call = (calls[index] ??= {});
  Object.assign(call, rest);
  if (id) call.id = id;
  if (type) call.type = type;
  if (fn) {
    call.function ??= { name: fn.name ?? "", arguments: "" };
    if (fn.name) call.function.name = fn.name;
    if (fn.arguments) call.function.arguments += fn.arguments;
  }
}

function finishChoice(choice: ChoiceState): ChatCompletion.Choice {
  const audioFinished = choice.audioDone && choice.audio?.id && choice.audio.data && choice.audio.transcript && choice.audio.expiresAt;
  const finishReason = choice.finishReason ?? (audioFinished ? "stop" : null);
  if (!finishReason) throw new IncompleteStreamError(`the stream ended without a finish_reason for choice ${choice.index}`);
  const message: ChatCompletion.Choice["message"] & Record<string, unknown> = {
    role: "assistant",
    content: choice.content,
    refusal: choice.refusal,
  };
  if (choice.reasoningContent !== null) message.reasoning_content = choice.reasoningContent;
  if (choice.reasoning !== null) message.reasoning = choice.reasoning;
  if (choice.annotations !== undefined) message.annotations = choice.annotations as ChatCompletion.Choice["message"]["annotations"];
  if (choice.functionCall) {
    const { name, arguments: args } = choice.functionCall;
    if (!name || args == null) throw new IncompleteStreamError(`the stream ended inside the function call of choice ${choice.index}`);
    message.function_call = { name, arguments: args };
  } else if (choice.toolCalls) {
    message.tool_calls = choice.toolCalls.filter((call) => call !== undefined).map((call, i) => finishToolCall(call, choice.index, i));
  }
  return { index: choice.index, finish_reason: finishReason, logprobs: choice.logprobs, message };
}

function finishToolCall(call: ToolCallState, choice: number, position: number): ChatCompletionMessageToolCall {
  const { id, type, function: fn, ...rest } = call;
  const kind = type ?? (fn ? "function" : undefined);
  if (kind === undefined || (kind === "function" && !fn)) {
    throw new IncompleteStreamError(`the stream ended inside tool call ${position} of choice ${choice}`);
  }
  return {
    ...rest,
    id: id || `call_${globalThis.crypto.randomUUID()}`,
    type: kind,
    ...(fn ? { function: fn } : {}),
  } as ChatCompletionMessageToolCall;
}
