/**
 * Routes for the notebook's files: `POST /api/attachments` (stores a file
 * picked in the page) and `GET /api/files?path=` (an attachment or output
 * file, served sandboxed).
 *
 * @packageDocumentation
 */
import { decodeBase64 } from "@aiconfig-ts/core";
import { Hono } from "hono";
import { type NotebookEnv, notebookError } from "../notebook-context.js";
import { refuseWhenReadOnly } from "../notebook-middleware.js";
import { attachmentBody } from "../request-bodies.js";

/** The file routes (mount at the root). */
export const fileRoutes = new Hono<NotebookEnv>()
  .post("/api/attachments", refuseWhenReadOnly, attachmentBody, async (c) => {
    const nb = c.var.notebook;
    if (!nb.writeAttachment) throw notebookError(404, "this notebook stores attachments inline: choose base64");
    const { name, mimeType, base64 } = c.req.valid("json");
    const fileUri = await nb.writeAttachment(name, mimeType, decodeBase64(base64));
    return c.json({ file_uri: fileUri });
  })
  .get("/api/files", async (c) => {
    const nb = c.var.notebook;
    if (!nb.readFile) throw notebookError(404, "this notebook has no files");
    const file = await nb.readFile(c.req.query("path") ?? "");
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.type,
      "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
      "Cache-Control": "no-cache",
    });
  });
