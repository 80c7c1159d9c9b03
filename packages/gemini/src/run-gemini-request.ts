/**
 * Sends a generateContent request with `@google/genai` (loaded lazily) and
 * turns the response into outputs, streaming text when asked.
 *
 * Source: the SDK's `models.generateContent` and `models.generateContentStream`
 * (`POST /v1beta/models/MODEL:generateContent`, `...:streamGenerateContent?alt=sse`).
 *
 * @packageDocumentation
 */
import { findProviderFault, type RunContext } from "@aiconfig-ts/core";
import type { GeminiRequest } from "./build-gemini-request.js";
import { geminiClientOptions } from "./client-options.js";
import { ResponseAccumulator, responseToOutputs } from "./convert-gemini-response.js";
import { recordFinishMessages, withFinishMessages } from "./finish-message-recorder.js";
import { toGeminiApiError } from "./gemini-api-error.js";

/**
 * Sends the request and returns its outputs (see `responseToOutputs`). When
 * `context.streaming`, each chunk's new text goes to `context.stream` with its
 * candidate index, and the stored outputs are made from the merged chunks, so
 * their text is the concatenation of the deltas. Each candidate's
 * `finishMessage`, which the SDK drops, is read from the raw reply (see
 * `recordFinishMessages`).
 * @throws {MissingCredentialError} (core) when no API key is set; {EndpointNotAllowedError} when the key may not go to the base URL.
 * @throws {ProviderResponseError} (core) when the server cannot be reached, stalls longer than `timeout`, answers HTML or broken JSON, or sends more than `max_response_bytes`.
 * @throws {GeminiApiError} when the API answers with an error (after the
 *   retries of `max_retries`, none by default).
 * @throws the SDK's abort error when `context.signal` aborts.
 */
export async function runGeminiRequest(request: GeminiRequest, context: RunContext) {
  const options = geminiClientOptions(context.settings, context.env, context.prompt.name, context);
  const { GoogleGenAI } = await import("@google/genai");
  const recorder = recordFinishMessages(options.httpOptions?.fetch);
  const client = new GoogleGenAI({ ...options, httpOptions: { ...options.httpOptions, fetch: recorder.fetch } });
  const params = { ...request, config: { ...request.config, abortSignal: context.signal } };
  try {
    if (context.streaming) {
      const accumulator = new ResponseAccumulator();
      for await (const chunk of await client.models.generateContentStream(params)) {
        for (const delta of accumulator.add(chunk)) context.stream(delta);
      }
      return await responseToOutputs(withFinishMessages(accumulator.response(), await recorder.finishMessages()), context.storeBinary);
    }
    const response = await client.models.generateContent(params);
    return await responseToOutputs(withFinishMessages(response, await recorder.finishMessages()), context.storeBinary);
  } catch (error) {
    // A server fault that providerFetch found (refused, stalled, HTML, too large) is one line naming the URL.
    throw findProviderFault(error) ?? toGeminiApiError(error);
  }
}
