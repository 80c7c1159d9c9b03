/**
 * Resolving prompt attachments: where their bytes are and how to read them,
 * and which files on disk an attachment may name.
 *
 * A file is untrusted input: an attachment read from disk must be inside the
 * aiconfig file's folder, named by a relative path with no `..` and no
 * dot-file or dot-folder (`.env`, `.ssh/`), and its real path (symbolic links
 * followed) must stay inside that folder. A user who needs more names other
 * folders (`allowPaths` in the SDK, `--allow-path DIR` on the CLI).
 *
 * An `http(s):` attachment URL that core fetches itself (for providers that
 * send attachment bytes inline) is fetched in Node only when every address
 * its host resolves to is public: not this machine, a private network,
 * link-local (a cloud's metadata service), CGNAT, multicast or reserved, each
 * redirect (at most 5) checked the same way (see `platform/fetch-attachment.ts`).
 * A user who trusts a host names it (`allowHosts` in the SDK,
 * `--allow-endpoint HOST` or `AICONFIG_ALLOW_ENDPOINTS` on the CLI).
 *
 * @packageDocumentation
 */
import {
  currentDirectory,
  decodeBase64,
  fetchAttachment,
  fileURLToPath,
  isAbsolute,
  readFile,
  realpathSync,
  relative,
  resolve,
  sep,
  utf8Bytes,
} from "#platform";
import { AttachmentError } from "./errors.js";
import { isStoredData } from "./output-text.js";
import type { ResolvedAttachment } from "./provider.js";
import type { Attachment } from "./types.js";

const URL_RE = /^(https?|data):/i;

/**
 * Resolves an attachment against the aiconfig file's folder.
 *
 * `data` may be `{kind: "base64", value}`, `{kind: "file_uri", value}` (a path,
 * relative to `configDir`, a `file:` URL, an `http(s):` URL or a `data:` URL),
 * or, as some real files have it, a bare string holding such a path or URL.
 * Other JSON data has no bytes but its JSON text.
 */
export function resolveAttachment(
  attachment: Attachment,
  configDir: string | undefined,
  access: AttachmentAccess = {},
): ResolvedAttachment {
  const mimeType = attachment.mime_type || "text/plain";
  const data = attachment.data;
  let uri: string | undefined;
  let inline: Uint8Array | undefined;
  if (isStoredData(data)) {
    if (data.kind === "base64") inline = decodeBase64(data.value);
    else uri = toUri(data.value, configDir);
  } else if (typeof data === "string" && (URL_RE.test(data) || !mimeType.startsWith("text/"))) {
    uri = toUri(data, configDir);
  } else {
    inline = utf8Bytes(typeof data === "string" ? data : JSON.stringify(data));
  }
  if (uri !== undefined && !URL_RE.test(uri)) {
    const path = isStoredData(data) ? data.value : String(data);
    uri = checkAttachmentPath(path, configDir, access);
  }
  return {
    attachment,
    mimeType,
    uri,
    bytes: async () => {
      if (inline) return inline;
      return readUri(uri!, access);
    },
  };
}

/** Where an attachment may be read from disk, and what to name in a refusal. */
export interface AttachmentAccess {
  /**
   * Folders (absolute, or relative to the current directory) from which
   * attachments may also be read, by absolute path or a path with `..`.
   * Default none: only the aiconfig file's folder.
   */
  allowPaths?: readonly string[];
  /**
   * Hosts the user trusts: an `http(s):` attachment URL on one of them is
   * fetched even when the host is this machine or on a private network.
   * Each entry is a host (`127.0.0.1`, `files.lan`), a `host:port`, or a URL
   * (its origin must match). Default none: only hosts whose every address is public.
   */
  allowHosts?: readonly string[];
  /** The prompt whose attachment this is, named in a refusal. */
  prompt?: string;
  /** JSON pointer of the attachment in the file, e.g. `/prompts/0/input/attachments/1`, named in a refusal. */
  pointer?: string;
  /** The aiconfig file, named in a refusal. */
  file?: string;
}

/** An attachment names a file outside the folders it may be read from. */
export class AttachmentPathError extends AttachmentError {
  override name = "AttachmentPathError";
  /**
   * @param path - the path as written in the file.
   * @param reason - why it is refused, e.g. `it is outside the folder of the aiconfig file`.
   */
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly where: AttachmentAccess,
  ) {
    const place = [where.file, where.pointer && `(at ${where.pointer})`].filter(Boolean).join(" ");
    super(
      `${place ? `${place}: ` : ""}${where.prompt !== undefined ? `prompt "${where.prompt}": ` : ""}attachment ${JSON.stringify(path)} is refused: ${reason}; attachments are read only inside the aiconfig file's folder (allow another folder with --allow-path DIR, or the allowPaths option)`,
    );
  }
}

const inside = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
};

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Checks a path an attachment names (a relative path, an absolute one or a
 * `file:` URL) against the rules of this module and returns the file to read.
 *
 * Refused: a dot-file or dot-folder anywhere in the path; an absolute path or
 * one with `..` segments, unless it is inside one of `allowPaths`; a file
 * whose real path (links followed) is outside the aiconfig file's folder and
 * every folder of `allowPaths`; any path when there is no aiconfig file and no
 * `allowPaths`. The editor's run route uses it for uploads too.
 *
 * @param path - as written in the file.
 * @param configDir - the aiconfig file's folder (`undefined` for a document not loaded from a file).
 * @returns the absolute path to read
 * @throws {AttachmentPathError} naming the file, the attachment's place, the prompt, the path and why
 */
export function checkAttachmentPath(path: string, configDir: string | undefined, access: AttachmentAccess = {}): string {
  const refuse = (reason: string) => new AttachmentPathError(path, reason, access);
  let local = path;
  if (path.startsWith("file:")) {
    try {
      local = fileURLToPath(path);
    } catch (error) {
      // another host (file://server/share), an encoded "/" or NUL: Node names no file for it
      throw refuse(`it is a file: URL that names no file on this machine (${(error as Error).message})`);
    }
  }
  const segments = local.split(/[\\/]+/);
  if (segments.some((s) => s.startsWith(".") && s !== "." && s !== "..")) throw refuse("it names a dot-file or dot-folder");
  const allowed = (access.allowPaths ?? []).map((d) => realOrSelf(resolve(d)));
  const folders = configDir ? [realOrSelf(resolve(configDir)), ...allowed] : allowed;
  if (folders.length === 0) throw refuse("the document was not loaded from a file, so there is no folder to read from");
  const target = isAbsolute(local) ? local : resolve(configDir ?? currentDirectory(), local);
  const escapes = isAbsolute(local) || segments.includes("..");
  if (escapes && !allowed.some((d) => inside(d, realOrSelf(target)))) {
    throw refuse(isAbsolute(local) ? "it is an absolute path" : "it goes up out of the folder (..)");
  }
  const real = realOrSelf(target);
  if (!folders.some((d) => inside(d, real))) throw refuse("it leads out of the folder (through a symbolic link)");
  return real;
}

function toUri(value: string, configDir: string | undefined): string {
  // a file: URL is turned into a path by checkAttachmentPath, which refuses one Node cannot read
  if (URL_RE.test(value) || value.startsWith("file:")) return value;
  return isAbsolute(value) || !configDir ? value : resolve(configDir, value);
}

/**
 * The bytes an attachment's resolved `uri` names: a `data:` URL decoded, an `http(s):` URL fetched, a
 * path read from disk (in a browser a path throws a `NoFileSystemError`). Check a path from a file
 * with {@link checkAttachmentPath} first (`resolveAttachment` does).
 * @throws {AttachmentError} when the URL cannot be fetched or the file read
 */
export async function readAttachmentUri(uri: string, access: AttachmentAccess = {}): Promise<Uint8Array> {
  return readUri(uri, access);
}

/** Whether an entry of `allowHosts` (`host`, `host:port` or a URL) names a URL's host. */
function hostAllowed(entries: readonly string[] | undefined, url: URL): boolean {
  return (entries ?? []).some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === "") return false;
    if (entry.includes("://")) {
      try {
        return new URL(entry).origin === url.origin;
      } catch {
        return false;
      }
    }
    const bare = (host: string) => host.replace(/^\[(.*)\]$/, "$1");
    return entry === url.host || bare(entry) === bare(url.hostname);
  });
}

/** What a failed fetch of an attachment URL says, after `cannot fetch attachment URL: `. */
function fetchFailure(uri: string, error: NodeJS.ErrnoException & { url?: string }): string {
  const hop = error.url && error.url !== uri && error.url !== new URL(uri).href ? ` (redirected to ${error.url})` : "";
  if (error.code === "ENOTPUBLIC") {
    const host = error.url ? new URL(error.url).host : new URL(uri).host;
    return `${error.message}${hop}, and a file may not make this program fetch from this machine or its local network: download the file into the aiconfig file's folder and attach it by path, or, if you trust ${host}, allow it with --allow-endpoint ${host} (or the allowHosts option)`;
  }
  if (error.code === "EFBIG") return `${error.message}${hop}: attach a smaller file`;
  return `${error.message}${hop}`;
}

async function readUri(uri: string, access: AttachmentAccess = {}): Promise<Uint8Array> {
  if (uri.startsWith("data:")) {
    const comma = uri.indexOf(",");
    const meta = uri.slice(5, comma);
    const body = uri.slice(comma + 1);
    if (meta.endsWith(";base64")) return decodeBase64(body);
    try {
      return utf8Bytes(decodeURIComponent(body));
    } catch {
      throw new AttachmentError(`cannot read attachment data: URL ${JSON.stringify(uri.slice(0, 80))}: it has a broken %-escape`);
    }
  }
  if (/^https?:/i.test(uri)) {
    try {
      return await fetchAttachment(uri, { trusted: (url) => hostAllowed(access.allowHosts, url) });
    } catch (error) {
      throw new AttachmentError(`cannot fetch attachment ${uri}: ${fetchFailure(uri, error as NodeJS.ErrnoException)}`);
    }
  }
  try {
    return await readFile(uri);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOTREG"
        ? "it is not a regular file (a FIFO, device or folder): attach a file"
        : code === "EFBIG"
          ? "it is larger than 256 MiB, more than an attachment may be: attach a smaller file"
          : (code ?? (error as Error).message);
    throw new AttachmentError(`cannot read attachment file ${uri}: ${why}`);
  }
}
