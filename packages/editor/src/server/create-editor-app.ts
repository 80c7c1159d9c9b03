/**
 * The editor's server as a function of a runtime: the notebook's routes
 * (`notebook-routes.ts`) over one aiconfig file (`file-notebook.ts`), behind
 * the editor's token and Host/Origin check (`auth.ts`), security headers and
 * a body size limit. `startEditor` listens with it; another app can mount it.
 *
 * @packageDocumentation
 */
import type { AIConfigRuntime } from "@aiconfig-ts/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { OutputFilesMode } from "./large-outputs.js";
import { type HostPolicy, guard } from "./auth.js";
import { fileNotebook } from "./file-notebook.js";
import type { NotebookEnv } from "./notebook-context.js";
import { notebookErrorHandler, provideNotebook } from "./notebook-middleware.js";
import { createNotebookRoutes, notebookSecureHeaders } from "./notebook-routes.js";
import type { RunSession } from "./run-session.js";
import type { UiAsset } from "./ui-assets.js";

/** Options of {@link createEditorApp}. */
export interface EditorAppOptions {
  /** The token every request must carry (see `auth.ts`). */
  token: string;
  /** The aiconfig file the editor reads and writes. Default: the runtime's `filePath`. */
  file?: string;
  /** Serve without editing, saving or running. Default `false`. */
  readOnly?: boolean;
  /**
   * Which Host and Origin headers are accepted; a function is read on each
   * request. Default: loopback names on any port (`127.0.0.1`, `localhost`, `[::1]`).
   */
  hostPolicy?: HostPolicy | (() => HostPolicy);
  /**
   * Binary outputs as files beside the aiconfig file (`STEM.outputs/`, as the
   * CLI's `--output-files`): always (`true`), never (`false`), or when larger
   * than 256 KiB (`"large"`, the default).
   */
  outputFiles?: OutputFilesMode;
  /** Whether undefined parameters are errors when running. Default `true`. */
  strict?: boolean;
  /** Environment for providers (default: `process.env` over the `.env` beside the file). */
  env?: Record<string, string | undefined>;
  /** The built UI (default: this package's `dist/ui`); `null` serves the API only. */
  assets?: Map<string, UiAsset> | null;
  /** Largest request body, in bytes (attachments come as base64). Default 64 MiB. */
  maxBodyBytes?: number;
}

/** The Hono app with the editor's routes (serve it with `app.fetch`, or mount it with `route`), plus its runs. */
export type EditorApp = Hono<NotebookEnv> & {
  /** Cancels every run in progress. */
  cancelAll(): void;
  /** The runs in progress or kept for a minute after they end (by id). */
  runs: ReadonlyMap<string, RunSession>;
};

const LOOPBACK: HostPolicy = {
  hosts: {
    has: (h: string) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(h),
  } as unknown as ReadonlySet<string>,
};

/**
 * Creates the editor's Hono app (with `cancelAll()` and `runs`) for a runtime loaded from (or to be saved to) a file.
 *
 * Runs use a new runtime per request, on the document the page sends (so
 * unsaved edits run), with this runtime's registry and file path (for
 * attachments and `.env`). Saving validates the document, refuses a file that
 * changed on disk since the page's version (unless forced), writes atomically,
 * and sets `runtime.config` to the saved document.
 *
 * @throws {UiNotBuiltError} when the UI is not built and `assets` is not `null`
 * @throws {Error} when neither `options.file` nor `runtime.filePath` names the file
 */
export function createEditorApp(runtime: AIConfigRuntime, options: EditorAppOptions): EditorApp {
  const notebook = fileNotebook(runtime, {
    ...(options.file !== undefined ? { file: options.file } : {}),
    readOnly: options.readOnly === true,
    outputFiles: options.outputFiles ?? "large",
    strict: options.strict !== false,
    ...(options.env ? { env: options.env } : {}),
  });
  const policy =
    typeof options.hostPolicy === "function" ? options.hostPolicy : () => (options.hostPolicy as HostPolicy | undefined) ?? LOOPBACK;
  const app = new Hono<NotebookEnv>();
  app.onError(notebookErrorHandler);
  app.use("*", notebookSecureHeaders());
  app.use("*", guard(options.token, policy));
  app.use(
    "/api/*",
    bodyLimit({ maxSize: options.maxBodyBytes ?? 64 * 1024 * 1024, onError: (c) => c.json({ error: "the request is too large" }, 413) }),
  );
  app.use("*", provideNotebook(notebook));
  app.route("/", createNotebookRoutes({ assets: options.assets === null ? null : (options.assets ?? undefined) }));
  return Object.assign(app, {
    runs: notebook.runs.sessions,
    cancelAll: () => notebook.runs.cancelAll(),
  });
}
