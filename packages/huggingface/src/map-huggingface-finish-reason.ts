/**
 * Hugging Face's finish reasons in the normalised terms of core's `OutputUsage`.
 *
 * @packageDocumentation
 */
import type { FinishReason } from "@aiconfig-ts/core";

/**
 * The normalised finish reason of a Hugging Face reply's `finish_reason`:
 * text-generation-inference's `eos_token` and `stop_sequence` and the chat
 * route's `stop` are `stop`; `length` is `length`; `tool_calls` is
 * `tool-calls`; `content_filter` is `content-filter`; any other value `other`;
 * `undefined` when there is none.
 * Source: text-generation-inference's `FinishReason` (`length`, `eos_token`,
 * `stop_sequence`) and the chat completion specification of `@huggingface/tasks`.
 */
export function mapHuggingFaceFinishReason(reason: unknown): FinishReason | undefined {
  if (typeof reason !== "string" || reason === "") return undefined;
  switch (reason) {
    case "stop":
    case "eos_token":
    case "stop_sequence":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    default:
      return "other";
  }
}
