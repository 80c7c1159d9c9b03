/**
 * Routes that export the notebook as one self-contained HTML page:
 * `POST /api/export` (the page's document) and `GET /api/export` (the saved
 * one). Secrets are redacted and stored media inlined.
 *
 * @packageDocumentation
 */
import type { AIConfig } from "@aiconfig-ts/core";
import { type Context, Hono } from "hono";
import { exportNotebookHtml, storedFilePaths } from "../export-html.js";
import type { NotebookEnv, NotebookFile } from "../notebook-context.js";
import { redactJSON, writtenSecretValues } from "../redact-secrets.js";
import { exportBody } from "../request-bodies.js";
import type { UiAsset } from "../ui-assets.js";

/** The export routes (mount at the root), inlining the built UI `assets`. */
export function exportRoutes(assets: Map<string, UiAsset> | undefined) {
  async function page(c: Context<NotebookEnv>, config: AIConfig): Promise<Response> {
    const nb = c.var.notebook;
    const files = new Map<string, NotebookFile>();
    if (nb.readFile) {
      for (const path of storedFilePaths(config)) {
        try {
          files.set(path, await nb.readFile(path));
        } catch {
          // not readable: the page shows the path
        }
      }
    }
    const html = exportNotebookHtml(redactJSON(config, [...nb.secrets, ...writtenSecretValues(config)]), {
      fileName: nb.fileName,
      readFile: (path) => files.get(path),
      ...(assets ? { assets } : {}),
    });
    const htmlName = `${nb.fileName.replace(/\.(json|ya?ml)$/i, "")}.html`.replace(/["\\\r\n]/g, "_");
    return c.body(html, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${htmlName}"`,
    });
  }
  return new Hono<NotebookEnv>()
    .post("/api/export", exportBody, (c) => page(c, c.req.valid("json").config))
    .get("/api/export", (c) => page(c, c.var.notebook.runtime.config));
}
