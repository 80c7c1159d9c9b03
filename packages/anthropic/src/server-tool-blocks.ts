/**
 * Claude's server tools (web search, web fetch, code execution, tool search)
 * across turns: the blocks a reply holds when Anthropic ran such a tool, kept
 * in the stored output's `metadata.content` (the reply's content as it came),
 * and sent back in the assistant turn that output becomes, so that a later
 * prompt's Claude still has what it searched, fetched or ran.
 *
 * A reply that searched the web, as Anthropic's web search tool documents it:
 *
 * ```json
 * [{ "type": "text", "text": "I'll search for when Claude Shannon was born." },
 *  { "type": "server_tool_use", "id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "name": "web_search", "input": { "query": "claude shannon birth date" } },
 *  { "type": "web_search_tool_result", "tool_use_id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "content": [{ "type": "web_search_result", "url": "...", "title": "...", "encrypted_content": "...", "page_age": "..." }] },
 *  { "type": "text", "text": "Claude Shannon was born on April 30, 1916", "citations": [{ "type": "web_search_result_location", "encrypted_index": "...", ... }] }]
 * ```
 *
 * The turn sent back is that content in its order: the server-tool blocks
 * unchanged, the text blocks with their `citations` (whose
 * `encrypted_index` the docs say must be passed back in multi-turn
 * conversations), thinking blocks as `thinking-blocks.ts` checks them, and the
 * output's calls as `tool_use` blocks where the reply had its own.
 *
 * Sources: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool
 * ("Response", "Citations", "Errors"), the web fetch, code execution and tool
 * search tool pages, and the SDK's `ContentBlock` union (the response blocks:
 * `ServerToolUseBlock`, `WebSearchToolResultBlock`, `WebFetchToolResultBlock`,
 * `CodeExecutionToolResultBlock`, `BashCodeExecutionToolResultBlock`,
 * `TextEditorCodeExecutionToolResultBlock`, `ToolSearchToolResultBlock`) and
 * its `ContentBlockParam`, which takes each of them back.
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import { thinkingBlock } from "./thinking-blocks.js";

type ContentBlockParam = Anthropic.ContentBlockParam;
type JSONRecord = { [key: string]: unknown };

/** The result blocks of Anthropic's server tools, each answering a `server_tool_use` by its `tool_use_id`. */
export const SERVER_TOOL_RESULT_TYPES: ReadonlySet<string> = new Set([
  "web_search_tool_result",
  "web_fetch_tool_result",
  "code_execution_tool_result",
  "bash_code_execution_tool_result",
  "text_editor_code_execution_tool_result",
  "tool_search_tool_result",
]);

/** A plain object (as JSON and YAML parse them): not an array, not a class instance. */
function isPlainObject(value: unknown): value is JSONRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/**
 * The block, unchanged, when it is a server-tool block of a documented type
 * with the fields the API needs back: `server_tool_use` with a non-empty `id`,
 * a string `name` and an object `input`; a result block
 * ({@link SERVER_TOOL_RESULT_TYPES}) with a non-empty `tool_use_id` and an
 * object or array `content`. `undefined` for anything else (the stored
 * content is untrusted file content).
 */
export function serverToolBlock(value: unknown): ContentBlockParam | undefined {
  if (!isPlainObject(value)) return undefined;
  if (value.type === "server_tool_use") {
    const ok = nonEmptyString(value.id) && typeof value.name === "string" && isPlainObject(value.input);
    return ok ? (value as unknown as ContentBlockParam) : undefined;
  }
  if (typeof value.type === "string" && SERVER_TOOL_RESULT_TYPES.has(value.type)) {
    const ok = nonEmptyString(value.tool_use_id) && (isPlainObject(value.content) || Array.isArray(value.content));
    return ok ? (value as unknown as ContentBlockParam) : undefined;
  }
  return undefined;
}

/**
 * The reply content stored in an output's metadata (`content`), when it holds
 * at least one server-tool block (see {@link serverToolBlock}); `undefined`
 * otherwise (no server tool ran, or an older version stored none), and the
 * turn is built from the output's text, calls and thinking blocks alone.
 */
export function storedServerToolContent(metadata: { readonly [key: string]: unknown } | undefined): readonly unknown[] | undefined {
  const content = metadata?.content;
  return Array.isArray(content) && content.some((b) => serverToolBlock(b) !== undefined) ? content : undefined;
}

function isTextBlock(value: unknown): value is JSONRecord & { type: "text"; text: string } {
  return isPlainObject(value) && value.type === "text" && typeof value.text === "string";
}

/** A stored text block as it goes back: its text, and its citations when they are a list of typed objects. */
function textBlock(block: { text: string; citations?: unknown }): Anthropic.TextBlockParam {
  const { citations } = block;
  const cited = Array.isArray(citations) && citations.length > 0 && citations.every((c) => isPlainObject(c) && typeof c.type === "string");
  return cited
    ? { type: "text", text: block.text, citations: citations as Anthropic.TextCitationParam[] }
    : { type: "text", text: block.text };
}

/**
 * The content of the assistant turn of an output whose reply used server
 * tools, in the reply's order: its thinking blocks, server-tool blocks and
 * text blocks (with citations) as stored, and `toolUses` where its first
 * `tool_use` block was. Other stored blocks are left out.
 *
 * The output's text is what the file says now: when it still equals the
 * stored text blocks joined, those blocks go; when it was edited, it goes as
 * one text block where the first text block was (its citations no longer
 * hold), or before the calls when the reply had no text.
 * @param content the stored reply content (see {@link storedServerToolContent})
 * @param text the output's text: `metadata.text` beside calls, or the text output itself ("" for none)
 * @param toolUses the `tool_use` blocks of the output's calls, in order
 */
export function serverToolTurnContent(
  content: readonly unknown[],
  text: string,
  toolUses: readonly ContentBlockParam[],
): ContentBlockParam[] {
  const stored = content.filter(isTextBlock);
  const unchanged = stored.map((b) => b.text).join("") === text;
  const blocks: ContentBlockParam[] = [];
  let textPlaced = false;
  let callsAt = -1;
  for (const value of content) {
    const block = thinkingBlock(value) ?? serverToolBlock(value);
    if (block) blocks.push(block);
    else if (isTextBlock(value)) {
      if (unchanged && value.text !== "") blocks.push(textBlock(value));
      else if (!unchanged && !textPlaced && text !== "") blocks.push({ type: "text", text });
      textPlaced = true;
    } else if (isPlainObject(value) && value.type === "tool_use" && callsAt === -1) {
      callsAt = blocks.length;
      blocks.push(...toolUses);
    }
  }
  if (callsAt === -1) {
    callsAt = blocks.length;
    blocks.push(...toolUses);
  }
  if (!textPlaced && text !== "") blocks.splice(callsAt, 0, { type: "text", text });
  return blocks;
}
