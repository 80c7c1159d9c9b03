/**
 * The token usage and finish reason of a Claude output, in the normalised
 * terms of core's `OutputUsage` (the output keeps the raw `metadata.usage`
 * and `metadata.stop_reason`).
 *
 * Source: `Usage` of the Messages API (`input_tokens`, `output_tokens`,
 * `cache_creation_input_tokens`, `cache_read_input_tokens`): the input is
 * the three input counts added up, as Anthropic bills them.
 *
 * @packageDocumentation
 */
import type { Output, OutputUsage } from "@aiconfig-ts/core";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.js";

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The usage of an output this package stored; `undefined` for an output with no usage and no stop reason. */
export function convertAnthropicUsage(output: Output): OutputUsage | undefined {
  if (output.output_type !== "execute_result") return undefined;
  const metadata = (output.metadata ?? {}) as { usage?: Record<string, unknown>; stop_reason?: unknown };
  const usage = metadata.usage ?? {};
  const result: { -readonly [K in keyof OutputUsage]: OutputUsage[K] } = {};
  const base = count(usage.input_tokens);
  const input =
    base === undefined ? undefined : base + (count(usage.cache_creation_input_tokens) ?? 0) + (count(usage.cache_read_input_tokens) ?? 0);
  const generated = count(usage.output_tokens);
  const finishReason = mapAnthropicFinishReason(metadata.stop_reason);
  if (input !== undefined) result.inputTokens = input;
  if (generated !== undefined) result.outputTokens = generated;
  if (input !== undefined && generated !== undefined) result.totalTokens = input + generated;
  if (finishReason) result.finishReason = finishReason;
  return Object.keys(result).length ? result : undefined;
}
