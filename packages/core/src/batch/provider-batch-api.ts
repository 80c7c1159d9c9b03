/**
 * The shapes shared by the providers' batch APIs (OpenAI's Batch API,
 * Anthropic's Message Batches): what a caller gives to run a batch of
 * requests and what it gets back per request.
 *
 * @packageDocumentation
 */
import type { ModelSettings, Output } from "../types.js";

/** The result of one request of a provider batch: its outputs, or why it failed. */
export type ProviderBatchResult =
  | { readonly outputs: Output[]; readonly error?: undefined }
  | { readonly error: { name: string; message: string } };

/** Options of a provider's batch run. */
export interface ProviderBatchOptions<Request> {
  /** The prompt's merged settings (for the client: `api_key`, `base_url`…). */
  readonly settings: Readonly<ModelSettings>;
  /** The environment (the key, the base URL variable). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The prompt's name, for messages. */
  readonly prompt: string;
  readonly requests: readonly Request[];
  /** A batch created before (resuming): polled instead of creating a new one. */
  readonly batchId?: string;
  /** Told the batch's id as soon as it exists (save it to resume). */
  onCreated?(batchId: string): void;
  /** Told of each poll: the batch's status and counts of requests. */
  onPoll?(status: string, counts: { completed: number; failed: number; total: number }): void;
  /** First wait between polls, in ms (doubling up to `maxPollMs`). Default 5,000. */
  readonly pollMs?: number;
  /** Longest wait between polls, in ms. Default 60,000. */
  readonly maxPollMs?: number;
  readonly signal?: AbortSignal;
}
