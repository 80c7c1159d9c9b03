/**
 * Builds the `messages` of a Messages API request from a prompt, its
 * attachments and the chat context (earlier prompts of the same model),
 * with earlier tool calls as `tool_use` blocks and tools' results as
 * `tool_result` blocks.
 *
 * Source: https://docs.anthropic.com/en/api/messages (messages, content
 * blocks) and https://docs.anthropic.com/en/docs/build-with-claude/tool-use
 * (tool calls and their results across turns).
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import {
  chatTurnsOf,
  InvalidInputError,
  OpenToolCalls,
  outputToolCalls,
  type Prompt,
  type RenderedInput,
  type ResolveContext,
} from "@aiconfig-ts/core";
import { attachmentToBlock } from "./attachment-block.js";
import { textAssistantContent, toolCallsAssistantContent, withToolUseIds } from "./assistant-turn-content.js";
import { isToolResultInput, toolResultBlock } from "./tool-result-block.js";

type ContentBlockParam = Anthropic.ContentBlockParam;
type MessageParam = Anthropic.MessageParam;

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Content blocks written directly in the file: `input.data` as an array of
 * objects with a string `type` (e.g. `tool_result` blocks, as `serialize`
 * stores them). `undefined` for any other input.
 */
export function rawContentBlocks(prompt: Readonly<Prompt>): ContentBlockParam[] | undefined {
  const input = prompt.input;
  if (typeof input !== "object" || input === null || !Array.isArray(input.data) || input.data.length === 0) return undefined;
  if (!input.data.every((b) => isObject(b) && typeof b.type === "string")) return undefined;
  return input.data as unknown as ContentBlockParam[];
}

/**
 * The content of a user turn: the text alone as a string, or blocks (the
 * attachments, then the text, as Anthropic recommends images first).
 * @param render renders the text of raw text blocks (the current prompt only).
 */
export async function toUserContent(
  prompt: Readonly<Prompt>,
  input: RenderedInput,
  render?: (template: string) => string,
): Promise<string | ContentBlockParam[]> {
  const blocks: ContentBlockParam[] = [];
  for (const attachment of input.attachments) blocks.push(await attachmentToBlock(attachment, prompt.name));
  const raw = rawContentBlocks(prompt);
  if (raw) {
    for (const block of raw) blocks.push(block.type === "text" && render ? { ...block, text: render(block.text) } : block);
    return blocks;
  }
  if (blocks.length === 0) return input.text;
  if (input.text !== "") blocks.push({ type: "text", text: input.text });
  return blocks;
}

function isEmpty(content: string | ContentBlockParam[]): boolean {
  return content.length === 0;
}

function blocksOf(content: string | ContentBlockParam[]): ContentBlockParam[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

function hasToolResult(content: string | ContentBlockParam[]): boolean {
  return typeof content !== "string" && content.some((b) => b.type === "tool_result");
}

/**
 * Adds a user turn. When it or the user turn before it holds `tool_result`
 * blocks, the two are one turn (the results of parallel calls answer the
 * assistant turn before them together), its `tool_result` blocks first, as
 * the API asks. Empty content is left out (the API rejects empty text),
 * except for the prompt's own turn (`keepEmpty`), which is always sent.
 */
function pushUserTurn(messages: MessageParam[], content: string | ContentBlockParam[], keepEmpty = false): void {
  if (isEmpty(content) && !keepEmpty) return;
  const last = messages[messages.length - 1];
  if (last?.role === "user" && (hasToolResult(content) || hasToolResult(last.content))) {
    const blocks = [...blocksOf(last.content), ...blocksOf(content)];
    last.content = [...blocks.filter((b) => b.type === "tool_result"), ...blocks.filter((b) => b.type !== "tool_result")];
    return;
  }
  messages.push({ role: "user", content });
}

/**
 * The content of a user turn in a chat where tool calls may be open: a tool's
 * result (`role: "tool"` / `"function"` input, see `isToolResultInput`) is a
 * `tool_result` block answering one of `open`'s calls; any other input is
 * {@link toUserContent}, whose raw `tool_result` blocks answer the open calls
 * their `tool_use_id` names.
 */
async function userTurnContent(
  prompt: Readonly<Prompt>,
  input: RenderedInput,
  open: OpenToolCalls,
  render?: (template: string) => string,
): Promise<string | ContentBlockParam[]> {
  if (isToolResultInput(prompt) && !rawContentBlocks(prompt)) return [await toolResultBlock(prompt, input, open)];
  const content = await toUserContent(prompt, input, render);
  if (typeof content !== "string") {
    for (const block of content) if (block.type === "tool_result") open.match(block.tool_use_id);
  }
  return content;
}

/**
 * The calls of the prompt `caller` that no `tool_result` answered, as the
 * one-line error Claude's 400 would be less clear than.
 */
function unansweredCallsError(open: OpenToolCalls, caller: string, prompt: string): InvalidInputError | undefined {
  const [call] = open.unanswered();
  if (!call) return undefined;
  return new InvalidInputError(
    `prompt "${prompt}": the output of prompt "${caller}" calls the tool "${call.function.name}" (id ${call.id}), and Claude needs its result in the next user turn: put a prompt with the input {"role": "tool", "tool_call_id": "${call.id}", "data": "..."} right after "${caller}", or set remember_chat_context to false`,
  );
}

/**
 * The messages for a prompt: for each earlier prompt of the chat context
 * (`chatTurnsOf(context)`, empty when `remember_chat_context` is false) its
 * input as a `user` turn and its latest output as an `assistant` turn, then
 * the prompt's own input. An output with tool calls is an assistant turn of
 * its thinking blocks, text and `tool_use` blocks (see
 * `toolCallsAssistantContent`); an input that is a tool's result
 * (`role: "tool"`, see `toolResultBlock`) is a `tool_result` block answering
 * a call of the assistant turn before it, in one user turn with the results
 * of the other calls of that turn. Empty turns are left out (the API rejects empty text).
 * @throws {InvalidInputError} when a stored call's arguments are not a JSON
 *   object, a tool's result answers no call, or a call is left without a
 *   result before the next assistant turn or the end (the API rejects a
 *   `tool_use` without its `tool_result`).
 */
export async function toAnthropicMessages(context: ResolveContext): Promise<MessageParam[]> {
  const messages: MessageParam[] = [];
  const turns = chatTurnsOf(context);
  const open = new OpenToolCalls();
  let caller = "";
  for (let i = 0; i < turns.length; i++) {
    const prompt = turns.prompt(i);
    const text = turns.text(i);
    const attachments = turns.attachments(i);
    // A string input without attachments is its text (what toUserContent gives), with no await per turn.
    if (typeof prompt.input === "string" && attachments.length === 0) pushUserTurn(messages, text);
    else pushUserTurn(messages, await userTurnContent(prompt, { text, attachments }, open));
    const output = turns.output(i);
    if (output === undefined) continue;
    const calls = outputToolCalls(output);
    const content = calls ? undefined : textAssistantContent(output, turns.outputText(i));
    if (!calls && content === undefined) continue;
    const unanswered = unansweredCallsError(open, caller, context.prompt.name);
    if (unanswered) throw unanswered;
    if (calls) {
      const withIds = withToolUseIds(calls, i);
      messages.push({ role: "assistant", content: toolCallsAssistantContent(output, withIds, prompt.name) });
      open.called(withIds);
      caller = prompt.name;
    } else {
      messages.push({ role: "assistant", content: content as string | ContentBlockParam[] });
      open.closed();
    }
  }
  pushUserTurn(messages, await userTurnContent(context.prompt, context.input, open, context.render), true);
  const unanswered = unansweredCallsError(open, caller, context.prompt.name);
  if (unanswered) throw unanswered;
  return messages;
}
