/**
 * Turns AIConfig prompts, attachments and outputs into OpenAI chat messages.
 *
 * Follows the OpenAI Chat Completions API reference
 * (https://platform.openai.com/docs/api-reference/chat/create): user content
 * parts `text`, `image_url` (vision), `input_audio` and `file`; assistant
 * messages with `tool_calls` or the legacy `function_call`. Also reads the
 * forms older AIConfig files use: inputs written as `{role, content}` and
 * outputs whose `data` is a whole assistant message `{role, content,
 * function_call?}` (the original SDK's format, found in the corpus).
 *
 * @packageDocumentation
 */
import {
  type JSONValue,
  type Output,
  type Prompt,
  type RenderedInput,
  type ResolvedAttachment,
  type ToolCall,
  encodeBase64,
  OpenToolCalls,
} from "@aiconfig-ts/core";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { InputError } from "../errors.js";

type JSONRecord = { [key: string]: unknown };

function isRecord(value: unknown): value is JSONRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The system message of a `system_prompt` setting: a string, or a message
 * object `{role: "system" | "developer", content}` (older files). Its text is
 * rendered as a template.
 * @returns `undefined` when the setting is absent or empty.
 * @throws {InputError} when the setting is neither a string nor a message object with string content.
 */
export function systemMessage(
  systemPrompt: JSONValue | undefined,
  render: (template: string) => string,
  prompt: string,
): ChatCompletionMessageParam | undefined {
  if (systemPrompt === undefined || systemPrompt === null || systemPrompt === "") return undefined;
  if (typeof systemPrompt === "string") return { role: "system", content: render(systemPrompt) };
  if (isRecord(systemPrompt) && typeof systemPrompt.content === "string") {
    const role = systemPrompt.role === "developer" ? "developer" : "system";
    return { role, content: render(systemPrompt.content) };
  }
  throw new InputError(
    `prompt "${prompt}": setting system_prompt must be a string or {"role": "system", "content": "..."}, got ${JSON.stringify(systemPrompt)}`,
  );
}

/**
 * The template of an input written the old way, as a chat message
 * `{role, content}` without `data` (e.g. typescript/demo/demo.aiconfig.json).
 */
export function messageInputTemplate(input: Prompt["input"]): string | undefined {
  if (typeof input === "object" && input !== null && input.data === undefined && typeof input.content === "string") return input.content;
  return undefined;
}

const AUDIO_FORMATS: Record<string, "wav" | "mp3"> = {
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/vnd.wave": "wav",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
};

function dataURL(mimeType: string, bytes: Uint8Array): string {
  return `data:${mimeType};base64,${encodeBase64(bytes)}`;
}

function fileName(attachment: ResolvedAttachment, fallback: string): string {
  const uri = attachment.uri;
  if (uri && !uri.startsWith("data:")) {
    const last = uri.split(/[\\/]/).pop()?.split("?")[0];
    if (last) return last;
  }
  return fallback;
}

/**
 * One attachment as a user content part: images as `image_url` (a remote or
 * `data:` URL is passed as is, a local file or base64 data becomes a `data:`
 * URL; `metadata.detail` gives the detail level), WAV/MP3 audio as
 * `input_audio`, PDF as `file`, `text/*` as `text`.
 * @param position the attachment's index, for messages
 * @throws {InputError} for any other MIME type.
 * @throws {AttachmentError} (from core) when the data cannot be read.
 */
export async function attachmentPart(attachment: ResolvedAttachment, prompt: string, position: number): Promise<ChatCompletionContentPart> {
  const mime = attachment.mimeType.toLowerCase();
  if (mime.startsWith("image/")) {
    const uri = attachment.uri;
    const url = uri && /^(https?|data):/i.test(uri) ? uri : dataURL(mime, await attachment.bytes());
    const detail = attachment.attachment.metadata?.detail;
    return {
      type: "image_url",
      image_url: { url, ...(detail === "low" || detail === "high" || detail === "auto" ? { detail } : {}) },
    };
  }
  const audioFormat = AUDIO_FORMATS[mime];
  if (audioFormat) {
    return { type: "input_audio", input_audio: { data: encodeBase64(await attachment.bytes()), format: audioFormat } };
  }
  if (mime === "application/pdf") {
    return { type: "file", file: { file_data: dataURL(mime, await attachment.bytes()), filename: fileName(attachment, "document.pdf") } };
  }
  if (mime.startsWith("text/")) {
    const data = attachment.attachment.data;
    const text = typeof data === "string" && attachment.uri === undefined ? data : new TextDecoder().decode(await attachment.bytes());
    return { type: "text", text };
  }
  throw new InputError(
    `prompt "${prompt}": attachment ${position} has MIME type ${attachment.mimeType}, which OpenAI chat models do not take: use image/*, audio/wav, audio/mpeg, application/pdf or text/*`,
  );
}

/**
 * The message of a prompt's input. The role is `user` unless the input object
 * says otherwise (`{role, content, name?, tool_call_id?}`, as older files and
 * tool results are written). With attachments, the content is a list of parts
 * (the text first, when not empty).
 * A tool's result (`role: "tool"`) without `tool_call_id` answers the call
 * core's rule picks among the tool calls of the latest assistant message in
 * `earlier` (`OpenToolCalls.match`: the first unanswered call of `input.name`,
 * else the first unanswered call), as the Gemini, Anthropic and Hugging Face
 * providers do, so a file written for them runs here too.
 * @param text the input's rendered text
 * @param earlier the messages before this one (the chat so far), for a tool result without `tool_call_id`
 * @throws {InputError} for attachments of a type chat models do not take, or a tool result without `tool_call_id` that answers no earlier call.
 */
export async function inputMessage(
  prompt: Readonly<Prompt>,
  text: string,
  input: RenderedInput,
  earlier: readonly ChatCompletionMessageParam[] = [],
): Promise<ChatCompletionMessageParam> {
  const message = inputMessageWithoutAttachments(prompt, text, input.attachments, earlier);
  if (message) return message;
  const name =
    typeof prompt.input === "object" && prompt.input !== null && typeof prompt.input.name === "string" ? prompt.input.name : undefined;
  const parts: ChatCompletionContentPart[] = text !== "" ? [{ type: "text", text }] : [];
  for (const [i, attachment] of input.attachments.entries()) parts.push(await attachmentPart(attachment, prompt.name, i));
  return { role: "user", content: parts, ...(name ? { name } : {}) };
}

/**
 * The message of a prompt's input as {@link inputMessage} builds it, without
 * waiting: `undefined` when it is a user message with attachments (reading
 * them is asynchronous; call {@link inputMessage}). A chat history of 10,000
 * turns then costs no turn of the event loop per turn.
 * @param attachments the input's attachments ({@link RenderedInput.attachments})
 * @param earlier the messages before this one, for a tool result without `tool_call_id` (see {@link inputMessage})
 * @throws {InputError} for an input role chat models do not take, or a tool result without `tool_call_id` that answers no earlier call.
 */
export function inputMessageWithoutAttachments(
  prompt: Readonly<Prompt>,
  text: string,
  attachments: readonly ResolvedAttachment[],
  earlier: readonly ChatCompletionMessageParam[] = [],
): ChatCompletionMessageParam | undefined {
  const input = prompt.input;
  // Most chat turns: a string input, sent as a user message.
  if (typeof input === "string" && attachments.length === 0) return { role: "user", content: text };
  const object = typeof input === "object" && input !== null ? input : undefined;
  const role = typeof object?.role === "string" ? object.role : "user";
  const name = typeof object?.name === "string" ? object.name : undefined;
  if (role === "tool") {
    const given = object?.tool_call_id;
    const id = typeof given === "string" && given !== "" ? given : openCallId(earlier, name);
    if (id === undefined) {
      throw new InputError(
        `prompt "${prompt.name}": its input (role "tool") is a tool's result, but it has no tool_call_id and no earlier prompt of the chat made a tool call it could answer: set input.tool_call_id to the id of the call, or put the prompt after the one whose output called the tool`,
      );
    }
    return { role: "tool", content: text, tool_call_id: id };
  }
  if (role === "function") return { role: "function", name: name ?? "", content: text };
  if (role === "assistant") return { role: "assistant", content: text, ...(name ? { name } : {}) };
  if (role === "system" || role === "developer") return { role, content: text, ...(name ? { name } : {}) };
  if (role !== "user") {
    throw new InputError(`prompt "${prompt.name}": input role "${role}" is not one of user, system, developer, assistant, tool, function`);
  }
  if (attachments.length === 0) return name ? { role: "user", content: text, name } : { role: "user", content: text };
  return undefined;
}

/**
 * The id of the call a tool result without `tool_call_id` answers (core's
 * `OpenToolCalls` rule): among the function calls of the latest assistant
 * message of `earlier` that has any, those no tool message after it answered;
 * `undefined` when none is left (or a later assistant message answered in text).
 */
function openCallId(earlier: readonly ChatCompletionMessageParam[], name: string | undefined): string | undefined {
  let at = earlier.length - 1;
  while (at >= 0 && earlier[at]?.role === "tool") at--;
  const turn = earlier[at];
  if (turn?.role !== "assistant" || !turn.tool_calls) return undefined;
  const open = new OpenToolCalls();
  open.called(
    turn.tool_calls.flatMap((c) => (c.type === "function" ? [{ id: c.id, type: "function" as const, function: c.function }] : [])),
  );
  for (let i = at + 1; i < earlier.length; i++) {
    const answer = earlier[i];
    if (answer?.role === "tool") open.match(answer.tool_call_id);
  }
  return open.match(undefined, name)?.id;
}

function toolCallsMessage(calls: readonly ToolCall[], content: string | null): ChatCompletionAssistantMessageParam {
  if (calls.length > 0 && calls.every((c) => typeof c.id === "string" && c.id !== "")) {
    return {
      role: "assistant",
      content,
      tool_calls: calls.map((c) => ({
        id: c.id as string,
        type: "function" as const,
        function: { name: c.function.name, arguments: c.function.arguments },
      })),
    };
  }
  // Calls without ids come from the legacy `function_call` (one call).
  const last = calls[calls.length - 1];
  return {
    role: "assistant",
    content,
    ...(last ? { function_call: { name: last.function.name, arguments: last.function.arguments } } : {}),
  };
}

/**
 * The assistant message of an earlier prompt's output, for chat history:
 * text as content, `{kind: "tool_calls"}` data as `tool_calls` (or as the
 * legacy `function_call` when the calls have no ids), old `{role, content,
 * function_call?}` data as that message. Other data (images, audio) is sent as
 * its text when it has one. Reasoning text kept in the metadata is not sent,
 * except DeepSeek's `reasoning_content` on a turn that called tools, which
 * DeepSeek's thinking mode requires back (it answers 400 without it;
 * https://api-docs.deepseek.com/guides/thinking_mode).
 * @param text the output's text as the provider reads it (fallback for other data)
 * @returns `undefined` for no output, an error output, or data without text.
 */
export function assistantMessage(output: Output | undefined, text: string | undefined): ChatCompletionAssistantMessageParam | undefined {
  if (output?.output_type !== "execute_result") return undefined;
  const data = output.data as unknown;
  if (typeof data === "string") return { role: "assistant", content: data };
  if (isRecord(data)) {
    if (data.kind === "tool_calls" && Array.isArray(data.value)) {
      const content = typeof output.metadata?.content === "string" ? output.metadata.content : null;
      const message = toolCallsMessage(data.value as ToolCall[], content);
      const reasoning = output.metadata?.reasoning_content;
      // A field of DeepSeek's API the openai types do not list.
      return typeof reasoning === "string" && reasoning !== "" ? Object.assign(message, { reasoning_content: reasoning }) : message;
    }
    if (typeof data.role === "string" && ("content" in data || "function_call" in data || "tool_calls" in data)) {
      if (data.role !== "assistant") return undefined;
      const content = typeof data.content === "string" ? data.content : null;
      const message: ChatCompletionAssistantMessageParam = { role: "assistant", content };
      if (isRecord(data.function_call)) message.function_call = data.function_call as { name: string; arguments: string };
      if (Array.isArray(data.tool_calls)) message.tool_calls = data.tool_calls as ChatCompletionAssistantMessageParam["tool_calls"];
      if (typeof data.name === "string") message.name = data.name;
      return message;
    }
  }
  return text !== undefined ? { role: "assistant", content: text } : undefined;
}
