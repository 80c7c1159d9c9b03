/**
 * The token usage and finish reason of a llama output, in the normalised
 * terms of core's `OutputUsage` (the output keeps `metadata.usage` and
 * `metadata.finish_reason` as `run-request.ts` stores them, counted by
 * node-llama-cpp's token meter).
 *
 * @packageDocumentation
 */
import type { FinishReason, Output, OutputUsage } from "@aiconfig-ts/core";

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The stored finish reasons (see `mapFinishReason`) in core's vocabulary. */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = { stop: "stop", length: "length", tool_calls: "tool-calls", abort: "other" };

/** The usage of an output this package stored; `undefined` for an output with neither usage nor finish reason. */
export function convertLlamaUsage(output: Output): OutputUsage | undefined {
  if (output.output_type !== "execute_result") return undefined;
  const metadata = (output.metadata ?? {}) as { usage?: Record<string, unknown>; finish_reason?: unknown };
  const usage = metadata.usage ?? {};
  const result: { -readonly [K in keyof OutputUsage]: OutputUsage[K] } = {};
  const input = count(usage.prompt_tokens);
  const generated = count(usage.completion_tokens);
  if (input !== undefined) result.inputTokens = input;
  if (generated !== undefined) result.outputTokens = generated;
  if (input !== undefined && generated !== undefined) result.totalTokens = input + generated;
  const finishReason = typeof metadata.finish_reason === "string" ? FINISH_REASONS[metadata.finish_reason] : undefined;
  if (finishReason) result.finishReason = finishReason;
  return Object.keys(result).length ? result : undefined;
}
