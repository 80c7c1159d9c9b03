/**
 * Gemini's finish reasons in the normalised terms of core's `OutputUsage`.
 *
 * Source: `FinishReason` of the Gemini API
 * (https://ai.google.dev/api/generate-content#FinishReason).
 *
 * @packageDocumentation
 */
import type { FinishReason } from "@aiconfig-ts/core";

/**
 * `STOP` is `stop`; `MAX_TOKENS` is `length`; `SAFETY`, `RECITATION`,
 * `BLOCKLIST`, `PROHIBITED_CONTENT`, `SPII`, `IMAGE_SAFETY` are
 * `content-filter`; `MALFORMED_FUNCTION_CALL` and `UNEXPECTED_TOOL_CALL` are
 * `error`; any other value `other`; `undefined` when there is none.
 * (Gemini says `STOP` for function calls too.)
 */
export function mapGeminiFinishReason(reason: unknown): FinishReason | undefined {
  if (typeof reason !== "string" || reason === "" || reason === "FINISH_REASON_UNSPECIFIED") return undefined;
  switch (reason) {
    case "STOP":
      return "stop";
    case "MAX_TOKENS":
      return "length";
    case "SAFETY":
    case "RECITATION":
    case "BLOCKLIST":
    case "PROHIBITED_CONTENT":
    case "SPII":
    case "IMAGE_SAFETY":
      return "content-filter";
    case "MALFORMED_FUNCTION_CALL":
    case "UNEXPECTED_TOOL_CALL":
      return "error";
    default:
      return "other";
  }
}
