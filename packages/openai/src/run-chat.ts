/**
 * Sends a chat request through the official `openai` SDK (the provider's
 * `run`), streamed or not, and turns the reply into outputs.
 *
 * Streaming uses the SDK's `chat.completions.stream` helper: each chunk's
 * text is delivered to the caller as it comes, and the helper's accumulated
 * completion (text, refusals, tool call and legacy function call deltas,
 * usage) is converted exactly like a non-streamed reply, so both give the same
 * outputs. Retries (429/5xx, honouring `retry-after`), timeouts and
 * cancellation (`signal`) are the SDK's.
 * API: https://platform.openai.com/docs/api-reference/chat/create
 *
 * @packageDocumentation
 */
import type { Output, RunContext } from "@aiconfig-ts/core";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import type { ChatRequest } from "./build-chat-request.js";
import { completionToOutputs } from "./completion-to-outputs.js";
import { createClient, resolveConnection } from "./connection.js";
import { StreamInterruptedError } from "./errors.js";
import type { OpenAIPreset } from "./presets.js";

/**
 * Runs a chat request on a preset's service.
 * Streams when the caller asks (`ctx.streaming`) or the request says `stream: true`.
 * @returns one output per choice.
 * @throws {MissingAPIKeyError} / {ConnectionSettingError} before sending, when the connection cannot be made.
 * @throws {StreamInterruptedError} when a stream breaks off mid-way.
 * @throws the SDK's errors (`APIError` subclasses such as `RateLimitError` after retries, `APIConnectionError`,
 *   `APIUserAbortError` when `ctx.signal` aborts), which the runtime records as an `error` output.
 */
export async function runChat(request: ChatRequest, ctx: RunContext, preset: OpenAIPreset): Promise<Output[]> {
  const connection = resolveConnection(preset, ctx.settings, ctx.env, ctx.prompt.name);
  const client = await createClient(connection);
  const { stream, stream_options, ...body } = request;
  if (!ctx.streaming && stream !== true) {
    const completion = await client.chat.completions.create(body as unknown as ChatCompletionCreateParamsNonStreaming, {
      signal: ctx.signal,
    });
    return completionToOutputs(completion);
  }
  const options = stream_options ?? (connection.preset.streamUsage ? { include_usage: true } : undefined);
  const params = { ...body, ...(options ? { stream_options: options } : {}) } as unknown as ChatCompletionCreateParamsStreaming;
  const runner = client.chat.completions.stream(params, { signal: ctx.signal });
  let received = 0;
  runner.on("chunk", (chunk) => {
    received++;
    for (const choice of chunk.choices) {
      const delta = choice.delta?.content ?? choice.delta?.refusal;
      if (delta) ctx.stream({ delta, index: choice.index });
    }
  });
  try {
    return completionToOutputs(await runner.finalChatCompletion());
  } catch (error) {
    const { APIError } = await import("openai");
    if (ctx.signal.aborted || error instanceof APIError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StreamInterruptedError(
      `prompt "${ctx.prompt.name}": the streamed reply broke off after ${received} chunks (${reason}); run the prompt again`,
      {
        cause: error,
      },
    );
  }
}
