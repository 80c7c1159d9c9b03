/**
 * Anthropic's Message Batches API, for large jobs that can wait (results
 * within 24 hours, at half the price of the same requests sent one by one):
 * creates a batch of Messages requests, polls it with backoff until
 * `processing_status` is `ended`, reads its results and maps them back by
 * `custom_id`. A batch already created is picked up again by its id.
 *
 * Source: https://docs.anthropic.com/en/api/creating-message-batches,
 * https://docs.anthropic.com/en/api/retrieving-message-batches and
 * https://docs.anthropic.com/en/api/retrieving-message-batch-results (each
 * result `{ custom_id, result: { type: "succeeded", message } | { type:
 * "errored", error } | { type: "canceled" } | { type: "expired" } }`), through
 * the official SDK (`messages.batches.create`, `retrieve`, `results`).
 *
 * @packageDocumentation
 */
import type { ProviderBatchOptions, ProviderBatchResult } from "@aiconfig-ts/core";
import type { AnthropicRequest } from "./build-anthropic-request.js";
import { anthropicClientOptions } from "./client-options.js";
import { messageToOutputs } from "./convert-anthropic-message.js";

/** One request of a batch. */
export interface AnthropicBatchRequest {
  /** Unique in the batch (1 to 64 letters, digits, `-` and `_`); the result carries it back. */
  readonly customId: string;
  /** The Messages request (as the provider's `resolve` builds it; `stream` is dropped). */
  readonly params: AnthropicRequest;
}

/** The result of one request. */
export type AnthropicBatchResult = ProviderBatchResult;

/** Options of a batch run. */
export type AnthropicBatchOptions = ProviderBatchOptions<AnthropicBatchRequest>;

/**
 * Runs Messages requests through the Message Batches API and returns each
 * request's result by its custom id (canceled and expired requests are errors).
 * @throws {MissingCredentialError} (core) when no key is found; the SDK's errors
 */
export async function runAnthropicBatch(options: AnthropicBatchOptions): Promise<Map<string, AnthropicBatchResult>> {
  const { default: Anthropic } = await import("@anthropic-ai/sdk");
  const client = new Anthropic(anthropicClientOptions(options.settings, options.env, options.prompt));
  let batchId = options.batchId;
  if (!batchId) {
    const requests = options.requests.map((r) => {
      const { stream: _stream, ...params } = r.params as AnthropicRequest & { stream?: unknown };
      return { custom_id: r.customId, params };
    });
    const batch = await client.messages.batches.create({ requests } as Parameters<typeof client.messages.batches.create>[0], {
      signal: options.signal,
    });
    batchId = batch.id;
    options.onCreated?.(batchId);
  }
  let wait = options.pollMs ?? 5000;
  for (;;) {
    const batch = await client.messages.batches.retrieve(batchId, undefined, { signal: options.signal });
    const c = batch.request_counts;
    const total = c.processing + c.succeeded + c.errored + c.canceled + c.expired;
    options.onPoll?.(batch.processing_status, { completed: c.succeeded, failed: c.errored + c.canceled + c.expired, total });
    if (batch.processing_status === "ended") break;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, wait);
      options.signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(options.signal?.reason);
        },
        { once: true },
      );
    });
    wait = Math.min(options.maxPollMs ?? 60_000, wait * 2);
  }
  const results = new Map<string, AnthropicBatchResult>();
  for await (const item of await client.messages.batches.results(batchId, undefined, { signal: options.signal })) {
    const result = item.result;
    if (result.type === "succeeded") results.set(item.custom_id, { outputs: messageToOutputs(result.message) });
    else if (result.type === "errored") {
      const inner = (result.error as { error?: { type?: string; message?: string } }).error;
      results.set(item.custom_id, { error: { name: inner?.type ?? "BatchRequestError", message: inner?.message ?? "the request failed" } });
    } else results.set(item.custom_id, { error: { name: "BatchRequestError", message: `the request was ${result.type}` } });
  }
  for (const r of options.requests) {
    if (!results.has(r.customId))
      results.set(r.customId, { error: { name: "BatchRequestError", message: "the batch ended without an answer" } });
  }
  return results;
}
