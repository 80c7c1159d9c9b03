/**
 * Sends a Messages API request with `@anthropic-ai/sdk` (loaded lazily) and
 * turns the response into outputs, streaming text deltas when asked.
 *
 * Source: the SDK's `messages.create` and `messages.stream` (a `MessageStream`
 * whose events are the API's server-sent events and whose `finalMessage()` is
 * the accumulated message); https://docs.anthropic.com/en/api/messages-streaming
 *
 * @packageDocumentation
 */
import { callQuietly, findProviderFault, type RunContext } from "@aiconfig-ts/core";
import type { AnthropicRequest } from "./build-anthropic-request.js";
import { anthropicClientOptions } from "./client-options.js";
import { messageToOutputs } from "./convert-anthropic-message.js";
import { reportError, reportResponse, requestOptions } from "./report-rate-limit.js";

/**
 * Largest `max_tokens` the SDK lets a non-streaming request have (it expects
 * 128,000 tokens per hour and refuses requests longer than its 10-minute
 * default timeout). Larger requests are streamed and only the final message kept.
 */
export const MAX_NON_STREAMING_TOKENS = Math.floor((600_000 * 128_000) / 3_600_000);

/**
 * Sends the request and returns its one output (see `messageToOutputs`).
 * When `context.streaming`, text deltas go to `context.stream` as they come
 * (index 0) and the stored text is the SDK's accumulated final message, which
 * equals their concatenation.
 * @throws {MissingCredentialError} (core) when no API key is set; {EndpointNotAllowedError} when the key may not go to the base URL.
 * @throws {ProviderResponseError} (core) when the server cannot be reached, stalls longer than `timeout`, answers HTML or broken JSON, or sends more than `max_response_bytes`.
 * @throws the SDK's `APIError` subclasses (e.g. `RateLimitError`, status 429)
 *   once its retries (`max_retries`, default 2) are used up, and
 *   `APIUserAbortError` when `context.signal` aborts. Under a caller that
 *   schedules against rate limits (`context.reportRateLimit`) the SDK does not
 *   retry, and each response's status and headers are reported to it.
 */
export async function runAnthropicRequest(request: AnthropicRequest, context: RunContext) {
  const options = anthropicClientOptions(context.settings, context.env, context.prompt.name, context);
  const { default: Anthropic } = await import("@anthropic-ai/sdk");
  const client = new Anthropic(options);
  const longRequest = options.timeout === undefined && request.max_tokens > MAX_NON_STREAMING_TOKENS;
  try {
    if (context.streaming || longRequest) {
      const stream = callQuietly("Anthropic", context.warn, () =>
        client.messages.stream(request as Parameters<typeof client.messages.stream>[0], requestOptions(context)),
      );
      for await (const event of stream) {
        if (context.streaming && event.type === "content_block_delta" && event.delta.type === "text_delta") {
          context.stream({ delta: event.delta.text, index: 0 });
        }
      }
      return messageToOutputs(await stream.finalMessage());
    }
    const { data: message, response } = await callQuietly("Anthropic", context.warn, () =>
      client.messages.create(request, requestOptions(context)).withResponse(),
    );
    reportResponse(context, response);
    return messageToOutputs(message);
  } catch (error) {
    reportError(context, error);
    // A server fault that providerFetch found (refused, stalled, HTML, too large) is one line naming the URL.
    throw findProviderFault(error) ?? error;
  }
}
