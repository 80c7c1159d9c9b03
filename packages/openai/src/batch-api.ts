/**
 * OpenAI's Batch API, for large jobs that can wait (results within 24 hours,
 * at half the price of the same requests sent one by one): uploads a JSON
 * Lines file of chat requests, creates the batch, polls it with backoff,
 * downloads the results and maps them back by `custom_id`. A batch already
 * created is picked up again by its id (resuming).
 *
 * Source: https://platform.openai.com/docs/guides/batch and the API reference
 * (`POST /v1/files` with `purpose: "batch"`, `POST /v1/batches`,
 * `GET /v1/batches/{id}`, `GET /v1/files/{id}/content`; each result line
 * `{ id, custom_id, response: { status_code, body }, error }`), through the
 * official `openai` SDK (`files.create`, `batches.create`, `batches.retrieve`,
 * `files.content`).
 *
 * @packageDocumentation
 */
import type { ProviderBatchOptions, ProviderBatchResult } from "@aiconfig-ts/core";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { ChatRequest } from "./chat/build-chat-request.js";
import { completionToOutputs } from "./chat/chat-completion-to-outputs.js";
import { cachedClient, createClient, loadOpenAISDK, resolveConnection } from "./connection.js";
import { openaiPreset } from "./presets.js";

/** One request of a batch. */
export interface OpenAIBatchRequest {
  /** Unique in the batch; the result carries it back. */
  readonly customId: string;
  /** The chat request (as the provider's `resolve` builds it; `stream` is dropped). */
  readonly body: ChatRequest;
}

/** The result of one request. */
export type OpenAIBatchResult = ProviderBatchResult;

/** Options of a batch run. */
export type OpenAIBatchOptions = ProviderBatchOptions<OpenAIBatchRequest>;

const FINISHED = new Set(["completed", "failed", "expired", "cancelled"]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Runs chat requests through the Batch API and returns each request's result
 * by its custom id. A request the batch did not answer (expired, cancelled)
 * has an error result.
 * @throws {MissingAPIKeyError} / {ConnectionSettingError} when the connection cannot be made
 * @throws {Error} when the batch itself fails (its errors named), and the SDK's errors
 */
export async function runOpenAIBatch(options: OpenAIBatchOptions): Promise<Map<string, OpenAIBatchResult>> {
  const connection = resolveConnection(openaiPreset, options.settings, options.env, options.prompt);
  const client = cachedClient(connection) ?? (await createClient(connection));
  const { toFile } = await loadOpenAISDK();
  let batchId = options.batchId;
  if (!batchId) {
    const lines = options.requests.map((r) => {
      const { stream: _stream, stream_options: _options, ...body } = r.body as ChatRequest & { stream_options?: unknown };
      return JSON.stringify({ custom_id: r.customId, method: "POST", url: "/v1/chat/completions", body });
    });
    const file = await client.files.create(
      { file: await toFile(Buffer.from(`${lines.join("\n")}\n`), "aiconfig-batch.jsonl", { type: "application/jsonl" }), purpose: "batch" },
      { signal: options.signal },
    );
    const batch = await client.batches.create(
      { input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { created_by: "aiconfig batch" } },
      { signal: options.signal },
    );
    batchId = batch.id;
    options.onCreated?.(batchId);
  }
  let wait = options.pollMs ?? 5000;
  for (;;) {
    const batch = await client.batches.retrieve(batchId, { signal: options.signal });
    const counts = batch.request_counts ?? { completed: 0, failed: 0, total: 0 };
    options.onPoll?.(batch.status, counts);
    if (FINISHED.has(batch.status)) {
      if (batch.status === "failed" && !batch.output_file_id) {
        const why = batch.errors?.data?.map((e) => `${e.line ? `line ${e.line}: ` : ""}${e.message}`).join("; ") ?? "no reason given";
        throw new Error(`OpenAI batch ${batchId} failed: ${why}`);
      }
      const results = new Map<string, OpenAIBatchResult>();
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId, { signal: options.signal })).text();
        for (const line of text.split("\n")) {
          if (!line.trim()) continue;
          const item = JSON.parse(line) as {
            custom_id: string;
            response?: { status_code: number; body: unknown } | null;
            error?: { code?: string; message?: string } | null;
          };
          if (item.response && item.response.status_code < 300) {
            results.set(item.custom_id, { outputs: completionToOutputs(item.response.body as ChatCompletion) });
          } else {
            const body = item.response?.body as { error?: { message?: string } } | undefined;
            const message = item.error?.message ?? body?.error?.message ?? `status ${item.response?.status_code ?? "unknown"}`;
            results.set(item.custom_id, { error: { name: item.error?.code ?? "BatchRequestError", message } });
          }
        }
      }
      for (const r of options.requests) {
        if (!results.has(r.customId))
          results.set(r.customId, { error: { name: "BatchRequestError", message: `the batch ended ${batch.status} without an answer` } });
      }
      return results;
    }
    await sleep(wait, options.signal);
    wait = Math.min(options.maxPollMs ?? 60_000, wait * 2);
  }
}
