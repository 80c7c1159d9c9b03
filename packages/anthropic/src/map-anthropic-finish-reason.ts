/**
 * Anthropic's stop reasons in the normalised terms of core's `OutputUsage`.
 *
 * Source: `Message.stop_reason` of the Messages API
 * (https://docs.anthropic.com/en/api/messages): `end_turn`, `stop_sequence`,
 * `max_tokens`, `tool_use`, `pause_turn`, `refusal`, `model_context_window_exceeded`.
 *
 * @packageDocumentation
 */
import type { FinishReason } from "@aiconfig-ts/core";

/**
 * `end_turn` and `stop_sequence` are `stop`; `max_tokens` and
 * `model_context_window_exceeded` are `length`; `tool_use` is `tool-calls`;
 * `refusal` is `content-filter`; any other value `other`; `undefined` when there is none.
 */
export function mapAnthropicFinishReason(reason: unknown): FinishReason | undefined {
  if (typeof reason !== "string" || reason === "") return undefined;
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool-calls";
    case "refusal":
      return "content-filter";
    default:
      return "other";
  }
}
