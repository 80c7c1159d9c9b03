/**
 * Where a provider's binary output (audio, images) is kept: inline as base64,
 * or, when the runtime is set to write files (`RuntimeOptions.outputFiles`,
 * the CLI's `--output-files`), as a file in `NAME.outputs/` beside the
 * aiconfig file, stored as a relative `file_uri`.
 *
 * @packageDocumentation
 */
import { basename, dirname, encodeBase64, extname, join, mkdirSync, relative, writeFileSync } from "#platform";
import type { StoredData } from "./types.js";

/** File extensions of the media types providers produce; others get `.bin`. */
const MIME_EXTENSIONS: Readonly<Record<string, string>> = {
  "audio/wav": ".wav",
  "audio/x-wav": ".wav",
  "audio/mpeg": ".mp3",
  "audio/ogg": ".ogg",
  "audio/flac": ".flac",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/webp": ".webp",
  "image/gif": ".gif",
};

/** Where binary outputs go (see {@link storeBinaryOutput}). */
export interface BinaryOutputTarget {
  /** Write files beside the aiconfig file (else base64). */
  readonly outputFiles: boolean;
  /** The aiconfig file; without it, outputs are base64 whatever `outputFiles` says. */
  readonly filePath: string | undefined;
}

/**
 * Stores the bytes of a binary output.
 * @param bytes the data
 * @param mimeType e.g. `audio/wav` (chooses the file extension)
 * @param promptName the prompt that made it (names the file: `PROMPT-TIME.EXT`, unsafe characters as `_`)
 * @returns `{kind: "base64"}`, or `{kind: "file_uri"}` relative to the aiconfig file's folder, with `/` separators
 * @throws the file system's error when the folder or file cannot be written
 */
export function storeBinaryOutput(target: BinaryOutputTarget, bytes: Uint8Array, mimeType: string, promptName: string): StoredData {
  const { filePath } = target;
  if (!target.outputFiles || !filePath) return { kind: "base64", value: encodeBase64(bytes) };
  const dir = join(dirname(filePath), `${basename(filePath, extname(filePath))}.outputs`);
  mkdirSync(dir, { recursive: true });
  const safe = promptName.replace(/[^A-Za-z0-9_.-]+/g, "_");
  const file = join(dir, `${safe}-${Date.now().toString(36)}${MIME_EXTENSIONS[mimeType] ?? ".bin"}`);
  writeFileSync(file, bytes);
  return { kind: "file_uri", value: relative(dirname(filePath), file).split("\\").join("/") };
}
