/**
 * The token usage and finish reason of an OpenAI chat output, in the
 * normalised terms of core's `OutputUsage` (the output keeps the raw
 * `metadata.usage` and `metadata.finish_reason`).
 *
 * Source: `CompletionUsage` of the Chat Completions API (`prompt_tokens`,
 * `completion_tokens`, `total_tokens`, `completion_tokens_details.reasoning_tokens`).
 *
 * @packageDocumentation
 */
import type { Output, OutputUsage } from "@aiconfig-ts/core";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The usage of a chat output this package stored; `undefined` for an output with no usage and no finish reason. */
export function convertOpenAIChatUsage(output: Output): OutputUsage | undefined {
  if (output.output_type !== "execute_result") return undefined;
  const metadata = (output.metadata ?? {}) as { usage?: Record<string, unknown>; finish_reason?: unknown };
  const usage = metadata.usage ?? {};
  const details = (usage.completion_tokens_details ?? {}) as Record<string, unknown>;
  const result: { -readonly [K in keyof OutputUsage]: OutputUsage[K] } = {};
  const input = count(usage.prompt_tokens);
  const generated = count(usage.completion_tokens);
  const total = count(usage.total_tokens);
  const reasoning = count(details.reasoning_tokens);
  const finishReason = mapOpenAIFinishReason(metadata.finish_reason);
  if (input !== undefined) result.inputTokens = input;
  if (generated !== undefined) result.outputTokens = generated;
  if (total !== undefined) result.totalTokens = total;
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  if (finishReason) result.finishReason = finishReason;
  return Object.keys(result).length ? result : undefined;
}
