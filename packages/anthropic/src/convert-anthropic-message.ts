/**
 * Turns a Messages API response (`Message`) into the outputs stored on a prompt.
 *
 * Source: https://docs.anthropic.com/en/api/messages (response body, content
 * blocks, `stop_reason`, `stop_details`, `usage`).
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { ExecuteResult, ToolCall } from "@aiconfig-ts/core";
import { contentThinkingBlocks } from "./thinking-blocks.js";

/** A response message as the API returns it (unknown fields are kept). */
export type AnthropicMessage = Anthropic.Message;

/** The text of a message: its `text` blocks, joined. */
export function messageText(message: Pick<Anthropic.Message, "content">): string {
  return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

/**
 * The tool calls of a message's `tool_use` blocks, shaped like OpenAI's:
 * `{id, type: "function", function: {name, arguments}}` where `arguments` is
 * the JSON text of the block's `input`.
 */
export function messageToolCalls(message: Pick<Anthropic.Message, "content">): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type !== "tool_use") continue;
    calls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
  }
  return calls;
}

const KNOWN_BLOCKS = new Set(["text", "tool_use", "thinking", "redacted_thinking"]);

/**
 * Whether a message's content holds blocks other than text, `tool_use` and
 * thinking (server tools' blocks, e.g. `server_tool_use` and
 * `web_search_tool_result`): such content is stored whole in
 * `metadata.content`, and a later prompt's chat context sends it back (see
 * `server-tool-blocks.ts`).
 */
export function holdsOtherBlocks(content: readonly unknown[]): boolean {
  return content.some((b) => !KNOWN_BLOCKS.has((b as { type?: unknown } | null)?.type as string));
}

/**
 * The one output of a message. `data` is the text, or, when the model called
 * tools, `{kind: "tool_calls", value}` (any text beside the calls is kept in
 * `metadata.text`). `metadata` holds `id`, `model`, `role`, `stop_reason`,
 * `stop_sequence`, `stop_details` (why a refusal happened), `usage`, the
 * thinking text when there is some (`thinking`), the thinking and redacted
 * thinking blocks with their signatures as they came (`thinking_blocks`, sent
 * back in the chat context, see `thinking-blocks.ts`), and the raw `content` when it holds
 * blocks of other kinds (server tools' calls and results, sent back in the
 * chat context with the text blocks' citations, see `server-tool-blocks.ts`). A refusal
 * (`stop_reason: "refusal"`) is stored as it came: empty text and its stop details.
 */
export function messageToOutputs(message: AnthropicMessage): ExecuteResult[] {
  const text = messageText(message);
  const calls = messageToolCalls(message);
  const metadata: { [key: string]: unknown } = {
    id: message.id,
    model: message.model,
    role: message.role,
    stop_reason: message.stop_reason,
    stop_sequence: message.stop_sequence ?? null,
  };
  if (message.stop_details) metadata.stop_details = message.stop_details;
  metadata.usage = message.usage;
  const thinking = message.content
    .map((b) => (b.type === "thinking" ? b.thinking : ""))
    .filter((t) => t !== "")
    .join("\n");
  if (thinking) metadata.thinking = thinking;
  const thinkingBlocks = contentThinkingBlocks(message.content);
  if (thinkingBlocks) metadata.thinking_blocks = thinkingBlocks;
  if (holdsOtherBlocks(message.content)) metadata.content = message.content;
  if (calls.length > 0) {
    if (text !== "") metadata.text = text;
    return [{ output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: calls }, metadata }];
  }
  return [{ output_type: "execute_result", execution_count: 0, data: text, metadata }];
}
