/**
 * Exporting a notebook as one self-contained HTML page: the built UI's script
 * and styles inlined, the document embedded as JSON and shown read-only, and
 * media stored as files under the config's folder inlined as base64. The page
 * loads nothing from anywhere.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AIConfig, Attachment, Output, Prompt } from "@aiconfig-ts/core";
import type { EditorState } from "../api-types.js";
import { type UiAsset, loadUiAssets } from "./ui-assets.js";
import { mediaFileUnder } from "./workspace-files.js";

/** Options of {@link exportNotebookHtml}. */
export interface ExportOptions {
  /** Folder of the aiconfig file, for media stored as relative `file_uri`s (inlined when readable). */
  configDir?: string;
  /**
   * Reads a media file named by a relative `file_uri` (instead of `configDir`):
   * its bytes and MIME type, or `undefined` when it cannot be inlined.
   */
  readFile?: (path: string) => { body: Uint8Array; type: string } | undefined;
  /** The file's name, shown in the page. Default: the config's name. */
  fileName?: string;
  /** The built UI (default: this package's `dist/ui`). */
  assets?: Map<string, UiAsset>;
}

type ReadFile = NonNullable<ExportOptions["readFile"]>;

/** A reader of media files under a folder (`undefined` for a file it will not read). */
export function folderReader(configDir: string): ReadFile {
  return (path) => {
    try {
      const file = mediaFileUnder(configDir, path);
      return { body: readFileSync(file.path), type: file.type };
    } catch {
      return undefined;
    }
  };
}

/** The relative `file_uri`s of a document's attachments and outputs (what an export inlines). */
export function storedFilePaths(config: AIConfig): string[] {
  const paths = new Set<string>();
  const add = (data: unknown) => {
    const d = data as { kind?: unknown; value?: unknown } | null;
    if (typeof d === "object" && d !== null && d.kind === "file_uri" && typeof d.value === "string" && !/^(https?|data):/i.test(d.value))
      paths.add(d.value);
  };
  for (const p of config.prompts) {
    if (typeof p.input === "object" && p.input !== null && Array.isArray(p.input.attachments))
      for (const a of p.input.attachments) add(a.data);
    for (const o of p.outputs ?? []) if (o.output_type === "execute_result") add(o.data);
  }
  return [...paths];
}

function inlineStored(data: unknown, mime: string | undefined, readFile: ReadFile | undefined): unknown {
  if (!readFile || typeof data !== "object" || data === null) return data;
  const d = data as { kind?: unknown; value?: unknown };
  if (d.kind !== "file_uri" || typeof d.value !== "string" || /^(https?|data):/i.test(d.value)) return data;
  const file = readFile(d.value);
  if (!file) return data;
  const type = mime ?? file.type.split(";")[0];
  return { kind: "base64", value: `data:${type};base64,${Buffer.from(file.body).toString("base64")}` };
}

function inlinePrompt(p: Prompt, readFile: ReadFile | undefined): Prompt {
  const out: Prompt = { ...p };
  if (typeof p.input === "object" && p.input !== null && Array.isArray(p.input.attachments)) {
    out.input = {
      ...p.input,
      attachments: p.input.attachments.map((a: Attachment) => ({ ...a, data: inlineStored(a.data, a.mime_type, readFile) }) as Attachment),
    };
  }
  if (Array.isArray(p.outputs)) {
    out.outputs = p.outputs.map((o: Output) =>
      o.output_type === "execute_result" ? ({ ...o, data: inlineStored(o.data, o.mime_type, readFile) } as Output) : o,
    );
  }
  return out;
}

/**
 * The Content-Security-Policy of an exported page: its one inline script (by
 * hash) and inline styles; images and media only from inline data; no
 * connection, frame, form or base URL anywhere. Remote media in outputs are
 * shown as links (the UI does so in a static page), and this stops a bug from
 * loading them.
 */
export function exportCsp(script: string): string {
  const hash = createHash("sha256").update(script, "utf8").digest("base64");
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "media-src data: blob:",
    "font-src data:",
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The notebook as one HTML page with its outputs, viewable offline.
 * @throws {UiNotBuiltError} when the UI is not built
 */
export function exportNotebookHtml(config: AIConfig, options: ExportOptions = {}): string {
  const assets = options.assets ?? loadUiAssets();
  const js = assets.get("/assets/app.js");
  const css = assets.get("/assets/index.css");
  const readFile = options.readFile ?? (options.configDir ? folderReader(options.configDir) : undefined);
  const doc: AIConfig = { ...config, prompts: config.prompts.map((p) => inlinePrompt(p, readFile)) };
  const state: EditorState = {
    config: doc,
    fileName: options.fileName ?? config.name ?? "aiconfig",
    format: "json",
    version: "",
    readOnly: true,
    providers: [],
    models: [],
  };
  const script = js
    ? Buffer.from(js.body)
        .toString("utf8")
        .replace(/<\/(script)/gi, "<\\/$1")
    : "";
  const style = css
    ? Buffer.from(css.body)
        .toString("utf8")
        .replace(/<\/(style)/gi, "<\\/$1")
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="aiconfig-ts AI Workbook">
<meta http-equiv="Content-Security-Policy" content="${exportCsp(script)}">
<title>${escapeHtml(config.name || state.fileName)}</title>
<style>${style}</style>
</head>
<body>
<div id="root"><noscript>This page shows an AIConfig notebook; it needs JavaScript.</noscript></div>
<script type="application/json" id="aiconfig-static-state">${scriptJson(state)}</script>
<script type="module">${script}</script>
</body>
</html>
`;
}
