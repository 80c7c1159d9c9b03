/**
 * The only files the editor reads or writes besides the aiconfig file:
 * attachments and binary outputs under the aiconfig file's folder.
 *
 * Reading is limited to media files (images, audio, video, PDF, plain text
 * and CSV) below the folder, never a dot-file or dot-folder (so never `.env`),
 * and never through a symbolic link that leads out of the folder.
 *
 * @packageDocumentation
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { basename, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { AttachmentPathError, checkAttachmentPath } from "@aiconfig-ts/core";

/** MIME type by extension of the files the editor serves. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".bmp": "image/bmp",
  ".svg": "image/svg+xml",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".flac": "audio/flac",
  ".m4a": "audio/mp4",
  ".webm": "video/webm",
  ".mp4": "video/mp4",
  ".pdf": "application/pdf",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

/** Thrown for a path the editor will not read or write; `status` is the HTTP status to answer. */
export class WorkspacePathError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404,
  ) {
    super(message);
  }
}

/**
 * The absolute path of a media file under `dir`, given as a path relative to
 * it (a `file://` prefix is allowed).
 * @throws {WorkspacePathError} for an absolute path, a path leaving the folder,
 *   a dot segment, a non-media extension (403), or a missing file (404)
 */
export function mediaFileUnder(dir: string, relativePath: string): { path: string; type: string } {
  const rel = relativePath.replace(/^file:\/\//, "");
  if (rel === "" || isAbsolute(rel) || /^[a-z]:/i.test(rel))
    throw new WorkspacePathError(`"${relativePath}" is not a path relative to the config's folder`, 403);
  const segments = rel.split(/[\\/]+/);
  if (segments.some((s) => s === ".." || s.startsWith(".")))
    throw new WorkspacePathError(`"${relativePath}" leaves the config's folder or names a hidden file`, 403);
  const type = MEDIA_TYPES[extname(rel).toLowerCase()];
  if (!type) throw new WorkspacePathError(`"${relativePath}" is not a media file the editor shows`, 403);
  const root = realpathSync(dir);
  const path = resolve(root, rel);
  if (!existsSync(path)) throw new WorkspacePathError(`"${relativePath}" does not exist in the config's folder`, 404);
  const real = realpathSync(path);
  if (real !== root && !real.startsWith(root + sep))
    throw new WorkspacePathError(`"${relativePath}" leads out of the config's folder`, 403);
  return { path: real, type };
}

/** A file name safe to write: the base name with anything but letters, digits, `.`, `_` and `-` replaced, no leading dot. */
export function safeFileName(name: string): string {
  const base = basename(name.replace(/\\/g, "/"))
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^\.+/, "");
  return base === "" ? "attachment" : base.slice(0, 120);
}

/**
 * The folder `dir/sub`, created when missing, as a real path.
 * @throws {WorkspacePathError} 403 when it is, or leads through, a symbolic link out of `dir` (nothing is written there)
 */
export function folderUnder(dir: string, sub: string): string {
  const root = realpathSync(dir);
  const path = join(root, sub);
  mkdirSync(path, { recursive: true });
  const real = realpathSync(path);
  if (!real.startsWith(root + sep))
    throw new WorkspacePathError(`"${sub}" leads out of the config's folder (a symbolic link): nothing is written through it`, 403);
  return real;
}

/**
 * Writes bytes to a new file in `folder` named `NAME` (or `STEM-N.EXT` when a
 * different file has that name; the same name when the bytes are the same).
 * Never follows or replaces a symbolic link.
 * @returns the file's real path
 */
function writeNewFile(folder: string, name: string, bytes: Uint8Array): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 0; ; i++) {
    const path = join(folder, i === 0 ? name : `${stem}-${i}${ext}`);
    let existing: ReturnType<typeof lstatSync> | undefined;
    try {
      existing = lstatSync(path);
    } catch {
      existing = undefined;
    }
    if (existing) {
      if (existing.isFile() && Buffer.compare(readFileSync(path), Buffer.from(bytes)) === 0) return path;
      continue;
    }
    writeFileSync(path, bytes, { flag: "wx" });
    return path;
  }
}

/**
 * Writes an attachment picked in the page to `DIR/attachments/NAME` (a
 * numbered name when a different file has that name; the same name when the
 * bytes are the same).
 * @returns the path relative to `dir`, with `/` separators, for a `file_uri`
 * @throws {WorkspacePathError} when `attachments/` is a symbolic link out of `dir`
 */
export function writeAttachment(dir: string, name: string, bytes: Uint8Array): string {
  const folder = folderUnder(dir, "attachments");
  const path = writeNewFile(folder, safeFileName(name), bytes);
  return relative(realpathSync(dir), path).split(sep).join("/");
}

/** File extension by MIME type, for output files. */
const EXTENSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MEDIA_TYPES)
    .reverse()
    .map(([ext, type]) => [type.split(";")[0], ext]),
);

/**
 * Writes a binary output to `DIR/STEM.outputs/PROMPT-N.EXT` beside the
 * aiconfig file `STEM.EXT` (as the CLI's `--output-files` does).
 * @returns the path relative to `dir`, with `/` separators, for a `file_uri`
 * @throws {WorkspacePathError} when the outputs folder is a symbolic link out of `dir`
 */
export function writeOutputFile(configFile: string, prompt: string, mimeType: string, bytes: Uint8Array): string {
  const dir = resolve(configFile, "..");
  const folder = folderUnder(dir, `${basename(configFile, extname(configFile))}.outputs`);
  const ext = EXTENSIONS[mimeType.split(";")[0]!.trim().toLowerCase()] ?? ".bin";
  const path = writeNewFile(folder, `${safeFileName(prompt)}${ext}`, bytes);
  return relative(realpathSync(dir), path).split(sep).join("/");
}

/**
 * The problems of a document's local attachments for a run, by core's rule
 * (`checkAttachmentPath`): each path (a `file_uri`, a `file:` URL or a bare
 * path) must name a file inside `dir`: relative, no `..`, no dot-file or
 * dot-folder (never `.env`), and no symbolic link leading out. Remote
 * (`http(s):`) and inline (`data:`, base64) attachments are not files here.
 * @returns one line per refused attachment, naming the prompt, the path, why, and the fix in the editor's words
 */
export function attachmentPathProblems(prompts: readonly { name: string; input?: unknown }[], dir: string): string[] {
  const problems: string[] = [];
  for (const p of prompts) {
    const input = p.input as { attachments?: unknown } | undefined;
    if (typeof input !== "object" || input === null || !Array.isArray(input.attachments)) continue;
    for (const a of input.attachments as { data?: unknown; mime_type?: unknown }[]) {
      const data = a?.data as { kind?: unknown; value?: unknown } | string | undefined;
      let path: string | undefined;
      if (typeof data === "object" && data !== null && data.kind === "file_uri" && typeof data.value === "string") path = data.value;
      else if (typeof data === "string" && (/^file:/i.test(data) || (typeof a.mime_type === "string" && !a.mime_type.startsWith("text/"))))
        path = data;
      if (path === undefined || /^(https?|data):/i.test(path)) continue;
      try {
        checkAttachmentPath(path, dir, { prompt: p.name });
      } catch (e) {
        if (!(e instanceof AttachmentPathError)) throw e;
        problems.push(
          `prompt "${p.name}": attachment ${JSON.stringify(path)} is refused: ${e.reason}: attachments are read only inside the config's folder; pick the file again in Attachments (it is then stored there)`,
        );
      }
    }
  }
  return problems;
}
