/**
 * The text of the outputs the Gemini provider stores.
 *
 * @packageDocumentation
 */
import type { Output, ToolCallsData } from "@aiconfig-ts/core";

/**
 * The text of an output: the answer text, or for function calls the JSON of
 * the calls (`[{type, function: {name, arguments}}]`). `""` for an `error`
 * output. `undefined` for other data (media), so that the runtime's generic
 * reading applies.
 */
export function geminiOutputText(output: Output): string | undefined {
  if (output.output_type !== "execute_result") return "";
  const data = output.data;
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && !Array.isArray(data) && (data as ToolCallsData).kind === "tool_calls") {
    return JSON.stringify((data as ToolCallsData).value);
  }
  return undefined;
}
