/**
 * Picks the attachment a media task reads (the audio to transcribe, the
 * image to caption): the first of the prompt's attachments whose MIME type
 * matches. One rule for every provider. Browser-safe.
 *
 * @packageDocumentation
 */
import { InvalidInputError } from "../errors.js";
import type { ResolvedAttachment } from "../provider.js";

/** Whether a MIME type matches a pattern such as `audio/*`, `image/png` (parameters and case ignored). */
export function mimeTypeMatches(mimeType: string, pattern: string): boolean {
  const type = (mimeType.split(";")[0] ?? "").trim().toLowerCase();
  const want = pattern.trim().toLowerCase();
  return want.endsWith("/*") ? type.startsWith(want.slice(0, -1)) : type === want;
}

/**
 * The first attachment whose MIME type matches one of the patterns, or `undefined`.
 * @param patterns e.g. `["audio/*", "video/*"]`
 */
export function firstAttachment(attachments: readonly ResolvedAttachment[], patterns: readonly string[]): ResolvedAttachment | undefined {
  return attachments.find((a) => patterns.some((p) => mimeTypeMatches(a.mimeType, p)));
}

/**
 * The first attachment whose MIME type matches, or an error naming the prompt
 * and showing the attachment to add.
 * @param what the task, for the message, e.g. `speech recognition`
 * @param example an attachment to show, e.g. `{"data": {"kind": "file_uri", "value": "speech.wav"}, "mime_type": "audio/wav"}`
 * @param options `kind`: the media named in the message (default: the patterns' types, e.g. `audio`); `hint`: more words after the example; `invalid`: makes the error (default {@link InvalidInputError})
 * @throws {InvalidInputError} (or `invalid`'s error) when no attachment matches.
 */
export function requireAttachment(
  attachments: readonly ResolvedAttachment[],
  patterns: readonly string[],
  prompt: string,
  what: string,
  example: string,
  options: { kind?: string; hint?: string; invalid?: (message: string) => Error } = {},
): ResolvedAttachment {
  const found = firstAttachment(attachments, patterns);
  if (found) return found;
  const kind = options.kind ?? patterns.map((p) => p.replace(/\/\*$/, "")).join(" or ");
  const message = `prompt "${prompt}": ${what} needs ${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind} attachment: add input.attachments [${example}]${options.hint ? `, ${options.hint}` : ""}`;
  throw options.invalid?.(message) ?? new InvalidInputError(message);
}
