/**
 * Routes that write or serialize the document: `POST /api/save` (checked,
 * then saved by the notebook; 409 when it changed since the page's version)
 * and `POST /api/serialize` (the page's document as JSON or YAML text, for
 * downloads).
 *
 * @packageDocumentation
 */
import { serializeConfig } from "@aiconfig-ts/core";
import { Hono } from "hono";
import type { NotebookEnv } from "../notebook-context.js";
import { refuseWhenReadOnly } from "../notebook-middleware.js";
import { saveBody, serializeBody } from "../request-bodies.js";

/** The saving routes (mount at the root). */
export const saveRoutes = new Hono<NotebookEnv>()
  .post("/api/save", refuseWhenReadOnly, saveBody, async (c) => {
    const { config, baseVersion, force } = c.req.valid("json");
    const result = await c.var.notebook.save(config, { baseVersion, force: force === true });
    return c.json({ version: result.version, ...(result.warnings?.length ? { warnings: result.warnings } : {}) });
  })
  .post("/api/serialize", serializeBody, (c) => {
    const { config, format } = c.req.valid("json");
    return c.body(serializeConfig(config, format), 200, {
      "Content-Type": format === "json" ? "application/json" : "application/yaml; charset=utf-8",
    });
  });
