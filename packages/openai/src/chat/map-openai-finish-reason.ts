/**
 * OpenAI's finish reasons in the normalised terms of core's `OutputUsage`.
 *
 * Source: `ChatCompletion.Choice.finish_reason` of the Chat Completions API
 * (https://platform.openai.com/docs/api-reference/chat/object): `stop`,
 * `length`, `tool_calls`, `content_filter`, `function_call`.
 *
 * @packageDocumentation
 */
import type { FinishReason } from "@aiconfig-ts/core";

/**
 * `stop` is `stop`; `length` is `length`; `tool_calls` and the legacy
 * `function_call` are `tool-calls`; `content_filter` is `content-filter`; any
 * other value (OpenAI-compatible servers add their own) `other`; `undefined`
 * when there is none.
 */
export function mapOpenAIFinishReason(reason: unknown): FinishReason | undefined {
  if (typeof reason !== "string" || reason === "") return undefined;
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    default:
      return "other";
  }
}
