/**
 * Maps node-llama-cpp's stop reasons to the finish reasons that outputs store
 * (OpenAI's vocabulary, which the other providers of this project use too).
 *
 * @packageDocumentation
 */

/** A stop reason of node-llama-cpp (`LlamaCompletionResponse.metadata.stopReason`, `LlamaChatSession.promptWithMeta().stopReason`). */
export type LlamaStopReason = "eogToken" | "stopGenerationTrigger" | "customStopTrigger" | "maxTokens" | "abort" | "functionCalls";

/** Finish reason stored in `metadata.finish_reason`. */
export type FinishReason = "stop" | "length" | "abort" | "tool_calls";

/**
 * `stop` for the end-of-generation token or a stop text, `length` when
 * `max_tokens` ran out, `abort` when cancelled, `tool_calls` for function calls.
 */
export function mapFinishReason(reason: LlamaStopReason): FinishReason {
  switch (reason) {
    case "maxTokens":
      return "length";
    case "abort":
      return "abort";
    case "functionCalls":
      return "tool_calls";
    default:
      return "stop";
  }
}
