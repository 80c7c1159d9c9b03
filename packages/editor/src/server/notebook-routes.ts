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
import { Hono, type MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { NotebookEnv } from "./notebook-context.js";
import { notebookErrorHandler } from "./notebook-middleware.js";
import { exportRoutes } from "./routes/export.js";
import { fileRoutes } from "./routes/files.js";
import { runRoutes } from "./routes/runs.js";
import { saveRoutes } from "./routes/save.js";
import { stateRoutes } from "./routes/state.js";
import { type UiAsset, loadUiAssets } from "./ui-assets.js";

/** Options of {@link createNotebookRoutes}. */
export interface NotebookRoutesOptions {
  /** The built UI (default: this package's `dist/ui`); `null` serves the API only. */
  assets?: Map<string, UiAsset> | null;
}

/**
 * The notebook's routes: the API under `/api/` and the web UI at `/`. The
 * mounting app must set `c.var.notebook` (see `provideNotebook`) before them.
 * Errors answer as one-line JSON (`{error}`), never a stack trace.
 * @throws {UiNotBuiltError} when the UI is not built and `assets` is not `null`
 */
export function createNotebookRoutes(options: NotebookRoutesOptions = {}): Hono<NotebookEnv> {
  const assets = options.assets === null ? undefined : (options.assets ?? loadUiAssets());
  const app = new Hono<NotebookEnv>();
  app.onError(notebookErrorHandler);
  app.route("/", stateRoutes);
  app.route("/", saveRoutes);
  app.route("/", runRoutes);
  app.route("/", fileRoutes);
  app.route("/", exportRoutes(assets));
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

/** Options of {@link notebookSecureHeaders}. */
export interface NotebookSecurityOptions {
  /**
   * Origins allowed to show the notebook in a frame (CSP `frame-ancestors`),
   * e.g. `["https://site.example"]`. Default: only the notebook's own origin.
   */
  frameAncestors?: readonly string[];
  /** Send `Strict-Transport-Security` (only meaningful behind https). Default `false`. */
  strictTransportSecurity?: boolean;
}

/**
 * Security headers of the notebook (hono's `secureHeaders` with explicit
 * options): a strict Content-Security-Policy (scripts, styles and connections
 * only from the notebook itself, so even a rendering bug cannot run injected
 * script or send data elsewhere; images and media may also be inline data or
 * remote URLs that outputs name), framing only by `frameAncestors`,
 * `nosniff`, no referrer, and `Cache-Control: no-store` unless a route says
 * otherwise. A header a route set itself (the sandbox CSP of `/api/files`) is kept.
 */
export function notebookSecureHeaders(options: NotebookSecurityOptions = {}): MiddlewareHandler {
  const ancestors = options.frameAncestors?.length ? ["'self'", ...options.frameAncestors] : ["'self'"];
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:", "https:", "http:"],
      mediaSrc: ["'self'", "data:", "blob:", "https:", "http:"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ancestors,
    },
    // frame-ancestors says who may frame; X-Frame-Options only for browsers without CSP, when embedding is off
    xFrameOptions: options.frameAncestors?.length ? false : "SAMEORIGIN",
    referrerPolicy: "no-referrer",
    xContentTypeOptions: true,
    crossOriginResourcePolicy: "same-origin",
    crossOriginOpenerPolicy: options.frameAncestors?.length ? false : "same-origin",
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: options.strictTransportSecurity === true,
    overwrite: false,
  });
  return async (c, next) => {
    await headers(c, async () => {
      await next();
      if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
    });
  };
}
