/**
 * The media inputs (audio, images) of a prompt.
 *
 * @packageDocumentation
 */
import { mimeTypeMatches, type ResolveContext, type ResolvedAttachment } from "@aiconfig-ts/core";
import { MissingAttachmentError } from "./errors.js";

/**
 * The prompt's attachments of one media kind (MIME type `audio/*` or
 * `image/*`, matched by core's `mimeTypeMatches`, the rule every provider uses), in order: those of its input, then those handed on from
 * references to earlier outputs (e.g. `{{speak.output}}`).
 *
 * @param task the provider id, for the error message
 * @throws {MissingAttachmentError} when there is none.
 */
export function mediaAttachments(ctx: ResolveContext, kind: "audio" | "image", task: string): ResolvedAttachment[] {
  const found = ctx.input.attachments.filter((a) => mimeTypeMatches(a.mimeType, `${kind}/*`));
  if (found.length === 0) throw new MissingAttachmentError(ctx.prompt.name, task, kind);
  return found;
}

/** An attachment's bytes as a `Blob` of its MIME type (sent as the request body's `Content-Type`). */
export async function attachmentBlob(attachment: ResolvedAttachment): Promise<Blob> {
  const bytes = (await attachment.bytes()) as Uint8Array<ArrayBuffer>;
  return new Blob([bytes], { type: attachment.mimeType });
}
