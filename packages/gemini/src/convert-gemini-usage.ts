/**
 * The token usage and finish reason of a Gemini output, in the normalised
 * terms of core's `OutputUsage` (the output keeps the raw
 * `metadata.usageMetadata` and `metadata.finishReason`).
 *
 * Source: `UsageMetadata` of the Gemini API (`promptTokenCount`,
 * `candidatesTokenCount`, `thoughtsTokenCount`, `totalTokenCount`): the
 * output is the candidates' tokens plus the thoughts', as they are billed.
 *
 * @packageDocumentation
 */
import type { Output, OutputUsage } from "@aiconfig-ts/core";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The usage of an output this package stored; `undefined` for an output with no usage and no finish reason. */
export function convertGeminiUsage(output: Output): OutputUsage | undefined {
  if (output.output_type !== "execute_result") return undefined;
  const metadata = (output.metadata ?? {}) as { usageMetadata?: Record<string, unknown>; finishReason?: unknown };
  const usage = metadata.usageMetadata ?? {};
  const result: { -readonly [K in keyof OutputUsage]: OutputUsage[K] } = {};
  const input = count(usage.promptTokenCount);
  const candidates = count(usage.candidatesTokenCount);
  const thoughts = count(usage.thoughtsTokenCount);
  const total = count(usage.totalTokenCount);
  const finishReason = mapGeminiFinishReason(metadata.finishReason);
  if (input !== undefined) result.inputTokens = input;
  if (candidates !== undefined || thoughts !== undefined) result.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (total !== undefined) result.totalTokens = total;
  if (thoughts !== undefined) result.reasoningTokens = thoughts;
  if (finishReason) result.finishReason = finishReason;
  return Object.keys(result).length ? result : undefined;
}
