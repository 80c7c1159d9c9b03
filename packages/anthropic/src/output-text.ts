/**
 * The text of the outputs the Anthropic providers store.
 *
 * @packageDocumentation
 */
import type { Output, ToolCallsData } from "@aiconfig-ts/core";

/**
 * The text of an output: the message text, or for tool calls the JSON of the
 * calls (`[{id, type, function: {name, arguments}}]`), which is what a
 * `{{prompt.output}}` reference to it gives. `""` for an `error` output and
 * for a refusal (whose text is empty). `undefined` for data it does not know,
 * so that the runtime's generic reading applies.
 */
export function anthropicOutputText(output: Output): string | undefined {
  if (output.output_type !== "execute_result") return "";
  const data = output.data;
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && !Array.isArray(data) && (data as ToolCallsData).kind === "tool_calls") {
    return JSON.stringify((data as ToolCallsData).value);
  }
  return undefined;
}
