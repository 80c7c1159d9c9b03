/**
 * Share with no server: the notebook (without keys) compressed with the
 * browser's `CompressionStream` (deflate) into the URL fragment (`#share=...`),
 * which browsers never send to the host. Notebooks whose link would pass
 * {@link SHARE_LINK_LIMIT} are shared by download instead.
 */
import type { AIConfig } from "@aiconfig-ts/core";

/** Longest `#share=` fragment the page makes, in characters (32,000: links this long still open in every current browser and survive most chat apps). */
export const SHARE_LINK_LIMIT = 32_000;
/** Largest notebook a share link may expand to, in bytes (a link is untrusted input: no decompression bomb). */
export const SHARE_MAX_BYTES = 8_000_000;
const PARAM = "share=";

/** A share link that cannot be read (cut, altered, or too large). */
export class ShareLinkError extends Error {
  override name = "ShareLinkError";
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, max: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ShareLinkError(`the shared notebook is larger than ${max / 1_000_000} MB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError("the share link is not valid (it was cut or altered)");
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The `#share=...` fragment of a notebook (no check of its length: see {@link shareLink}). */
export async function shareFragment(config: AIConfig): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(config));
  return `#${PARAM}${toBase64Url(await pipe(json, new CompressionStream("deflate"), Number.POSITIVE_INFINITY))}`;
}

/**
 * A link to the site (`siteUrl`, without its fragment) that opens `config`
 * read-only, or `undefined` with the link's length when it would pass {@link SHARE_LINK_LIMIT}.
 */
export async function shareLink(siteUrl: string, config: AIConfig): Promise<{ url?: string; length: number }> {
  const fragment = await shareFragment(config);
  const base = siteUrl.replace(/#.*$/, "");
  return fragment.length > SHARE_LINK_LIMIT ? { length: fragment.length } : { url: base + fragment, length: fragment.length };
}

/** Whether a URL fragment (`location.hash`) holds a shared notebook. */
export function isShareFragment(hash: string): boolean {
  return hash.startsWith(`#${PARAM}`);
}

/**
 * The document in a `#share=...` fragment, parsed but not yet checked against the schema.
 * @throws {ShareLinkError} when the fragment cannot be read or expands past {@link SHARE_MAX_BYTES}
 */
export async function readShareFragment(hash: string): Promise<unknown> {
  if (!isShareFragment(hash)) throw new ShareLinkError("the link holds no shared notebook");
  let bytes: Uint8Array;
  try {
    bytes = await pipe(fromBase64Url(hash.slice(PARAM.length + 1)), new DecompressionStream("deflate"), SHARE_MAX_BYTES);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError("the share link is not valid (it was cut or altered)");
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ShareLinkError("the share link is not valid (its notebook is not JSON)");
  }
}
