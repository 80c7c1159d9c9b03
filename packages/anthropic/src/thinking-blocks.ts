/**
 * Claude's thinking blocks, kept in a stored output so that a later prompt's
 * chat context can send them back unchanged.
 *
 * With extended thinking on, a reply starts with `thinking` blocks (the
 * thinking text and a `signature` that the API checks) and, when a safety
 * system flagged the thinking, `redacted_thinking` blocks (encrypted
 * `data`). When that reply called tools, the assistant turn sent back before
 * the tools' results must carry those blocks exactly as they came, first;
 * for other turns the API accepts them and may keep them in the model's
 * context. The stored output keeps them in `metadata.thinking_blocks`, in
 * the reply's order:
 *
 * ```json
 * [{ "type": "thinking", "thinking": "Let me check...", "signature": "EqQBCkgI..." },
 *  { "type": "redacted_thinking", "data": "EmwKAhgB..." }]
 * ```
 *
 * Outputs stored before they were kept have only the thinking text
 * (`metadata.thinking`, still written): their turns go without thinking blocks.
 *
 * Source: https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 * ("Preserving thinking blocks", "Thinking redaction") and the SDK's
 * `ThinkingBlockParam` / `RedactedThinkingBlockParam`.
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";

/** A thinking block as it is stored and sent back. */
export type ThinkingBlock = Anthropic.ThinkingBlockParam | Anthropic.RedactedThinkingBlockParam;

/**
 * The block as stored, when it is a well-formed thinking block (a `thinking`
 * string and a non-empty `signature`) or redacted thinking block (a non-empty
 * `data` string), with only those fields; `undefined` for any other value.
 */
export function thinkingBlock(value: unknown): ThinkingBlock | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const block = value as { [key: string]: unknown };
  if (block.type === "thinking" && typeof block.thinking === "string" && typeof block.signature === "string" && block.signature !== "") {
    return { type: "thinking", thinking: block.thinking, signature: block.signature };
  }
  if (block.type === "redacted_thinking" && typeof block.data === "string" && block.data !== "") {
    return { type: "redacted_thinking", data: block.data };
  }
  return undefined;
}

/**
 * The thinking and redacted thinking blocks of a message's content (a reply,
 * or an assistant message that `serialize` reads), in order.
 * @returns `undefined` when it has none.
 */
export function contentThinkingBlocks(content: readonly unknown[]): ThinkingBlock[] | undefined {
  const blocks: ThinkingBlock[] = [];
  for (const value of content) {
    const block = thinkingBlock(value);
    if (block) blocks.push(block);
  }
  return blocks.length > 0 ? blocks : undefined;
}

/**
 * The thinking blocks stored in an output's metadata (`thinking_blocks`),
 * read as untrusted file content: entries that are not well-formed blocks are
 * left out, and an output without them (an older version's) has none.
 */
export function storedThinkingBlocks(metadata: { readonly [key: string]: unknown } | undefined): ThinkingBlock[] {
  const stored = metadata?.thinking_blocks;
  return Array.isArray(stored) ? (contentThinkingBlocks(stored) ?? []) : [];
}
