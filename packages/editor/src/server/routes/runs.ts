/**
 * Routes that run prompts: `POST /api/runs` (starts a run of the page's
 * document on a runtime of its own), `GET /api/runs/:id/events` (its events
 * as server-sent events) and `POST /api/runs/:id/cancel`.
 *
 * @packageDocumentation
 */
import { Hono } from "hono";
import { type NotebookEnv, notebookError } from "../notebook-context.js";
import { refuseWhenReadOnly } from "../notebook-middleware.js";
import { writtenSecretValues } from "../redact-secrets.js";
import { cancelBody, runBody } from "../request-bodies.js";
import type { RunMode } from "../run-session.js";

/** The running routes (mount at the root). */
export const runRoutes = new Hono<NotebookEnv>()
  .post("/api/runs", refuseWhenReadOnly, runBody, async (c) => {
    const body = c.req.valid("json");
    const nb = c.var.notebook;
    const what: RunMode =
      body.mode === "all" ? { mode: "all", continueOnError: body.continueOnError === true } : { mode: body.mode, prompt: body.prompt! };
    const secrets = [...nb.secrets, ...writtenSecretValues(body.config)];
    const session = nb.runs.start(await nb.runtimeFor(body.config), what, secrets, nb.storeOutputs?.bind(nb));
    return c.json({ runId: session.id });
  })
  .get("/api/runs/:id/events", (c) => {
    const session = c.var.notebook.runs.get(c.req.param("id"));
    if (!session) throw notebookError(404, "no such run (it may have finished more than a minute ago)");
    return session.sse(c);
  })
  .post("/api/runs/:id/cancel", cancelBody, (c) => {
    const session = c.var.notebook.runs.get(c.req.param("id"));
    if (!session) throw notebookError(404, "no such run");
    session.cancel(c.req.valid("json").prompt);
    return c.json({ ok: true });
  });
