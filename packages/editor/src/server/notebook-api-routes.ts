/**
 * The notebook's routes composed from the sub-apps of `routes/*`, with no
 * `node:` import reachable: what `createNotebookRoutes()` (Node: the built UI
 * read from disk, HTML export) builds on, and what a page answering the
 * notebook's API in the browser (`@aiconfig-ts/editor/routes`) mounts as it is.
 *
 * @packageDocumentation
 */
import { Hono } from "hono";
import { type NotebookEnv, notebookError } from "./notebook-context.js";
import { notebookErrorHandler } from "./notebook-middleware.js";
import { fileRoutes } from "./routes/files.js";
import { runRoutes } from "./routes/runs.js";
import { saveRoutes } from "./routes/save.js";
import { stateRoutes } from "./routes/state.js";
import type { UiAsset } from "./ui-assets.js";

/** Options of {@link createNotebookApiRoutes}. */
export interface NotebookApiRoutesOptions {
  /** The built UI served at `/` and `/assets/*`; absent: the API only (other paths answer 404). */
  assets?: Map<string, UiAsset>;
  /**
   * The routes of `POST`/`GET /api/export` (an HTML page of the notebook), which need the built UI and
   * a SHA-256 for the page's CSP; absent: `/api/export` answers 404 with one line.
   */
  exportRoutes?: Hono<NotebookEnv>;
}

/**
 * The notebook's API under `/api/` (state, save, runs, files, and export when given) and, with
 * `assets`, the web UI at `/`. The mounting app must set `c.var.notebook` (see `provideNotebook`)
 * before them. Errors answer as one-line JSON (`{error}`), never a stack trace. Runs in Node and in
 * a browser (a hono app's `app.fetch` is a web-standard `(Request) => Promise<Response>`).
 */
export function createNotebookApiRoutes(options: NotebookApiRoutesOptions = {}): Hono<NotebookEnv> {
  const { assets } = options;
  const app = new Hono<NotebookEnv>();
  app.onError(notebookErrorHandler);
  app.route("/", stateRoutes);
  app.route("/", saveRoutes);
  app.route("/", runRoutes);
  app.route("/", fileRoutes);
  if (options.exportRoutes) app.route("/", options.exportRoutes);
  else
    app.all("/api/export", () => {
      throw notebookError(404, "this notebook cannot export HTML here: download the aiconfig instead");
    });
  app.get("*", (c) => {
    if (!assets) return c.json({ error: "this server has no web UI" }, 404);
    // paths relative to where the routes are mounted: `.../` is the page, `.../assets/NAME` its files
    const path = c.req.path.endsWith("/") ? "/index.html" : /\/assets\/[^/]+$/.exec(c.req.path)?.[0];
    const asset = path && !c.req.path.includes("/api/") ? assets.get(path) : undefined;
    if (!asset) return c.json({ error: `not found: ${c.req.path}` }, 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.type,
      "Cache-Control": path!.startsWith("/assets/") ? "no-cache" : "no-store",
    });
  });
  return app;
}
