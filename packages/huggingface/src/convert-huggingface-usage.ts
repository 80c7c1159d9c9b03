/**
 * The token usage and finish reason of a Hugging Face output, in the
 * normalised terms of core's `OutputUsage` (read by the editor and batch runs).
 *
 * @packageDocumentation
 */
import type { Output, OutputUsage } from "@aiconfig-ts/core";
import { mapHuggingFaceFinishReason } from "./map-huggingface-finish-reason.js";

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * The usage of an output this package stored: `metadata.usage`
 * (`prompt_tokens`, `completion_tokens`, `total_tokens`, in tokens, as the
 * chat route reports them) and `metadata.finish_reason` (see
 * `mapHuggingFaceFinishReason`); `undefined` for an output with neither (the
 * task APIs other than chat report no usage).
 */
export function convertHuggingFaceUsage(output: Output): OutputUsage | undefined {
  if (output.output_type !== "execute_result") return undefined;
  const metadata = (output.metadata ?? {}) as { usage?: Record<string, unknown>; finish_reason?: unknown };
  const usage = metadata.usage ?? {};
  const result: { -readonly [K in keyof OutputUsage]: OutputUsage[K] } = {};
  const input = count(usage["prompt_tokens"]);
  const generated = count(usage["completion_tokens"]);
  const total = count(usage["total_tokens"]);
  const finishReason = mapHuggingFaceFinishReason(metadata.finish_reason);
  if (input !== undefined) result.inputTokens = input;
  if (generated !== undefined) result.outputTokens = generated;
  if (total !== undefined) result.totalTokens = total;
  if (finishReason) result.finishReason = finishReason;
  return Object.keys(result).length ? result : undefined;
}
