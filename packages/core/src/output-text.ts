/**
 * Reading the text of an output, for the shapes found in real files.
 *
 * @packageDocumentation
 */
import { decodeBase64, utf8Text } from "#platform";
import type { ExecuteResult, Output, StoredData, ToolCallsData } from "./types.js";

/** Whether output data is `{kind: "base64" | "file_uri", value}`. */
export function isStoredData(data: unknown): data is StoredData {
  return (
    typeof data === "object" &&
    data !== null &&
    ((data as StoredData).kind === "base64" || (data as StoredData).kind === "file_uri") &&
    typeof (data as StoredData).value === "string"
  );
}

/** Whether output data is `{kind: "tool_calls", value: [...]}`. */
export function isToolCallsData(data: unknown): data is ToolCallsData {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as ToolCallsData).kind === "tool_calls" &&
    Array.isArray((data as ToolCallsData).value)
  );
}

/** Whether a MIME type is text (absent means text, as the specification says). */
export function isTextMime(mime: string | undefined): boolean {
  return mime === undefined || mime === "" || mime.startsWith("text/") || mime === "application/json";
}

/**
 * Whether an output holds binary media (audio, image, ...) rather than text:
 * stored data whose MIME type is not text.
 */
export function isMediaOutput(output: Output | undefined): output is ExecuteResult & { data: StoredData } {
  return output?.output_type === "execute_result" && isStoredData(output.data) && !isTextMime(output.mime_type);
}

/**
 * The text of an output, for every shape the corpus holds:
 * a string; `{kind: "tool_calls"}` as the JSON of the calls; stored text data
 * (a base64 text is decoded, a `file_uri` gives its value); the older OpenAI
 * `{role, content}` message (its content, or the JSON of its `function_call`
 * or `tool_calls`); any other JSON as JSON. An `error` output has no text (`""`),
 * nor has binary media.
 */
export function outputText(output: Output | undefined): string {
  if (output?.output_type !== "execute_result") return "";
  const data = output.data;
  if (typeof data === "string") return data;
  if (data === null || data === undefined) return "";
  if (typeof data !== "object") return String(data);
  if (isToolCallsData(data)) return JSON.stringify(data.value);
  if (isStoredData(data)) {
    if (!isTextMime(output.mime_type)) return "";
    return data.kind === "base64" ? utf8Text(decodeBase64(data.value)) : data.value;
  }
  const message = data as { role?: unknown; content?: unknown; function_call?: unknown; tool_calls?: unknown };
  if (typeof message.role === "string" && "content" in message) {
    if (typeof message.content === "string") return message.content;
    if (message.function_call) return JSON.stringify(message.function_call);
    if (message.tool_calls) return JSON.stringify(message.tool_calls);
    if (Array.isArray(message.content)) {
      return message.content.map((part: any) => (typeof part === "string" ? part : (part?.text ?? ""))).join("");
    }
    return "";
  }
  return JSON.stringify(data);
}
