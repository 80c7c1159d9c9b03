/**
 * The site's notebook names its attachments and stored outputs by paths in
 * the site folder (`aiconfig export --site` copied them there); the page's
 * notebook has no files, so they are read from the site's own origin and
 * inlined as base64 `data:` URLs when the notebook loads.
 */
import type { AIConfig, Attachment, Output } from "@aiconfig-ts/core";

const URL_OR_DATA = /^(https?|data|blob):/i;

function isLocalFile(data: unknown): data is { kind: "file_uri"; value: string } {
  const d = data as { kind?: unknown; value?: unknown } | null;
  return typeof d === "object" && d !== null && d.kind === "file_uri" && typeof d.value === "string" && !URL_OR_DATA.test(d.value);
}

async function dataUrl(path: string, siteRoot: string, mime: string | undefined): Promise<string> {
  const url = new URL(path, siteRoot);
  if (url.origin !== new URL(siteRoot).origin || !url.pathname.startsWith(new URL(siteRoot).pathname))
    throw new Error(`${path} is outside the site's folder`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${path} could not be loaded from the site (${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const type = mime ?? res.headers.get("content-type")?.split(";")[0] ?? "application/octet-stream";
  return `data:${type};base64,${btoa(s)}`;
}

/**
 * A copy of `config` whose local attachments and output files are inlined
 * (base64 `data:` URLs read from the site folder at `siteRoot`).
 * @throws Error naming the path when a file cannot be read or lies outside the site's folder
 */
export async function inlineSiteFiles(config: AIConfig, siteRoot: string): Promise<AIConfig> {
  const out = structuredClone(config);
  for (const p of out.prompts) {
    if (typeof p.input === "object" && p.input !== null && Array.isArray(p.input.attachments)) {
      p.input.attachments = await Promise.all(
        p.input.attachments.map(async (a: Attachment) =>
          isLocalFile(a.data) ? { ...a, data: { kind: "base64", value: await dataUrl(a.data.value, siteRoot, a.mime_type) } } : a,
        ),
      );
    }
    if (Array.isArray(p.outputs)) {
      p.outputs = await Promise.all(
        p.outputs.map(async (o: Output) =>
          o.output_type === "execute_result" && isLocalFile(o.data)
            ? ({ ...o, data: { kind: "base64", value: await dataUrl(o.data.value, siteRoot, o.mime_type) } } as Output)
            : o,
        ),
      );
    }
  }
  return out;
}
