/**
 * Routes that read the notebook: `GET /api/health`, `GET /api/state` (what
 * the page starts from), `GET /api/disk` (the saved document read again) and
 * `POST /api/models` (which provider serves each model name).
 *
 * @packageDocumentation
 */
import { Hono } from "hono";
import type { EditorState } from "../../api-types.js";
import { modelInfos, providerInfos } from "../model-catalog.js";
import { type NotebookEnv, notebookError } from "../notebook-context.js";
import { redactJSON, writtenSecretValues } from "../redact-secrets.js";
import { modelsBody } from "../request-bodies.js";

/** The reading routes (mount at the root: paths start with `/api/`). */
export const stateRoutes = new Hono<NotebookEnv>()
  .get("/api/health", (c) => c.json({ ok: true }))
  .get("/api/state", async (c) => {
    const nb = c.var.notebook;
    const warning = await nb.refresh?.();
    const config = nb.runtime.config;
    const state: EditorState = {
      // a read-only view never shows a key written in the file (an editable one must keep it, or saving would lose it)
      config: nb.readOnly ? redactJSON(config, writtenSecretValues(config)) : config,
      fileName: nb.fileName,
      format: nb.format,
      version: nb.version(),
      readOnly: nb.readOnly,
      providers: providerInfos(nb.runtime.registry, (name) => nb.hasCredential?.(name) === true),
      models: modelInfos(nb.runtime.registry, nb.runtime.config),
      ...(warning ? { warning } : {}),
    };
    return c.json(state);
  })
  .get("/api/disk", async (c) => {
    const nb = c.var.notebook;
    if (!nb.reload) throw notebookError(404, "this notebook has no file to reload");
    const { config, version } = await nb.reload();
    return c.json({ config: nb.readOnly ? redactJSON(config, writtenSecretValues(config)) : config, version });
  })
  .post("/api/models", modelsBody, (c) => {
    const { models, modelParsers } = c.req.valid("json");
    const registry = c.var.notebook.runtime.registry;
    const out: Record<string, string | null> = {};
    for (const m of models) out[m] = registry.find(m, modelParsers)?.id ?? null;
    return c.json(out);
  });
