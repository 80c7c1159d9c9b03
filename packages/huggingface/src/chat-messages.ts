/**
 * The chat messages of a Text Generation prompt sent to a chat completion API.
 *
 * Source: https://huggingface.co/docs/inference-providers/tasks/chat-completion
 * (OpenAI-compatible messages: `system`, `user` with text or content parts
 * `{type: "text"}` / `{type: "image_url", image_url: {url}}` as vision
 * language models take them, `assistant` with `tool_calls`, `tool` with
 * `tool_call_id`) and core's function calling across turns
 * (`tool-call-turns.ts`: a result matches its call by `tool_call_id`, else
 * by name, else the next unanswered call).
 *
 * @packageDocumentation
 */
import {
  chatTurnsOf,
  encodeBase64,
  InvalidInputError,
  mimeTypeMatches,
  OpenToolCalls,
  type Output,
  outputToolCalls,
  type Prompt,
  type ResolveContext,
  type ResolvedAttachment,
  toolResultInput,
} from "@aiconfig-ts/core";
import { type ChatToolCall, chatToolCalls, isMadeUpCallId } from "./chat-tool-calls.js";

/**
 * A part of a user message's content (OpenAI's shape, which Hugging Face's
 * chat completion API takes for vision language models): text, or an image
 * by URL (an `http(s):` URL the server fetches, or a `data:` URL holding the
 * image as base64).
 */
export type ChatContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/**
 * A chat message, as chat completion APIs (OpenAI's shape) take it: a system
 * message; a user message, its text or (with images) its content parts; an
 * assistant message with its text, or with the tool calls it made (and the
 * text beside them, when there was some); a tool's result answering the call
 * whose id is `tool_call_id`.
 */
export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ChatContentPart[] }
  | { role: "assistant"; content: string }
  | { role: "assistant"; content?: string; tool_calls: ChatToolCall[] }
  | { role: "tool"; content: string; tool_call_id: string };

/**
 * Where an attachment of a prompt's input is written, for messages: its
 * `input.attachments[i]`, else (past those) one handed on by a reference to
 * an earlier output, which core adds after them.
 */
function attachmentPlace(prompt: Readonly<Prompt>, position: number): string {
  const input = prompt.input;
  const own = typeof input === "object" && input !== null && Array.isArray(input.attachments) ? input.attachments.length : 0;
  return position < own ? `input.attachments[${position}]` : `attachment ${position + 1} (handed on by a reference to an earlier output)`;
}

/**
 * The one-line error for an attachment the chat route cannot send.
 * @param run the prompt being run
 * @param owner the prompt whose input holds the attachment (`run` itself or an earlier turn of its chat)
 * @param problem what is wrong, e.g. `has MIME type application/pdf`
 */
function attachmentError(run: string, owner: Readonly<Prompt>, position: number, problem: string, fix: string): InvalidInputError {
  const of = owner.name === run ? "" : ` of prompt "${owner.name}" (an earlier turn of its chat)`;
  return new InvalidInputError(`prompt "${run}": ${attachmentPlace(owner, position)}${of} ${problem}: ${fix}`);
}

/** An image part whose `data:` URL is written once its attachment's bytes are read. */
interface PendingImage {
  readonly part: { type: "image_url"; image_url: { url: string } };
  readonly attachment: ResolvedAttachment;
}

/**
 * The content of a user message: its text, or with attachments its content
 * parts, the text first (when not empty) then an `image_url` part per
 * attachment. An `http(s):` or `data:` URL is sent as is (the server fetches
 * it; no key goes with it); any other image (a file in the aiconfig file's
 * folder, base64 data) becomes a `data:` URL once read, its part added to
 * `pending`.
 * @param run the prompt being run, for errors
 * @throws {InvalidInputError} for an attachment that is no image (`image/*`).
 */
function userContent(
  owner: Readonly<Prompt>,
  text: string,
  attachments: readonly ResolvedAttachment[],
  run: string,
  pending: PendingImage[],
): string | ChatContentPart[] {
  if (attachments.length === 0) return text;
  const parts: ChatContentPart[] = text !== "" ? [{ type: "text", text }] : [];
  attachments.forEach((attachment, i) => {
    if (!mimeTypeMatches(attachment.mimeType, "image/*")) {
      throw attachmentError(
        run,
        owner,
        i,
        `has MIME type ${attachment.mimeType}, which the Hugging Face chat route does not take`,
        "it sends images only (image/*): remove the attachment, or set its mime_type to the image's type",
      );
    }
    const uri = attachment.uri;
    if (uri !== undefined && /^(https?|data):/i.test(uri)) {
      parts.push({ type: "image_url", image_url: { url: uri } });
      return;
    }
    const part = { type: "image_url" as const, image_url: { url: "" } };
    pending.push({ part, attachment });
    parts.push(part);
  });
  return parts;
}

/** The `data:` URL of an image: `data:TYPE;base64,BYTES`, TYPE its MIME type without parameters. */
async function imageDataUrl(attachment: ResolvedAttachment): Promise<string> {
  const type = (attachment.mimeType.split(";")[0] ?? "").trim().toLowerCase();
  return `data:${type};base64,${encodeBase64(await attachment.bytes())}`;
}

/**
 * The `role: "tool"` message of a prompt whose input is a tool's result
 * (`{role: "tool" | "function", tool_call_id?, name?, data}`): its
 * `tool_call_id` is the id of the call it answers among `open` (by
 * `tool_call_id`, else by `input.name`, else the next unanswered one; a
 * `tool_call_id` naming no open call gives way to the matched call's id),
 * else the input's own `tool_call_id` when no call of the chat is open.
 * @param text the input's rendered text (`input.data`)
 * @param attachments the input's attachments (a tool message is text only: none may be given)
 * @param run the prompt being run, for errors
 * @throws {InvalidInputError} when no call is open and the input has no
 *   `tool_call_id`, or the input has an attachment.
 */
function toolMessage(
  prompt: Readonly<Prompt>,
  text: string,
  attachments: readonly ResolvedAttachment[],
  open: OpenToolCalls,
  run: string,
): ChatMessage {
  if (attachments.length > 0) {
    throw attachmentError(
      run,
      prompt,
      0,
      "is on a tool's result, which the chat route sends as text only",
      "remove it, or attach the image to a prompt of role user after the result",
    );
  }
  const result = toolResultInput(prompt)!;
  const id = open.match(result.toolCallId, result.name)?.id ?? result.toolCallId;
  if (id === undefined) {
    throw new InvalidInputError(
      `prompt "${prompt.name}": its input (role "${result.role}") is a tool's result, but no earlier prompt of the chat called a tool it could answer: put the prompt after the one whose output called the tool, or set input.tool_call_id`,
    );
  }
  return { role: "tool", content: text, tool_call_id: id };
}

/**
 * The assistant message of an earlier turn's output: its tool calls (with
 * `metadata.content`, the text beside them), else its text; `undefined` for
 * no text.
 * @param turn the turn's position in the chat context (keeps made-up call ids unique)
 */
function assistantMessage(output: Output | undefined, outputText: string | undefined, turn: number): ChatMessage | undefined {
  const calls = outputToolCalls(output);
  if (calls && calls.length > 0) {
    const toolCalls = chatToolCalls(calls, turn);
    const content = output?.output_type === "execute_result" ? (output.metadata as { content?: unknown } | undefined)?.content : undefined;
    return typeof content === "string" && content !== ""
      ? { role: "assistant", content, tool_calls: toolCalls }
      : { role: "assistant", tool_calls: toolCalls };
  }
  if (!outputText) return undefined;
  return { role: "assistant", content: outputText };
}

/**
 * Fails when a call of the open turn has no result yet: chat completion APIs
 * (OpenAI's rule, which Hugging Face's route follows) take an assistant
 * message's `tool_calls` only when `role: "tool"` messages answering every
 * one of them come right after it, and answer anything else with an error
 * less clear than this one line (the name and id of the first call left
 * without a result, and the prompt to add: by `tool_call_id`, or by `name`
 * for a call stored without an id).
 * @param caller the prompt whose output made the open calls
 * @param run the prompt being run
 * @throws {InvalidInputError} when a call is unanswered.
 */
function requireAnswered(open: OpenToolCalls, caller: string, run: string): void {
  const [call] = open.unanswered();
  if (!call) return;
  const name = call.function.name;
  const id = call.id ?? "";
  const [which, input] = isMadeUpCallId(id)
    ? ["stored without an id", `{"role": "tool", "name": "${name}", "data": "..."}`]
    : [`id ${id}`, `{"role": "tool", "tool_call_id": "${id}", "data": "..."}`];
  throw new InvalidInputError(
    `prompt "${run}": the output of prompt "${caller}" calls the tool "${name}" (${which}), and the chat completion API needs its result right after the call: put a prompt with the input ${input} right after "${caller}", or set remember_chat_context to false`,
  );
}

/**
 * The messages for a prompt: the `system_prompt` setting (when set, rendered
 * as a template with the prompt's parameters), then for
 * each earlier prompt of the same model (see `ResolveContext.chatTurns`;
 * none when `remember_chat_context` is false) its input as a user message
 * and its latest output as an assistant message, then the prompt's input.
 * Turns without text or attachments are left out. Image attachments
 * (`image/*`, of the prompt and of earlier turns) make the user message's
 * content a list of parts, the text then an `image_url` part per image (see
 * `userContent`); reading them (from the aiconfig file's folder only, by
 * core's rules, checked when the input was resolved) is all that waits.
 * An output with tool calls (`{kind:
 * "tool_calls"}`) is an assistant message with `tool_calls` (a call stored
 * without an id gets `call_aiconfig_TURN_POSITION`); an input that is a
 * tool's result (`role: "tool"` or `"function"`) is a `role: "tool"` message
 * answering its call (see `toolMessage`). Every check runs before any
 * attachment is read, so a refused prompt reads and sends nothing.
 * @throws {InvalidInputError} (as a rejection) when a tool's result answers
 *   no call and has no `tool_call_id`, a call is left without a result before
 *   the next user or assistant message or the end (see `requireAnswered`), an
 *   attachment is no image, or a tool's result has an attachment.
 * @throws {AttachmentError} (from core, as a rejection) when an image cannot be read.
 */
export async function chatMessages(ctx: ResolveContext): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  const system = ctx.settings["system_prompt"];
  if (typeof system === "string" && system !== "") messages.push({ role: "system", content: ctx.render(system) });
  const run = ctx.prompt.name;
  const turns = chatTurnsOf(ctx);
  const open = new OpenToolCalls();
  const pending: PendingImage[] = [];
  let caller = "";
  for (let i = 0; i < turns.length; i++) {
    const prompt = turns.prompt(i);
    const text = turns.text(i);
    const attachments = turns.attachments(i);
    if (toolResultInput(prompt)) messages.push(toolMessage(prompt, text, attachments, open, run));
    else if (text !== "" || attachments.length > 0) {
      requireAnswered(open, caller, run);
      messages.push({ role: "user", content: userContent(prompt, text, attachments, run, pending) });
    }
    const assistant = assistantMessage(turns.output(i), turns.outputText(i), i);
    if (!assistant) continue;
    requireAnswered(open, caller, run);
    messages.push(assistant);
    if ("tool_calls" in assistant) {
      open.called(assistant.tool_calls);
      caller = prompt.name;
    } else open.closed();
  }
  if (toolResultInput(ctx.prompt)) messages.push(toolMessage(ctx.prompt, ctx.input.text, ctx.input.attachments, open, run));
  else messages.push({ role: "user", content: userContent(ctx.prompt, ctx.input.text, ctx.input.attachments, run, pending) });
  requireAnswered(open, caller, run);
  await Promise.all(
    pending.map(async ({ part, attachment }) => {
      part.image_url.url = await imageDataUrl(attachment);
    }),
  );
  return messages;
}
