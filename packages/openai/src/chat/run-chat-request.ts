/**
 * Sends a chat request through the official `openai` SDK (the provider's
 * `run`), streamed or not, and turns the reply into outputs.
 *
 * Streaming iterates the SDK's raw stream (`chat.completions.create` with
 * `stream: true`; the SDK's `chat.completions.stream()` helper adds about a
 * millisecond before the first chunk and a fifth to the whole stream): each
 * chunk's text is delivered to the caller as it comes, and the chunks are
 * accumulated (text, refusals, tool call and legacy function call deltas,
 * usage; see `accumulate-chat-stream.ts`) into the completion, which is
 * converted exactly like a non-streamed reply, so both give the same outputs.
 * The client is kept per connection (`createClient`); the run's `signal` goes
 * with each request. Retries (429/5xx, honouring `retry-after`), timeouts and
 * cancellation (`signal`) are the SDK's, except under a caller that schedules
 * against rate limits (`ctx.reportRateLimit`): it gets each response's headers
 * and does the retrying.
 * API: https://platform.openai.com/docs/api-reference/chat/create
 *
 * @packageDocumentation
 */
import type { Output, RunContext } from "@aiconfig-ts/core";
import type { OpenAI } from "openai";
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import { ChatStreamAccumulator } from "./accumulate-chat-stream.js";
import type { ChatRequest } from "./build-chat-request.js";
import { completionToOutputs } from "./chat-completion-to-outputs.js";
import { cachedClient, type Connection, createClient, loadOpenAISDK, runConnection } from "../connection.js";
import { StreamInterruptedError } from "../errors.js";
import type { OpenAIPreset } from "../presets.js";
import { reportingRateLimit, requestOptions } from "../report-rate-limit.js";
import { namedProviderError } from "../sdk-errors.js";

/**
 * Runs a chat request on a preset's service.
 * Streams when the caller asks (`ctx.streaming`) or the request says `stream: true`.
 * What fails rejects the promise (nothing is thrown) as `namedProviderError`
 * makes it: a server fault that core's `providerFetch` found as its one-line
 * error, an SDK error under its class name.
 * @returns one output per choice.
 * @throws {MissingAPIKeyError} / {ConnectionSettingError} before sending, when the connection cannot be made.
 * @throws {StreamInterruptedError} when a stream breaks off mid-way, or ends before every choice has its finish reason.
 * @throws core's `ProviderResponseError` for a fault of the server (connection refused, a stall, not JSON, too large).
 * @throws the SDK's errors (`APIError` subclasses such as `RateLimitError` after retries, `APIConnectionError`,
 *   `APIUserAbortError` when `ctx.signal` aborts), which the runtime records as an `error` output.
 */
export function runChat(request: ChatRequest, ctx: RunContext, preset: OpenAIPreset): Promise<Output[]> {
  try {
    const connection = runConnection(preset, ctx);
    const client = cachedClient(connection);
    if (client && !ctx.streaming && request.stream !== true && !ctx.reportRateLimit) {
      // The usual run: a kept client, not streamed, nobody reading the response's headers (no withResponse()).
      // The SDK's promise is chained, not awaited in an async function: awaiting it (a Promise subclass)
      // costs a thenable job, and the async function its own promise, per run.
      return client.chat.completions.create(nonStreamedBody(request), requestOptions(ctx)).then(outputsOf, rejectNamed);
    }
    return runChatWith(client ?? createClient(connection), connection, request, ctx);
  } catch (error) {
    return Promise.reject(namedProviderError(error));
  }
}

/** The outputs of a completion; what fails to convert is thrown as {@link namedProviderError} names it. */
function outputsOf(completion: ChatCompletion): Output[] {
  try {
    return completionToOutputs(completion);
  } catch (error) {
    throw namedProviderError(error);
  }
}

/** Rejects with the error as {@link namedProviderError} names it. */
function rejectNamed(error: unknown): never {
  throw namedProviderError(error);
}

/** The body of a non-streamed request: the request as built, unless it carries stream fields to drop (no copy per run). */
function nonStreamedBody(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  return (request.stream === undefined && request.stream_options === undefined
    ? request
    : withoutStreamFields(request)) as unknown as ChatCompletionCreateParamsNonStreaming;
}

/** {@link runChat} once the client is made (the first run of a connection), streamed, or reporting rate limits. */
async function runChatWith(
  client: OpenAI | Promise<OpenAI>,
  connection: Connection,
  request: ChatRequest,
  ctx: RunContext,
): Promise<Output[]> {
  try {
    const sdkClient = await client;
    if (!ctx.streaming && request.stream !== true) {
      const body = nonStreamedBody(request);
      if (!ctx.reportRateLimit) return completionToOutputs(await sdkClient.chat.completions.create(body, requestOptions(ctx)));
      return completionToOutputs(
        await reportingRateLimit(ctx, sdkClient.chat.completions.create(body, requestOptions(ctx)).withResponse()),
      );
    }
    return await streamChat(sdkClient, connection, request, ctx);
  } catch (error) {
    throw namedProviderError(error);
  }
}

/** The request without `stream` and `stream_options` (the run decides whether it streams). */
function withoutStreamFields(request: ChatRequest): Omit<ChatRequest, "stream" | "stream_options"> {
  const { stream: _stream, stream_options: _options, ...body } = request;
  return body;
}

/** Streams a chat request: each chunk's text to `ctx.stream`, the chunks accumulated into the outputs. */
async function streamChat(client: OpenAI, connection: Connection, request: ChatRequest, ctx: RunContext): Promise<Output[]> {
  const { stream: _stream, stream_options, ...body } = request;
  const options = stream_options ?? (connection.preset.streamUsage ? { include_usage: true } : undefined);
  const params = {
    ...body,
    ...(options ? { stream_options: options } : {}),
    stream: true,
  } as unknown as ChatCompletionCreateParamsStreaming;
  const chunks = await reportingRateLimit(ctx, client.chat.completions.create(params, requestOptions(ctx)).withResponse());
  const reply = new ChatStreamAccumulator();
  let received = 0;
  try {
    for await (const chunk of chunks) {
      received++;
      reply.add(chunk);
      for (const choice of chunk.choices) {
        const delta = choice.delta?.content ?? choice.delta?.refusal;
        if (delta) ctx.stream({ delta, index: choice.index });
      }
    }
    // The SDK's stream ends quietly when the request is aborted.
    if ((ctx.cancellable !== false && ctx.signal.aborted) || chunks.controller.signal.aborted)
      throw new (await loadOpenAISDK()).APIUserAbortError();
    return completionToOutputs(reply.completion());
  } catch (error) {
    const { APIError } = await loadOpenAISDK();
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
