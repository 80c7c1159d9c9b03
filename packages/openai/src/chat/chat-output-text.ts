/**
 * The text of an OpenAI chat output, in the forms this package writes and
 * the forms older files carry.
 *
 * Follows the original AIConfig OpenAI chat parser's `getOutputText`: a string
 * is the text; `{kind, value}` data gives its string value, or the JSON of its
 * tool calls; an old `{role, content}` message gives its content, or the JSON
 * of its `function_call` when the content is null.
 *
 * @packageDocumentation
 */
import type { Output } from "@aiconfig-ts/core";

/**
 * The text of an output, or `undefined` when this package cannot read it (an
 * error output, or binary data such as an image): the runtime's generic
 * reading is then used.
 */
export function chatOutputText(output: Output): string | undefined {
  if (output.output_type !== "execute_result") return undefined;
  const data = output.data as unknown;
  if (typeof data === "string") return data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  if (record.kind === "tool_calls") return JSON.stringify(record.value);
  if (typeof record.role === "string" && ("content" in record || "function_call" in record || "tool_calls" in record)) {
    if (typeof record.content === "string") return record.content;
    if (record.function_call !== undefined && record.function_call !== null) return JSON.stringify(record.function_call);
    if (Array.isArray(record.tool_calls)) return JSON.stringify(record.tool_calls);
    return "";
  }
  return undefined;
}
