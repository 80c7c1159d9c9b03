/**
 * The content block of an attachment: images and PDF documents (a `url`
 * source for an `http(s)` URL, else base64 of the bytes) and text.
 *
 * Source: https://docs.anthropic.com/en/api/messages (image and document
 * sources) and https://docs.anthropic.com/en/docs/build-with-claude/vision.
 *
 * @packageDocumentation
 */
import type Anthropic from "@anthropic-ai/sdk";
import { AIConfigError, encodeBase64, type ResolvedAttachment } from "@aiconfig-ts/core";

type ContentBlockParam = Anthropic.ContentBlockParam;

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
