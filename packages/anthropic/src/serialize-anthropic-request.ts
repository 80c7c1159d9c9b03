/**
 * Turns a Messages API request back into prompts (the reverse of `resolve`):
 * each `user` message becomes a prompt, the `assistant` message after it its
 * output (tool calls and thinking blocks kept), and the other request fields its settings.
 *
 * Source: https://docs.anthropic.com/en/api/messages; the naming of the prompts
 * follows the original AIConfig SDK's OpenAI chat serializer (`NAME_1`,
 * `NAME_2`, ..., the last one `NAME`).
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import {
  AIConfigError,
  type ChatTurnToSerialize,
  chatTurnsToPrompts,
  type Attachment,
  type JSONObject,
  type JSONValue,
  type ModelSettings,
  type Output,
  type Prompt,
  type PromptInput,
  type SerializeContext,
} from "@aiconfig-ts/core";
import { holdsOtherBlocks, messageText, messageToolCalls } from "./convert-anthropic-message.js";
import { contentThinkingBlocks } from "./thinking-blocks.js";

type Block = { [key: string]: any };

function guessImageType(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (ext === "jpg" || ext === "jpeg") return "image/jpeg";
  if (ext === "gif") return "image/gif";
  if (ext === "webp") return "image/webp";
  return "image/png";
}

function blockToAttachment(block: Block): Attachment | undefined {
  const source = block.source as Block | undefined;
  if ((block.type !== "image" && block.type !== "document") || !source) return undefined;
  if (source.type === "base64" && typeof source.data === "string") {
    return { data: { kind: "base64", value: source.data }, mime_type: source.media_type };
  }
  if (source.type === "url" && typeof source.url === "string") {
    return {
      data: { kind: "file_uri", value: source.url },
      mime_type: block.type === "document" ? "application/pdf" : guessImageType(source.url),
    };
  }
  return undefined;
}

/**
 * The prompt input for a user message's content: a string stays a string;
 * text, image and document blocks become text plus attachments; content with
 * other blocks (e.g. `tool_result`) is kept as raw blocks in `input.data`.
 */
export function userContentToInput(content: string | Block[]): PromptInput {
  if (typeof content === "string") return content;
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const block of content) {
    if (block.type === "text" && typeof block.text === "string") {
      texts.push(block.text);
      continue;
    }
    const attachment = blockToAttachment(block);
    if (!attachment) return { data: content as JSONValue };
    attachments.push(attachment);
  }
  const text = texts.join("\n");
  return attachments.length === 0 ? text : { data: text, attachments };
}

/**
 * The output of an assistant message: its text, or its `tool_use` blocks as
 * `{kind: "tool_calls"}` (ids kept; text beside them in `metadata.text`),
 * with its thinking blocks in `metadata.thinking_blocks` and, when it holds
 * server tools' blocks, its whole content in `metadata.content` (as
 * `messageToOutputs` stores a reply's), so that resolving gives the message back.
 */
function assistantOutput(content: string | Block[]): Output {
  if (typeof content === "string")
    return { output_type: "execute_result", execution_count: 0, data: content, metadata: { role: "assistant" } };
  const message = { content } as Pick<Anthropic.Message, "content">;
  const text = messageText(message);
  const calls = messageToolCalls(message);
  const metadata: JSONObject = { role: "assistant" };
  if (calls.length > 0 && text !== "") metadata.text = text;
  const thinkingBlocks = contentThinkingBlocks(content);
  if (thinkingBlocks) metadata.thinking_blocks = thinkingBlocks as unknown as JSONValue;
  if (holdsOtherBlocks(content)) metadata.content = content as JSONValue;
  const data = calls.length > 0 ? { kind: "tool_calls" as const, value: calls } : text;
  return { output_type: "execute_result", execution_count: 0, data, metadata };
}

/**
 * The settings of a request: every field but `messages` and `stream`, with
 * `system` stored as `system_prompt` (text blocks joined) and `model` left out
 * when it is the model name the prompts get.
 */
export function requestSettings(request: Block, model: string): ModelSettings {
  const settings: ModelSettings = {};
  for (const [key, value] of Object.entries(request)) {
    if (key === "messages" || key === "stream" || value === undefined) continue;
    if (key === "model" && value === model) continue;
    if (key === "system") {
      settings.system_prompt = typeof value === "string" ? value : (value as Block[]).map((b) => b.text ?? "").join("\n");
      continue;
    }
    settings[key] = value as JSONValue;
  }
  return settings;
}

/**
 * Turns a Messages API request into prompts.
 * @param request a `MessageCreateParams` object
 * @throws {AIConfigError} when the request has no `messages` array.
 */
export function serializeAnthropicRequest(request: unknown, context: SerializeContext): Prompt[] {
  const body = request as Block;
  if (typeof body !== "object" || body === null || !Array.isArray(body.messages)) {
    throw new AIConfigError(
      `cannot serialize prompt "${context.promptName}": expected an Anthropic Messages request with a "messages" array`,
    );
  }
  const settings = requestSettings(body, context.model);
  const model = Object.keys(settings).length > 0 ? { name: context.model, settings } : context.model;
  const messages = body.messages as Block[];
  const turns: ChatTurnToSerialize[] = [];
  messages.forEach((message, i) => {
    if (message.role !== "user") return;
    const next = messages[i + 1];
    turns.push({
      input: userContentToInput(message.content),
      output: next?.role === "assistant" ? assistantOutput(next.content) : undefined,
    });
  });
  return chatTurnsToPrompts(turns, context, model);
}
