/**
 * Resolving prompt attachments: where their bytes are and how to read them.
 *
 * @packageDocumentation
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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
export function resolveAttachment(attachment: Attachment, configDir: string | undefined): ResolvedAttachment {
  const mimeType = attachment.mime_type || "text/plain";
  const data = attachment.data;
  let uri: string | undefined;
  let inline: Uint8Array | undefined;
  if (isStoredData(data)) {
    if (data.kind === "base64") inline = Buffer.from(data.value, "base64");
    else uri = toUri(data.value, configDir);
  } else if (typeof data === "string" && (URL_RE.test(data) || !mimeType.startsWith("text/"))) {
    uri = toUri(data, configDir);
  } else {
    inline = Buffer.from(typeof data === "string" ? data : JSON.stringify(data), "utf8");
  }
  return {
    attachment,
    mimeType,
    uri,
    bytes: async () => {
      if (inline) return inline;
      return readUri(uri!);
    },
  };
}

function toUri(value: string, configDir: string | undefined): string {
  if (URL_RE.test(value)) return value;
  if (value.startsWith("file:")) return fileURLToPath(value);
  return isAbsolute(value) || !configDir ? value : resolve(configDir, value);
}

async function readUri(uri: string): Promise<Uint8Array> {
  if (uri.startsWith("data:")) {
    const comma = uri.indexOf(",");
    const meta = uri.slice(5, comma);
    const body = uri.slice(comma + 1);
    return meta.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
  }
  if (/^https?:/i.test(uri)) {
    let response: Response;
    try {
      response = await fetch(uri);
    } catch (error) {
      throw new AttachmentError(`cannot fetch attachment ${uri}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new AttachmentError(`cannot fetch attachment ${uri}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  try {
    return await readFile(uri);
  } catch (error) {
    throw new AttachmentError(`cannot read attachment file ${uri}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
