/**
 * Binary outputs kept as files beside the aiconfig file instead of base64 in
 * it (as the CLI's `--output-files` does): always, or only when large (the
 * editor's default), so that a 10-second speech clip does not make the file
 * 600 KB of base64.
 *
 * @packageDocumentation
 */
import type { Output } from "@aiconfig-ts/core";
import { writeOutputFile } from "./workspace-files.js";

/** Size above which the editor stores a binary output as a file by default, in bytes (decoded). */
export const LARGE_OUTPUT_BYTES = 256 * 1024;

/** Where binary outputs go: files always (`true`), base64 always (`false`), or files when larger than {@link LARGE_OUTPUT_BYTES} (`"large"`). */
export type OutputFilesMode = boolean | "large";

/**
 * The outputs with each base64 binary `execute_result` larger than
 * `minBytes` written to `STEM.outputs/` beside `configFile` and replaced by
 * its relative `file_uri` (the same object when nothing changed).
 * @throws {WorkspacePathError} when the outputs folder is a symbolic link out of the config's folder
 */
export function storeLargeOutputs(configFile: string, prompt: string, outputs: Output[], minBytes = LARGE_OUTPUT_BYTES): Output[] {
  let changed = false;
  const out = outputs.map((o): Output => {
    if (o.output_type !== "execute_result") return o;
    const data = o.data as { kind?: unknown; value?: unknown } | undefined;
    if (typeof data !== "object" || data === null || data.kind !== "base64" || typeof data.value !== "string") return o;
    const match = /^data:([^;,]+)[^,]*,/.exec(data.value);
    const base64 = match ? data.value.slice(match[0].length) : data.value;
    // decoded size, from the base64 length
    if (Math.floor((base64.length * 3) / 4) <= minBytes) return o;
    const mime = o.mime_type ?? match?.[1] ?? "application/octet-stream";
    const value = writeOutputFile(configFile, prompt, mime, Buffer.from(base64, "base64"));
    changed = true;
    return { ...o, data: { kind: "file_uri", value }, mime_type: mime } as Output;
  });
  return changed ? out : outputs;
}
