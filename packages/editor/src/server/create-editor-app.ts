/**
 * The editor's server as a function of a runtime: a Hono app serving the
 * built web UI and the JSON/SSE API the page uses (see `../api-types.ts`).
 * `startEditor` listens with it; another app can mount it.
 *
 * Routes (all need the token, see `auth.ts`):
 * - `GET /` and `/assets/*`: the web UI
 * - `GET /api/state`: the document, file name, version, providers, models
 * - `GET /api/disk`: the file as it is on disk now (reload)
 * - `POST /api/save`: atomic save; 409 when the file changed on disk since `baseVersion`
 * - `POST /api/models`: which provider serves each model name
 * - `POST /api/runs`, `GET /api/runs/:id/events` (SSE), `POST /api/runs/:id/cancel`
 * - `POST /api/attachments`: writes a picked file under the config's folder
 * - `GET /api/files?path=`: a media file under the config's folder
 * - `POST /api/serialize`: the document as JSON or YAML text (downloads)
 * - `POST /api/export`, `GET /api/export`: the self-contained HTML page
 * - `GET /api/health`
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import {
  type AIConfig,
  AIConfigRuntime,
  type ProviderRegistry,
  formatForPath,
  formatProblem,
  loadEnvironment,
  readConfigFile,
  serializeConfig,
  validateConfig,
  validateSettings,
  writeFileAtomic,
} from "@aiconfig-ts/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import type { AttachmentUpload, EditorState, ModelInfo, ProviderInfo, RunRequest, SaveRequest } from "../api-types.js";
import { type HostPolicy, guard } from "./auth.js";
import { exportNotebookHtml } from "./export-html.js";
import { diskVersion, versionOf } from "./file-version.js";
import { redactJSON, secretValues } from "./redact-secrets.js";
import { modelsRegisteredByModules } from "./load-providers-module.js";
import { RunSession } from "./run-session.js";
import { type UiAsset, loadUiAssets } from "./ui-assets.js";
import { editedConfigProblems } from "./validate-edited-config.js";
import { WorkspacePathError, mediaFileUnder, writeAttachment } from "./workspace-files.js";

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
  /** Write binary outputs to files beside the aiconfig file instead of base64. Default `false`. */
  outputFiles?: boolean;
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
export type EditorApp = Hono & {
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
 * Content-Security-Policy of the page: scripts and connections only from the
 * editor itself (so even a rendering bug cannot run injected script or send
 * data elsewhere); images and media may also be inline data or remote URLs
 * that outputs name.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; media-src 'self' data: blob: https: http:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** Model names commonly used with the built-in providers; offered when a registered provider serves them. */
const WELL_KNOWN_MODELS = [
  "stories260K",
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4",
  "gpt-3.5-turbo",
  "o3-mini",
  "dall-e-3",
  "tts-1",
  "whisper-1",
  "claude-sonnet-4-5",
  "claude-3-5-haiku-latest",
  "claude-3-5-sonnet-latest",
  "gemini-2.0-flash",
  "gemini-1.5-pro",
  "gemini-pro",
];

function providerInfos(registry: ProviderRegistry): ProviderInfo[] {
  return registry.list().map((p) => ({
    id: p.id,
    ...(p.description ? { description: p.description } : {}),
    ...(p.chat !== undefined ? { chat: p.chat } : {}),
    ...(p.settingsSchema ? { settingsSchema: p.settingsSchema } : {}),
  }));
}

function modelInfos(registry: ProviderRegistry, config: AIConfig): ModelInfo[] {
  const names = new Set<string>(WELL_KNOWN_MODELS);
  const listed = (registry as unknown as { modelNames?: () => string[] }).modelNames?.();
  for (const n of listed ?? []) names.add(n);
  for (const n of modelsRegisteredByModules(registry)) names.add(n);
  for (const n of Object.keys(config.metadata?.models ?? {})) names.add(n);
  for (const p of config.prompts ?? []) {
    const m = p.metadata?.model;
    const n = typeof m === "string" ? m : m?.name;
    if (n) names.add(n);
  }
  const out: ModelInfo[] = [];
  for (const name of names) {
    const provider = registry.find(name, config.metadata?.model_parsers);
    if (provider) out.push({ name, provider: provider.id });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

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
  const file = resolve(options.file ?? runtime.filePath ?? "");
  if (!options.file && !runtime.filePath)
    throw new Error("createEditorApp needs the aiconfig file: pass options.file or a runtime loaded from a file");
  const dir = dirname(file);
  const format = formatForPath(file);
  const readOnly = options.readOnly === true;
  const assets = options.assets === null ? undefined : (options.assets ?? loadUiAssets());
  const policy =
    typeof options.hostPolicy === "function" ? options.hostPolicy : () => (options.hostPolicy as HostPolicy | undefined) ?? LOOPBACK;
  const secrets = secretValues(options.env ?? loadEnvironment(dir));
  const runs = new Map<string, RunSession>();
  const runningPrompts = new Map<string, string>();
  let loadedVersion = diskVersion(file);

  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "SAMEORIGIN");
    c.header("Cache-Control", c.res.headers.get("Cache-Control") ?? "no-store");
  });
  app.use("*", guard(options.token, policy));
  app.use(
    "/api/*",
    bodyLimit({ maxSize: options.maxBodyBytes ?? 64 * 1024 * 1024, onError: (c) => c.json({ error: "the request is too large" }, 413) }),
  );

  const refuseIfReadOnly = () => (readOnly ? { error: "this notebook is read-only (the editor was started with --read-only)" } : undefined);

  async function jsonBody<T>(c: { req: { json(): Promise<unknown> } }): Promise<T | undefined> {
    try {
      return (await c.req.json()) as T;
    } catch {
      return undefined;
    }
  }

  // ---- state ----
  app.get("/api/health", (c) => c.json({ ok: true }));
  app.get("/api/state", (c) => {
    const state: EditorState = {
      config: runtime.config,
      fileName: basename(file),
      format,
      version: loadedVersion,
      readOnly,
      providers: providerInfos(runtime.registry),
      models: modelInfos(runtime.registry, runtime.config),
    };
    return c.json(state);
  });
  app.get("/api/disk", (c) => {
    try {
      const text = readFileSync(file);
      const doc = readConfigFile(file);
      const problems = validateConfig(doc.data, doc, file);
      if (problems.length > 0)
        return c.json(
          {
            error: `${basename(file)} on disk is not a valid aiconfig: ${formatProblem(problems[0]!)}`,
            problems: problems.map(formatProblem),
          },
          422,
        );
      runtime.config = doc.data as AIConfig;
      loadedVersion = versionOf(text);
      return c.json({ config: runtime.config, version: loadedVersion });
    } catch (e) {
      return c.json({ error: e instanceof Error ? e.message.split("\n")[0] : String(e) }, 422);
    }
  });
  app.post("/api/models", async (c) => {
    const body = await jsonBody<{ models?: unknown; model_parsers?: unknown }>(c);
    if (!body || !Array.isArray(body.models)) return c.json({ error: "expected {models: [names], model_parsers}" }, 400);
    const parsers = (typeof body.model_parsers === "object" && body.model_parsers !== null ? body.model_parsers : {}) as Record<
      string,
      string
    >;
    const out: Record<string, string | null> = {};
    for (const m of body.models.slice(0, 2000)) if (typeof m === "string") out[m] = runtime.registry.find(m, parsers)?.id ?? null;
    return c.json(out);
  });

  // ---- save ----
  app.post("/api/save", async (c) => {
    const refused = refuseIfReadOnly();
    if (refused) return c.json(refused, 403);
    const body = await jsonBody<SaveRequest>(c);
    if (!body || typeof body.baseVersion !== "string") return c.json({ error: "expected {config, baseVersion}" }, 400);
    const problems = checkDocument(body.config);
    if (problems.length > 0) return c.json({ error: `not saved: ${problems[0]}`, problems }, 400);
    const config = body.config as AIConfig;
    const onDisk = diskVersion(file);
    if (onDisk !== body.baseVersion && !body.force) {
      return c.json(
        { error: `${basename(file)} changed on disk since it was loaded: reload it, or overwrite it with this version`, conflict: true },
        409,
      );
    }
    const text = serializeConfig(config, format);
    try {
      writeFileAtomic(file, text);
    } catch (e) {
      return c.json({ error: `not saved: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` }, 500);
    }
    runtime.config = config;
    loadedVersion = versionOf(text);
    const warnings = validateSettings({ data: config }, basename(file), runtime.registry).map(formatProblem);
    return c.json({ version: loadedVersion, ...(warnings.length ? { warnings } : {}) });
  });
  app.post("/api/serialize", async (c) => {
    const body = await jsonBody<{ config?: unknown; format?: unknown }>(c);
    if (!body || (body.format !== "json" && body.format !== "yaml")) return c.json({ error: "expected {config, format: json|yaml}" }, 400);
    const problems = checkDocument(body.config);
    if (problems.length > 0) return c.json({ error: problems[0], problems }, 400);
    return c.body(serializeConfig(body.config as AIConfig, body.format), 200, {
      "Content-Type": body.format === "json" ? "application/json" : "application/yaml; charset=utf-8",
    });
  });

  // ---- runs ----
  app.post("/api/runs", async (c) => {
    const refused = refuseIfReadOnly();
    if (refused) return c.json(refused, 403);
    const body = await jsonBody<RunRequest>(c);
    if (!body || !["one", "deps", "all"].includes(body.mode))
      return c.json({ error: "expected {config, mode: one|deps|all, prompt}" }, 400);
    const problems = checkDocument(body.config);
    if (problems.length > 0) return c.json({ error: `not run: ${problems[0]}`, problems }, 400);
    const config = body.config as AIConfig;
    if (body.mode !== "all" && !config.prompts.some((p) => p.name === body.prompt)) {
      return c.json({ error: `no prompt named "${body.prompt}" in the document` }, 400);
    }
    const rt = new AIConfigRuntime(
      config,
      {
        registry: runtime.registry,
        strict: options.strict !== false,
        outputFiles: options.outputFiles === true,
        ...(options.env ? { env: options.env } : {}),
      },
      file,
    );
    const id = randomUUID();
    const session = new RunSession(id, secrets);
    const what =
      body.mode === "all"
        ? { mode: "all" as const, continueOnError: body.continueOnError === true }
        : { mode: body.mode, prompt: body.prompt! };
    const names = what.mode === "all" ? config.prompts.map((p) => p.name) : [what.prompt];
    const busy = names.find((n) => runningPrompts.has(n));
    if (busy) return c.json({ error: `prompt "${busy}" is already running: wait for it or cancel it` }, 409);
    for (const n of names) runningPrompts.set(n, id);
    runs.set(id, session);
    void session.execute(rt, what).finally(() => {
      for (const [n, owner] of runningPrompts) if (owner === id) runningPrompts.delete(n);
      // keep finished runs a while so a page that connects late still gets the events
      setTimeout(() => runs.delete(id), 60_000).unref();
    });
    return c.json({ runId: id });
  });
  app.get("/api/runs/:id/events", (c) => {
    const session = runs.get(c.req.param("id"));
    if (!session) return c.json({ error: "no such run (it may have finished more than a minute ago)" }, 404);
    return streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      let finished = false;
      const stop = session.follow((e) => {
        queue.push(JSON.stringify(e));
        if (e.type === "done") finished = true;
        wake?.();
      });
      stream.onAbort(() => {
        finished = true;
        stop();
        wake?.();
      });
      while (true) {
        if (queue.length > 0) {
          const batch = queue.splice(0, queue.length);
          for (const data of batch) await stream.writeSSE({ data });
          continue;
        }
        if (finished || stream.aborted) break;
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
      stop();
    });
  });
  app.post("/api/runs/:id/cancel", async (c) => {
    const session = runs.get(c.req.param("id"));
    if (!session) return c.json({ error: "no such run" }, 404);
    session.controller.abort();
    return c.json({ ok: true });
  });

  // ---- files ----
  app.post("/api/attachments", async (c) => {
    const refused = refuseIfReadOnly();
    if (refused) return c.json(refused, 403);
    const body = await jsonBody<AttachmentUpload>(c);
    if (!body || typeof body.name !== "string" || typeof body.base64 !== "string")
      return c.json({ error: "expected {name, mimeType, base64}" }, 400);
    try {
      const rel = writeAttachment(dir, body.name, Buffer.from(body.base64, "base64"));
      return c.json({ file_uri: rel });
    } catch (e) {
      return c.json({ error: `attachment not stored: ${e instanceof Error ? e.message : String(e)}` }, 500);
    }
  });
  app.get("/api/files", (c) => {
    try {
      const found = mediaFileUnder(dir, c.req.query("path") ?? "");
      return c.body(readFileSync(found.path), 200, {
        "Content-Type": found.type,
        "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
        "Cache-Control": "no-cache",
      });
    } catch (e) {
      if (e instanceof WorkspacePathError) return c.json({ error: e.message }, e.status);
      return c.json({ error: e instanceof Error ? e.message : String(e) }, 500);
    }
  });

  // ---- export ----
  const exportPage = (config: AIConfig) =>
    exportNotebookHtml(redactJSON(config, secrets), { configDir: dir, fileName: basename(file), ...(assets ? { assets } : {}) });
  const htmlName = `${basename(file).replace(/\.(json|ya?ml)$/i, "")}.html`;
  app.post("/api/export", async (c) => {
    const body = await jsonBody<{ config?: unknown }>(c);
    const problems = checkDocument(body?.config);
    if (problems.length > 0) return c.json({ error: problems[0], problems }, 400);
    return c.body(exportPage(body!.config as AIConfig), 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${htmlName}"`,
    });
  });
  app.get("/api/export", (c) =>
    c.body(exportPage(runtime.config), 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${htmlName}"`,
    }),
  );

  // ---- the UI ----
  app.get("*", (c) => {
    if (!assets) return c.json({ error: "this server has no web UI" }, 404);
    const path = c.req.path === "/" ? "/index.html" : c.req.path;
    const asset = assets.get(path);
    if (!asset || path.startsWith("/api/")) return c.json({ error: `not found: ${c.req.path}` }, 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.type,
      "Cache-Control": path.startsWith("/assets/") ? "no-cache" : "no-store",
      ...(path.endsWith(".html") ? { "Content-Security-Policy": PAGE_CSP } : {}),
    });
  });

  return Object.assign(app, {
    runs,
    cancelAll() {
      for (const s of runs.values()) if (!s.done) s.controller.abort();
    },
  });
}

/** The problems of a document sent by the page: the editor's checks, then the schema's. */
function checkDocument(doc: unknown): string[] {
  const problems = editedConfigProblems(doc);
  if (problems.length > 0) return problems;
  return validateConfig(doc).map(formatProblem);
}
