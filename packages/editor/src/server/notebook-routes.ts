/**
 * The notebook's HTTP API and web UI as one Hono app made of sub-apps
 * (`routes/*`), each reading its notebook from `c.var.notebook`: the editor
 * mounts it over one file, the hosted notebook over each visitor's session.
 *
 * ```ts
 * const app = new Hono<NotebookEnv>();
 * app.use("*", notebookSecureHeaders(), provideNotebook((c) => sessionOf(c)));
 * app.route("/", createNotebookRoutes({ assets: loadUiAssets() }));
 * ```
 *
 * Routes (the page's API is described in `../api-types.ts`):
 * - `GET /api/health`, `GET /api/state`, `GET /api/disk`, `POST /api/models` (`routes/state.ts`)
 * - `POST /api/save`, `POST /api/serialize` (`routes/save.ts`)
 * - `POST /api/runs`, `GET /api/runs/:id/events` (SSE), `POST /api/runs/:id/cancel` (`routes/runs.ts`)
 * - `POST /api/attachments`, `GET /api/files?path=` (`routes/files.ts`)
 * - `POST /api/export`, `GET /api/export` (`routes/export.ts`)
 * - `GET /` and `/assets/*`: the web UI
 *
 * It does not check who is calling: the mounting app does (the editor's
 * token, the hosted notebook's session cookie and CSRF check).
 *
 * @packageDocumentation
 */
import type { Hono } from "hono";
import { createNotebookApiRoutes } from "./notebook-api-routes.js";
import type { NotebookEnv } from "./notebook-context.js";
import { exportRoutes } from "./routes/export.js";
import { type UiAsset, loadUiAssets } from "./ui-assets.js";

export { type NotebookSecurityOptions, notebookSecureHeaders } from "./notebook-secure-headers.js";

/** Options of {@link createNotebookRoutes}. */
export interface NotebookRoutesOptions {
  /** The built UI (default: this package's `dist/ui`); `null` serves the API only. */
  assets?: Map<string, UiAsset> | null;
}

/**
 * The notebook's routes in Node: the API under `/api/` (HTML export included) and the web UI at `/`
 * (see `createNotebookApiRoutes`, which this adds the UI read from disk and the export to).
 * The mounting app must set `c.var.notebook` (see `provideNotebook`) before them.
 * Errors answer as one-line JSON (`{error}`), never a stack trace.
 * @throws {UiNotBuiltError} when the UI is not built and `assets` is not `null`
 */
export function createNotebookRoutes(options: NotebookRoutesOptions = {}): Hono<NotebookEnv> {
  const assets = options.assets === null ? undefined : (options.assets ?? loadUiAssets());
  return createNotebookApiRoutes({ ...(assets ? { assets } : {}), exportRoutes: exportRoutes(assets) });
}
