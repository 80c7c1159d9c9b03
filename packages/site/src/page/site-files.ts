/**
 * The site's notebook names its attachments and stored outputs by paths in
 * the site folder (`aiconfig export --site` copied them there); the page's
 * notebook has no files, so they are read from the site's own origin and
 * inlined as `{kind: "base64", value}` data (plain base64 text, as the
 * format's `base64` kind holds it; the MIME type stays in `mime_type`) when
 * the notebook loads.
 */
import type { AIConfig, Attachment, Output } from "@aiconfig-ts/core";

const URL_OR_DATA = /^(https?|data|blob):/i;

function isLocalFile(data: unknown): data is { kind: "file_uri"; value: string } {
  const d = data as { kind?: unknown; value?: unknown } | null;
  return typeof d === "object" && d !== null && d.kind === "file_uri" && typeof d.value === "string" && !URL_OR_DATA.test(d.value);
}

async function siteFileBase64(path: string, siteRoot: string): Promise<string> {
  const url = new URL(path, siteRoot);
  if (url.origin !== new URL(siteRoot).origin || !url.pathname.startsWith(new URL(siteRoot).pathname))
    throw new Error(`${path} is outside the site's folder`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${path} could not be loaded from the site (${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * A copy of `config` whose local attachments and output files are inlined
 * (their bytes read from the site folder at `siteRoot`, as base64 data).
 * @throws Error naming the path when a file cannot be read or lies outside the site's folder
 */
export async function inlineSiteFiles(config: AIConfig, siteRoot: string): Promise<AIConfig> {
  const out = structuredClone(config);
  for (const p of out.prompts) {
    if (typeof p.input === "object" && p.input !== null && Array.isArray(p.input.attachments)) {
      p.input.attachments = await Promise.all(
        p.input.attachments.map(async (a: Attachment) =>
          isLocalFile(a.data) ? { ...a, data: { kind: "base64", value: await siteFileBase64(a.data.value, siteRoot) } } : a,
        ),
      );
    }
    if (Array.isArray(p.outputs)) {
      p.outputs = await Promise.all(
        p.outputs.map(async (o: Output) =>
          o.output_type === "execute_result" && isLocalFile(o.data)
            ? ({ ...o, data: { kind: "base64", value: await siteFileBase64(o.data.value, siteRoot) } } as Output)
            : o,
        ),
      );
    }
  }
  return out;
}
