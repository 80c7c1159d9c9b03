/**
 * The chat messages of a Text Generation prompt sent to a chat completion API.
 *
 * Source: https://huggingface.co/docs/inference-providers/tasks/chat-completion
 * (OpenAI-compatible messages: `system`, `user`, `assistant` with
 * `tool_calls`, `tool` with `tool_call_id`) and core's function calling
 * across turns (`tool-call-turns.ts`: a result matches its call by
 * `tool_call_id`, else by name, else the next unanswered call).
 *
 * @packageDocumentation
 */
import {
  chatTurnsOf,
  InvalidInputError,
  OpenToolCalls,
  type Output,
  outputToolCalls,
  type Prompt,
  type ResolveContext,
  toolResultInput,
} from "@aiconfig-ts/core";
import { type ChatToolCall, chatToolCalls } from "./chat-tool-calls.js";

/**
 * A chat message, as chat completion APIs (OpenAI's shape) take it: a system
 * or user message; an assistant message with its text, or with the tool
 * calls it made (and the text beside them, when there was some); a tool's
 * result answering the call whose id is `tool_call_id`.
 */
export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string }
  | { role: "assistant"; content?: string; tool_calls: ChatToolCall[] }
  | { role: "tool"; content: string; tool_call_id: string };

/**
 * The `role: "tool"` message of a prompt whose input is a tool's result
 * (`{role: "tool" | "function", tool_call_id?, name?, data}`): its
 * `tool_call_id` is the id of the call it answers among `open` (by
 * `tool_call_id`, else by `input.name`, else the next unanswered one; a
 * `tool_call_id` naming no open call gives way to the matched call's id),
 * else the input's own `tool_call_id` when no call of the chat is open.
 * @param text the input's rendered text (`input.data`)
 * @throws {InvalidInputError} when no call is open and the input has no `tool_call_id`.
 */
function toolMessage(prompt: Readonly<Prompt>, text: string, open: OpenToolCalls): ChatMessage {
  const result = toolResultInput(prompt)!;
  const id = open.match(result.toolCallId, result.name)?.id ?? result.toolCallId;
  if (id === undefined) {
    throw new InvalidInputError(
      `prompt "${prompt.name}": its input (role "${result.role}") is a tool's result, but no earlier prompt of the chat called a tool it could answer: put the prompt after the one whose output called the tool, or set input.tool_call_id`,
    );
  }
  return { role: "tool", content: text, tool_call_id: id };
}

/** The assistant message of an earlier turn's output: its tool calls (with `metadata.content`, the text beside them), else its text; `undefined` for no text. */
function assistantMessage(
  output: Output | undefined,
  outputText: string | undefined,
  turn: number,
  open: OpenToolCalls,
): ChatMessage | undefined {
  const calls = outputToolCalls(output);
  if (calls && calls.length > 0) {
    const toolCalls = chatToolCalls(calls, turn);
    open.called(toolCalls);
    const content = output?.output_type === "execute_result" ? (output.metadata as { content?: unknown } | undefined)?.content : undefined;
    return typeof content === "string" && content !== ""
      ? { role: "assistant", content, tool_calls: toolCalls }
      : { role: "assistant", tool_calls: toolCalls };
  }
  if (!outputText) return undefined;
  open.closed();
  return { role: "assistant", content: outputText };
}

/**
 * The messages for a prompt: the `system_prompt` setting (when set, rendered
 * as a template with the prompt's parameters), then for
 * each earlier prompt of the same model (see `ResolveContext.chatTurns`;
 * none when `remember_chat_context` is false) its text as a user message and
 * its latest output as an assistant message, then the prompt's text.
 * Turns without text are left out. An output with tool calls (`{kind:
 * "tool_calls"}`) is an assistant message with `tool_calls` (a call stored
 * without an id gets `call_aiconfig_TURN_POSITION`); an input that is a
 * tool's result (`role: "tool"` or `"function"`) is a `role: "tool"` message
 * answering its call (see `toolMessage`).
 * @throws {InvalidInputError} when a tool's result answers no call and has no `tool_call_id`.
 */
export function chatMessages(ctx: ResolveContext): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = ctx.settings["system_prompt"];
  if (typeof system === "string" && system !== "") messages.push({ role: "system", content: ctx.render(system) });
  const turns = chatTurnsOf(ctx);
  const open = new OpenToolCalls();
  for (let i = 0; i < turns.length; i++) {
    const prompt = turns.prompt(i);
    const text = turns.text(i);
    if (typeof prompt.input !== "string" && toolResultInput(prompt)) messages.push(toolMessage(prompt, text, open));
    else if (text !== "") messages.push({ role: "user", content: text });
    const assistant = assistantMessage(turns.output(i), turns.outputText(i), i, open);
    if (assistant) messages.push(assistant);
  }
  if (toolResultInput(ctx.prompt)) messages.push(toolMessage(ctx.prompt, ctx.input.text, open));
  else messages.push({ role: "user", content: ctx.input.text });
  return messages;
}
