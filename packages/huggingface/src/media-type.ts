/**
 * The MIME type of audio and image bytes returned by Hugging Face.
 *
 * @packageDocumentation
 */

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The MIME type the bytes' signature ("magic number") shows, for the formats
 * Hugging Face models return: PNG, JPEG, GIF, WebP, WAV, FLAC, Ogg, MP3
 * (ID3 tag or MPEG frame sync), MP4/M4A; `undefined` for anything else.
 * Source: the formats' specifications (e.g. PNG: `89 50 4E 47 0D 0A 1A 0A`;
 * WAV: `RIFF....WAVE`).
 */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("GIF8"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WAVE"), 8)) return "audio/wav";
  if (startsWith(bytes, ascii("fLaC"))) return "audio/flac";
  if (startsWith(bytes, ascii("OggS"))) return "audio/ogg";
  if (startsWith(bytes, ascii("ID3"))) return "audio/mpeg";
  if (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return "audio/mpeg";
  if (startsWith(bytes, ascii("ftyp"), 4)) return startsWith(bytes, ascii("M4A"), 8) ? "audio/mp4" : "video/mp4";
  return undefined;
}

/**
 * The MIME type to store binary output with: the bytes' signature when it is
 * known (the SDK labels base64 images `image/jpeg` whatever they are), else the
 * `Content-Type` the server sent (without parameters), else `fallback`.
 *
 * @param bytes the data
 * @param declared the type the response gave (a `Blob`'s `type`), may be empty
 * @param fallback used when neither tells, e.g. `application/octet-stream`
 */
export function mediaTypeOf(bytes: Uint8Array, declared: string | undefined, fallback = "application/octet-stream"): string {
  const sniffed = sniffMediaType(bytes);
  if (sniffed) return sniffed;
  const type = declared?.split(";")[0]?.trim().toLowerCase();
  if (type && type !== "application/octet-stream") return type;
  return fallback;
}
