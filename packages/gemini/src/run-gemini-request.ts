/**
 * Sends a generateContent request with `@google/genai` (loaded lazily) and
 * turns the response into outputs, streaming text when asked.
 *
 * Source: the SDK's `models.generateContent` and `models.generateContentStream`
 * (`POST /v1beta/models/MODEL:generateContent`, `...:streamGenerateContent?alt=sse`).
 *
 * @packageDocumentation
 */
import type { RunContext } from "@aiconfig-ts/core";
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
 * @throws {AIConfigError} when no API key is set.
 * @throws {GeminiApiError} when the API answers with an error (after the
 *   retries of `max_retries`, none by default).
 * @throws the SDK's abort error when `context.signal` aborts.
 */
export async function runGeminiRequest(request: GeminiRequest, context: RunContext) {
  const options = geminiClientOptions(context.settings, context.env, context.prompt.name);
  const { GoogleGenAI } = await import("@google/genai");
  const recorder = recordFinishMessages();
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
    throw toGeminiApiError(error);
  }
}
