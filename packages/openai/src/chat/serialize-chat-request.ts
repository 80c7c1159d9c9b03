/**
 * Turns an OpenAI chat request back into prompts (the provider's
 * `serialize`, the reverse of `resolve`).
 *
 * Follows the original AIConfig OpenAI chat parser's `serialize`: one prompt
 * per user (or tool/function) message, named `NAME_1`, `NAME_2`, … with the
 * last one named `NAME`; the assistant reply that follows a message becomes
 * that prompt's output; the system message goes into the `system_prompt`
 * setting; the other request parameters become the prompts' model settings;
 * every prompt has `remember_chat_context: true` so that running the last one
 * sends the same conversation again.
 *
 * @packageDocumentation
 */
import {
  type Attachment,
  type ChatTurnToSerialize,
  chatTurnsToPrompts,
  type ExecuteResult,
  type JSONObject,
  type JSONValue,
  type Prompt,
  type PromptInput,
  type SerializeContext,
} from "@aiconfig-ts/core";
import { InputError } from "../errors.js";

type Message = { role?: unknown; content?: unknown; [key: string]: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .filter((p) => isRecord(p) && p.type === "text" && typeof p.text === "string")
      .map((p) => (p as { text: string }).text)
      .join("\n");
  }
  return "";
}

function imageAttachment(part: Record<string, unknown>): Attachment | undefined {
  const image = part.image_url;
  const url = isRecord(image) ? image.url : typeof image === "string" ? image : undefined;
  if (typeof url !== "string") return undefined;
  const detail = isRecord(image) && typeof image.detail === "string" ? { metadata: { detail: image.detail } } : {};
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match) return { data: { kind: "base64", value: match[2] ?? "" }, mime_type: match[1] ?? "image/png", ...detail };
  const ext = /\.(png|jpe?g|gif|webp)(\?|$)/i.exec(url)?.[1]?.toLowerCase();
  const mime = ext ? `image/${ext === "jpg" ? "jpeg" : ext}` : "image/png";
  return { data: { kind: "file_uri", value: url }, mime_type: mime, ...detail };
}

function userInput(message: Message): PromptInput {
  if (typeof message.content === "string" && Object.keys(message).every((k) => k === "role" || k === "content")) return message.content;
  if (Array.isArray(message.content)) {
    const attachments = message.content.filter(isRecord).flatMap((p) => (p.type === "image_url" ? (imageAttachment(p) ?? []) : []));
    return { data: textOf(message.content), ...(attachments.length ? { attachments } : {}) };
  }
  // Tool and function results (and user messages with a name) keep their fields, as the original did.
  return { ...(message as JSONObject) };
}

function assistantOutput(message: Message): ExecuteResult | undefined {
  const metadata: Record<string, unknown> = { role: "assistant" };
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    if (typeof message.content === "string" && message.content !== "") metadata.content = message.content;
    return {
      output_type: "execute_result",
      execution_count: 0,
      data: { kind: "tool_calls", value: message.tool_calls as never },
      metadata,
    };
  }
  if (isRecord(message.function_call)) {
    const fn = message.function_call as { name: string; arguments: string };
    return {
      output_type: "execute_result",
      execution_count: 0,
      data: { kind: "tool_calls", value: [{ type: "function", function: { name: fn.name, arguments: fn.arguments } }] },
      metadata,
    };
  }
  if (message.content === undefined || message.content === null) return undefined;
  return { output_type: "execute_result", execution_count: 0, data: textOf(message.content), metadata };
}

/**
 * The prompts of a chat request `{messages, ...settings}`.
 * @returns the prompts, in conversation order (empty when no message is a user, tool or function message).
 * @throws {InputError} when the request has no `messages` list.
 */
export function serializeChatRequest(request: unknown, ctx: SerializeContext): Prompt[] {
  if (!isRecord(request) || !Array.isArray(request.messages)) {
    throw new InputError(
      `serialize "${ctx.promptName}": an OpenAI chat request needs a messages list ({"messages": [{"role": "user", "content": "..."}]})`,
    );
  }
  const { messages, stream: _stream, ...rest } = request as { messages: Message[]; stream?: unknown; [key: string]: unknown };
  const settings: Record<string, JSONValue> = { ...(rest as Record<string, JSONValue>) };
  const system = messages.find((m) => isRecord(m) && (m.role === "system" || m.role === "developer"));
  if (system) {
    settings.system_prompt = typeof system.content === "string" && system.role === "system" ? system.content : (system as JSONObject);
  }
  const turns: ChatTurnToSerialize[] = [];
  messages.forEach((message, i) => {
    if (!isRecord(message) || !(message.role === "user" || message.role === "tool" || message.role === "function")) return;
    const next = messages[i + 1];
    turns.push({ input: userInput(message), output: isRecord(next) && next.role === "assistant" ? assistantOutput(next) : undefined });
  });
  return chatTurnsToPrompts(turns, ctx, { name: ctx.model, settings });
}
