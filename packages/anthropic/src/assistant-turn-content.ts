/**
 * The content of the `assistant` turn that an earlier prompt's output becomes
 * in the chat context: its thinking blocks as they came, then its text, then
 * its tool calls as `tool_use` blocks; or, when the reply used server tools
 * (web search, ...), the stored reply content in its order with those
 * blocks kept (see `server-tool-blocks.ts`).
 *
 * Source: https://docs.anthropic.com/en/docs/build-with-claude/tool-use (the
 * assistant turn with the `tool_use` blocks goes back before the user turn
 * with their `tool_result` blocks) and
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 * ("Preserving thinking blocks": unchanged, before the rest of the turn).
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import { isToolCallsData, type Output, type ToolCall, toolCallArguments } from "@aiconfig-ts/core";
import { serverToolTurnContent, storedServerToolContent } from "./server-tool-blocks.js";
import { storedThinkingBlocks } from "./thinking-blocks.js";

type ContentBlockParam = Anthropic.ContentBlockParam;

/**
 * The calls with the ids their `tool_use` blocks get: a call's own `id`
 * (Claude's `toolu_...`, or OpenAI's `call_...` in a file that switched
 * model), else `toolu_aiconfig_TURN_POSITION` for a call stored without one
 * (e.g. by Gemini 2.5), so that the result answering it can name it.
 * @param turn the position of the output's prompt in the chat context
 */
export function withToolUseIds(calls: readonly ToolCall[], turn: number): ToolCall[] {
  return calls.map((call, i) => (typeof call.id === "string" && call.id !== "" ? call : { ...call, id: `toolu_aiconfig_${turn}_${i}` }));
}

/**
 * The content of the assistant turn of an output with tool calls: its stored
 * thinking blocks (`metadata.thinking_blocks`, see `storedThinkingBlocks`),
 * the text beside the calls (`metadata.text`), then one
 * `{type: "tool_use", id, name, input}` block per call, `input` parsed from
 * the stored arguments. When the reply used server tools (`metadata.content`
 * holds their blocks), the stored content in its order instead, the calls'
 * blocks where its `tool_use` blocks were (see `serverToolTurnContent`).
 * @param calls the output's calls, with their ids (see {@link withToolUseIds})
 * @param prompt the name of the prompt the output belongs to (for errors)
 * @throws {InvalidInputError} (core) when a call's arguments are not the JSON of an object.
 */
export function toolCallsAssistantContent(output: Output, calls: readonly ToolCall[], prompt: string): ContentBlockParam[] {
  const metadata = output.output_type === "execute_result" ? output.metadata : undefined;
  const toolUses: ContentBlockParam[] = calls.map((call, i) => ({
    type: "tool_use",
    id: call.id as string,
    name: call.function.name,
    input: toolCallArguments(call, prompt, i),
  }));
  const text = typeof metadata?.text === "string" ? metadata.text : "";
  const reply = storedServerToolContent(metadata);
  if (reply) return serverToolTurnContent(reply, text, toolUses);
  const content: ContentBlockParam[] = [...storedThinkingBlocks(metadata)];
  if (text !== "") content.push({ type: "text", text });
  content.push(...toolUses);
  return content;
}

/**
 * The content of the assistant turn of an output without tool calls: its
 * text alone as a string, or, when the output stored thinking blocks, those
 * blocks then the text as a block. When the reply used server tools
 * (`metadata.content` holds their blocks), the stored content in its order
 * (see `serverToolTurnContent`), sent even when the text is empty.
 * @param text the output's text as the runtime reads it (`ChatTurns.outputText`)
 * @returns `undefined` for an output without text or server-tool blocks (the API rejects empty text), or with tool calls (see {@link toolCallsAssistantContent}).
 */
export function textAssistantContent(output: Output, text: string | undefined): string | ContentBlockParam[] | undefined {
  if (output.output_type !== "execute_result" || isToolCallsData(output.data)) return undefined;
  const reply = storedServerToolContent(output.metadata);
  if (reply) return serverToolTurnContent(reply, text ?? "", []);
  if (!text) return undefined;
  const thinking = output.data === text ? storedThinkingBlocks(output.metadata) : [];
  return thinking.length === 0 ? text : [...thinking, { type: "text", text }];
}
