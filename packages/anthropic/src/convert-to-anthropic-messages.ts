/**
 * Builds the `messages` of a Messages API request from a prompt, its
 * attachments and the chat context (earlier prompts of the same model).
 *
 * Source: https://docs.anthropic.com/en/api/messages (content blocks, image and
 * document sources) and https://docs.anthropic.com/en/docs/build-with-claude/vision.
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import {
  AIConfigError,
  chatTurnsOf,
  encodeBase64,
  type Prompt,
  type RenderedInput,
  type ResolveContext,
  type ResolvedAttachment,
} from "@aiconfig-ts/core";

type ContentBlockParam = Anthropic.ContentBlockParam;
type MessageParam = Anthropic.MessageParam;

/** Image MIME types the Messages API takes. */
export const ANTHROPIC_IMAGE_TYPES: readonly string[] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

function isHttpUrl(uri: string | undefined): uri is string {
  return uri !== undefined && /^https?:\/\//i.test(uri);
}

function base64(bytes: Uint8Array): string {
  return encodeBase64(bytes);
}

/**
 * The content block of one attachment: an image (a `url` source for an
 * `http(s)` URL, else base64 of its bytes), a PDF document (likewise), or the
 * text of a `text/*` attachment.
 * @throws {AIConfigError} for another MIME type.
 * @throws {AttachmentError} (from `bytes()`) when the data cannot be read.
 */
export async function attachmentToBlock(attachment: ResolvedAttachment, prompt: string): Promise<ContentBlockParam> {
  const mime = attachment.mimeType === "image/jpg" ? "image/jpeg" : attachment.mimeType;
  if (ANTHROPIC_IMAGE_TYPES.includes(mime)) {
    if (isHttpUrl(attachment.uri)) return { type: "image", source: { type: "url", url: attachment.uri } };
    const data = base64(await attachment.bytes());
    return { type: "image", source: { type: "base64", media_type: mime as "image/png", data } };
  }
  if (mime === "application/pdf") {
    if (isHttpUrl(attachment.uri)) return { type: "document", source: { type: "url", url: attachment.uri } };
    return { type: "document", source: { type: "base64", media_type: "application/pdf", data: base64(await attachment.bytes()) } };
  }
  if (mime.startsWith("text/")) {
    return { type: "text", text: new TextDecoder().decode(await attachment.bytes()) };
  }
  throw new AIConfigError(
    `prompt "${prompt}": an attachment of type ${mime} cannot be sent to Anthropic: use an image (${ANTHROPIC_IMAGE_TYPES.join(", ")}), application/pdf or text`,
  );
}

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

/**
 * The messages for a prompt: for each earlier prompt of the chat context
 * (`chatTurnsOf(context)`, empty when `remember_chat_context` is false) its
 * input as a `user` turn and its output text as an `assistant` turn, then the
 * prompt's own input. Empty turns are left out (the API rejects empty text).
 */
export async function toAnthropicMessages(context: ResolveContext): Promise<MessageParam[]> {
  const messages: MessageParam[] = [];
  const turns = chatTurnsOf(context);
  for (let i = 0; i < turns.length; i++) {
    const prompt = turns.prompt(i);
    const text = turns.text(i);
    const attachments = turns.attachments(i);
    // A string input without attachments is its text (what toUserContent gives), with no await per turn.
    const content =
      typeof prompt.input === "string" && attachments.length === 0 ? text : await toUserContent(prompt, { text, attachments });
    if (!isEmpty(content)) messages.push({ role: "user", content });
    const outputText = turns.outputText(i);
    if (outputText) messages.push({ role: "assistant", content: outputText });
  }
  messages.push({ role: "user", content: await toUserContent(context.prompt, context.input, context.render) });
  return messages;
}
