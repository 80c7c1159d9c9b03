/**
 * A tool's result written in a prompt the way the other providers take it
 * (`{role: "tool", tool_call_id?, name?, data, is_error?}`, or the older
 * `{role: "function", name, data}`), sent to Claude as a `tool_result` block
 * of a `user` turn whose `tool_use_id` is the id of the call it answers.
 *
 * Source: https://docs.anthropic.com/en/docs/build-with-claude/tool-use
 * (`{type: "tool_result", tool_use_id, content, is_error?}`; each
 * `tool_result` answers a `tool_use` of the assistant turn just before; the
 * results of parallel calls go in one user turn, before any text; "Handling
 * errors": `is_error: true` with the error's text as `content` when the tool
 * failed) and the SDK's `ToolResultBlockParam`.
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import { InvalidInputError, type OpenToolCalls, type Prompt, type RenderedInput, toolResultInput } from "@aiconfig-ts/core";
import { attachmentToBlock } from "./attachment-block.js";

type ContentBlockParam = Anthropic.ContentBlockParam;
type ToolResultContent = Exclude<Anthropic.ToolResultBlockParam["content"], string | undefined>;

/** Whether a prompt's input is a tool's result: an input object with `role: "tool"` or `role: "function"`. */
export function isToolResultInput(prompt: Readonly<Prompt>): boolean {
  return toolResultInput(prompt) !== undefined;
}

/**
 * The `tool_result` block of a prompt whose input is a tool's result (see
 * {@link isToolResultInput}): `tool_use_id` is the id of the call it answers
 * (`OpenToolCalls.match`: the open call whose id is `input.tool_call_id`,
 * else the next unanswered call of `input.name`, else the next unanswered
 * call); `content` is the input's rendered text, with the input's
 * attachments (images, PDFs, text) as blocks after it when it has some;
 * `is_error: true` when the input says so (`input.is_error === true`, read by
 * core's `toolResultInput`), and no `is_error` field otherwise.
 * @param input the input's rendered text (`input.data`, JSON for data that is not a string) and attachments
 * @param open the calls of the assistant turn before, with their `tool_use` ids
 * @throws {InvalidInputError} when no earlier call of the chat is left to answer.
 * @throws {AIConfigError} (core) for an attachment of a type Claude does not take.
 */
export async function toolResultBlock(prompt: Readonly<Prompt>, input: RenderedInput, open: OpenToolCalls): Promise<ContentBlockParam> {
  const result = toolResultInput(prompt);
  const call = result && open.match(result.toolCallId, result.name);
  if (!result || !call) {
    throw new InvalidInputError(
      `prompt "${prompt.name}": its input (role "${result?.role ?? "tool"}") is a tool's result, but no earlier prompt of the chat called a tool it could answer: put the prompt after the one whose output called the tool (Claude needs the tool_use block a tool_result answers)`,
    );
  }
  const block: Anthropic.ToolResultBlockParam = { type: "tool_result", tool_use_id: call.id as string };
  if (result.isError) block.is_error = true;
  if (input.attachments.length === 0) {
    if (input.text !== "") block.content = input.text;
    return block;
  }
  const content: ContentBlockParam[] = input.text === "" ? [] : [{ type: "text", text: input.text }];
  for (const attachment of input.attachments) content.push(await attachmentToBlock(attachment, prompt.name));
  block.content = content as ToolResultContent;
  return block;
}
