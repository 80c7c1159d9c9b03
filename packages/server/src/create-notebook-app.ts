/**
 * The hosted notebook as a Hono app: the editor's page and API, answered per
 * visitor session instead of for one file, plus the routes of a hosted
 * notebook (keys, upload, download, share, snapshots, metrics).
 *
 * Routes (relative to the base path; the page's own URLs are relative, so the
 * app works under any path):
 * - `GET /`: the page (creates the visitor's session and its cookie)
 * - the editor's API (`packages/editor/src/api-types.ts`) on the session:
 *   `GET /api/state`, `GET /api/disk`, `POST /api/save`, `POST /api/models`,
 *   `POST /api/runs`, `GET /api/runs/:id/events`, `POST /api/runs/:id/cancel`,
 *   `POST /api/attachments`, `GET /api/files`, `POST /api/serialize`,
 *   `POST /api/export`, `GET /api/health`
 * - `PUT /api/keys`: the visitor's keys (answers which are set, never values)
 * - `POST /api/open`: a notebook file (JSON or YAML text) becomes the session's
 * - `GET /api/download?format=json|yaml`: the session's notebook as a file
 * - `POST /api/reset`: back to the owner's notebook
 * - `POST /api/share`: a read-only snapshot; answers `{id, url}`
 * - `GET /s/:id/`: a snapshot's page (read-only) and its API; `POST /s/:id/api/copy` opens a copy in the session
 * - owner (token): `GET /metrics` (`--metrics`), `GET /api/owner/snapshots`, `DELETE /api/owner/snapshots/:id`
 *
 * @packageDocumentation
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { basename, dirname, resolve } from "node:path";
import {
  type AIConfig,
  type ProviderRegistry,
  formatForPath,
  formatProblem,
  parseConfigText,
  readConfigFile,
  serializeConfig,
  validateConfig,
} from "@aiconfig-ts/core";
import {
  type AttachmentUpload,
  type EditorState,
  type HostedState,
  type ModelInfo,
  type RunRequest,
  type UiAsset,
  editedConfigProblems,
  exportNotebookHtml,
  loadUiAssets,
  redactJSON,
} from "@aiconfig-ts/editor";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { LocalModelQueue, type LocalModelQueueOptions } from "./local-model-queue.js";
import { NotebookMetrics } from "./notebook-metrics.js";
import type { NotebookStore } from "./notebook-store.js";
import { MAX_KEY_LENGTH, VISITOR_KEYS } from "./session-keys.js";
import { taskCells } from "./task-cells.js";
import { type RunLimits, VisitorRuns } from "./visitor-runs.js";
import { STORED_ATTACHMENT, credentialValues, importOwnerFiles, ownerPathSettings, storeAttachment } from "./visitor-run-policy.js";
import { SessionManager, type VisitorSession, isHttps } from "./visitor-session.js";

/** Per-session limits. */
export interface SessionLimits extends RunLimits {
  /** Requests of one session per minute. Default 300. */
  requestsPerMinute: number;
  /** Largest request body, in bytes (attachments come as base64). Default 10 MiB. */
  bodyBytes: number;
  /** Largest notebook a session keeps (JSON, outputs included), in bytes. Default 16 MiB. */
  sessionBytes: number;
}

/** Default {@link SessionLimits}: 2 runs at once, 300 requests a minute, 10 MiB bodies, 8 MiB outputs, 16 MiB notebooks. */
export const DEFAULT_LIMITS: SessionLimits = {
  concurrentRuns: 2,
  requestsPerMinute: 300,
  bodyBytes: 10 * 1024 * 1024,
  outputBytes: 8 * 1024 * 1024,
  sessionBytes: 16 * 1024 * 1024,
};

/** Options of {@link createNotebookApp}. */
export interface NotebookAppOptions {
  /** The owner's aiconfig file: read once, never written. */
  file: string;
  /** Providers (with those of `--providers` registered by the caller). */
  registry: ProviderRegistry;
  /** Where sessions and snapshots live (see `openStore`). */
  store: NotebookStore;
  /** Let visitors' runs use the owner's keys from `ownerEnv` (only to the providers' own endpoints). Default `false`. */
  shareOwnerKeys?: boolean;
  /** The owner's environment. Default `process.env`. */
  ownerEnv?: Readonly<Record<string, string | undefined>>;
  /** Sessions kept at most (least recently used evicted). Default 1000. */
  maxSessions?: number;
  /** Inactivity expiry of a session, in ms. Default 2 hours. */
  sessionTtlMs?: number;
  /** Origins allowed to frame the page (`--allow-embed`); none by default (nothing may frame it). */
  allowEmbed?: readonly string[];
  /** Path the app is served under, e.g. `/notebook` (no trailing slash). Default: the root. */
  basePath?: string;
  /** Whether visitors may share snapshots. Default `true`. */
  share?: boolean;
  /** Serve `GET /metrics` (Prometheus) behind `ownerToken`. Default `false`. */
  metrics?: boolean;
  /** The owner's token for `/metrics` and the owner routes; without it those routes are off. */
  ownerToken?: string;
  /** Per-session limits (defaults: {@link DEFAULT_LIMITS}). */
  limits?: Partial<SessionLimits>;
  /** The local model's queue. */
  localQueue?: LocalModelQueueOptions;
  /** The built UI (default: the editor's `dist/ui`); `null` serves the API only. */
  assets?: Map<string, UiAsset> | null;
}

/** A hosted notebook: a web-standard fetch handler and what it holds. */
export interface NotebookApp {
  /** Answers a request (a web-standard `Request`; paths include the base path). */
  fetch(request: Request): Response | Promise<Response>;
  /** The Hono app (mount it with `app.route()` in another Hono app). */
  readonly app: Hono;
  /** The store. */
  readonly store: NotebookStore;
  /** The counters (`--metrics`). */
  readonly metrics: NotebookMetrics;
  /** The owner's notebook as visitors start from it. */
  readonly original: AIConfig;
  /** Cancels runs in progress and stops timers (the store stays open: its opener closes it). */
  close(): Promise<void>;
}

const MIME_BY_EXT: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
  ".webm": "audio/webm",
  ".txt": "text/plain; charset=utf-8",
  ".pdf": "application/pdf",
};

/** The document problems of a notebook sent by a page: the editor's checks, then the schema's. */
function documentProblems(doc: unknown): string[] {
  const problems = editedConfigProblems(doc);
  if (problems.length > 0) return problems;
  return validateConfig(doc).map(formatProblem);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The origin the visitor's browser sees (behind a proxy: its forwarded host and scheme). */
function publicOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim() || c.req.header("host") || url.host;
  return `${isHttps(c) ? "https" : url.protocol.replace(":", "")}://${host}`;
}

/** Model names offered in the page: the task defaults, the registry's names and the notebook's. */
function modelInfos(registry: ProviderRegistry, config: AIConfig, extra: readonly string[]): ModelInfo[] {
  const names = new Set<string>(extra);
  for (const n of (registry as unknown as { modelNames?: () => string[] }).modelNames?.() ?? []) names.add(n);
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

/** The notebook with its stored attachments inline (base64), for files that leave the server (download, export). */
async function withStoredAttachmentsInline(config: AIConfig, store: NotebookStore): Promise<AIConfig> {
  const copy = structuredClone(config);
  const walk = async (node: unknown): Promise<void> => {
    if (Array.isArray(node)) {
      for (const x of node) await walk(x);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const o = node as Record<string, unknown>;
    const m = o.kind === "file_uri" && typeof o.value === "string" ? STORED_ATTACHMENT.exec(o.value) : null;
    if (m) {
      const bytes = await store.getBlob(m[1]!);
      if (bytes) {
        o.kind = "base64";
        o.value = bytes.toString("base64");
      }
      return;
    }
    for (const v of Object.values(o)) await walk(v);
  };
  await walk(copy.prompts);
  return copy;
}

/**
 * Creates a hosted notebook for the owner's file: reads the file once
 * (validating it) and copies its local attachments into the store.
 * @throws {ParseError} | {Error} when the file is not a valid aiconfig (one line naming the file and the problem)
 * @throws {UiNotBuiltError} when the web UI is not built and `assets` is not `null`
 */
export async function createNotebookApp(options: NotebookAppOptions): Promise<NotebookApp> {
  const file = resolve(options.file);
  const doc = readConfigFile(file);
  const problems = validateConfig(doc.data, doc, file);
  if (problems.length > 0) throw new Error(`${basename(file)} is not a valid aiconfig: ${formatProblem(problems[0]!)}`);
  const store = options.store;
  const original = await importOwnerFiles(doc.data as AIConfig, dirname(file), store);
  const fileName = basename(file);
  const format = formatForPath(file);
  const limits: SessionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const ttlMs = options.sessionTtlMs ?? 2 * 60 * 60 * 1000;
  const allowEmbed = [...(options.allowEmbed ?? [])];
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const shareOn = options.share !== false;
  const ownerEnv = options.ownerEnv ?? process.env;
  const shareOwnerKeys = options.shareOwnerKeys === true;
  const assets = options.assets === null ? undefined : (options.assets ?? loadUiAssets());
  const metrics = new NotebookMetrics();
  const registry = options.registry;
  const sessions = new SessionManager({
    store,
    ttlMs,
    maxSessions: options.maxSessions ?? 1000,
    cookiePath: basePath || "/",
    sameSite: allowEmbed.length > 0 ? "None" : "Lax",
    onCreate: () => metrics.sessions.inc(),
  });
  const queue = new LocalModelQueue(options.localQueue);
  const runs = new VisitorRuns({
    ownerFile: file,
    ownerPaths: ownerPathSettings(original),
    store,
    sessions,
    registry,
    queue,
    limits,
    ownerEnv,
    shareOwnerKeys,
    metrics,
  });
  const limiter = store.rateLimiter(limits.requestsPerMinute, 60);
  const ownerSecrets = credentialValues(ownerEnv);
  const sweep = setInterval(() => void sessions.sweep(), 60_000);
  sweep.unref();

  const app = new Hono<{ Variables: { session: VisitorSession } }>();
  app.onError((e, c) => {
    metrics.errors.inc({ kind: "server" });
    return c.json({ error: `the notebook server failed: ${e.message.split("\n")[0]}` }, 500);
  });
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:", "https:"],
        mediaSrc: ["'self'", "data:", "blob:", "https:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: allowEmbed.length > 0 ? ["'self'", ...allowEmbed] : ["'none'"],
      },
      xFrameOptions: allowEmbed.length > 0 ? false : "DENY",
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: allowEmbed.length > 0 ? false : "same-origin",
      crossOriginResourcePolicy: "same-origin",
      referrerPolicy: "no-referrer",
    }),
  );
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });
  // CSRF: form posts only from this origin (hono), and no state change from another origin at all.
  app.use("*", csrf({ origin: (origin, c) => origin === publicOrigin(c) }));
  app.use("*", async (c, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(c.req.method)) return next();
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    if ((origin && origin !== publicOrigin(c)) || (site && site !== "same-origin" && !origin)) {
      metrics.errors.inc({ kind: "csrf" });
      return c.json({ error: "refused: this request came from another site" }, 403);
    }
    const type = c.req.header("content-type") ?? "";
    if (c.req.header("content-length") !== "0" && c.req.raw.body && !type.startsWith("application/json")) {
      return c.json({ error: "expected a JSON body (content-type: application/json)" }, 415);
    }
    return next();
  });
  app.use("*", bodyLimit({ maxSize: limits.bodyBytes, onError: (c) => c.json({ error: "the request is too large" }, 413) }));

  // ---- owner routes (token) ----
  const ownerOnly = (c: Context): Response | undefined => {
    const token = options.ownerToken;
    const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token || !given || !sameSecret(given, token)) return c.json({ error: "this route needs the owner's token" }, 401);
    return undefined;
  };
  if (options.metrics) {
    app.get("/metrics", async (c) => {
      const refused = ownerOnly(c);
      if (refused) return refused;
      return c.body(await metrics.text(), 200, { "Content-Type": metrics.registry.contentType });
    });
  }
  app.get("/api/owner/snapshots", async (c) => ownerOnly(c) ?? c.json({ snapshots: await store.listSnapshots() }));
  app.delete("/api/owner/snapshots/:id", async (c) => {
    const refused = ownerOnly(c);
    if (refused) return refused;
    return (await store.deleteSnapshot(c.req.param("id"))) ? c.json({ ok: true }) : c.json({ error: "no such snapshot" }, 404);
  });

  // ---- sessions and request limits ----
  app.use("/api/*", async (c, next) => {
    const path = c.req.path.slice(basePath.length);
    if (path.startsWith("/api/owner/")) return next();
    const session = path === "/api/state" ? await sessions.findOrCreate(c) : await sessions.find(c);
    if (!session) {
      if (path === "/api/health") return c.json({ ok: true });
      return c.json({ error: "your session expired (or cookies are off): reload the page to start a new one" }, 401);
    }
    try {
      await limiter.consume(session.id);
    } catch {
      metrics.errors.inc({ kind: "rate_limit" });
      c.header("Retry-After", "60");
      return c.json({ error: `too many requests: at most ${limits.requestsPerMinute} a minute per session` }, 429);
    }
    if (runs.storing(session.id)) {
      await runs.flush(session.id);
      session.record = (await store.getSession(session.id)) ?? session.record;
    }
    c.set("session", session);
    return next();
  });

  const configOf = (s: VisitorSession): AIConfig => s.record.config ?? original;
  const hostedState = async (s: VisitorSession | undefined, mode: "session" | "snapshot", snapshotId?: string): Promise<HostedState> => {
    const keys = s ? await sessions.keys(s) : {};
    const usable = new Set(Object.keys(keys));
    if (shareOwnerKeys) for (const k of VISITOR_KEYS) if (ownerEnv[k.env]) usable.add(k.env);
    return {
      mode,
      sessionTtlMs: ttlMs,
      keys: VISITOR_KEYS.map((k) => ({ env: k.env, label: k.label, set: Boolean(keys[k.env]) })),
      ownerKeys: shareOwnerKeys,
      share: shareOn,
      tasks: taskCells(registry, usable),
      ...(snapshotId ? { snapshotId } : {}),
    };
  };
  const state = async (config: AIConfig, s: VisitorSession | undefined, mode: "session" | "snapshot", snapshotId?: string) => {
    const hosted = await hostedState(s, mode, snapshotId);
    const body: EditorState = {
      config,
      fileName,
      format,
      version: "session",
      readOnly: mode === "snapshot",
      providers: registry.list().map((p) => ({
        id: p.id,
        ...(p.description ? { description: p.description } : {}),
        ...(p.chat !== undefined ? { chat: p.chat } : {}),
        ...(p.settingsSchema ? { settingsSchema: p.settingsSchema } : {}),
      })),
      models: modelInfos(
        registry,
        config,
        hosted.tasks.map((t) => t.model),
      ),
      hosted,
    };
    return body;
  };
  const jsonBody = async <T>(c: Context): Promise<T | undefined> => {
    try {
      return (await c.req.json()) as T;
    } catch {
      return undefined;
    }
  };
  /** Checks a notebook sent by the page and its size; the error answer, or `undefined` when it may be kept. */
  const refuseDocument = (c: Context, config: unknown, verb: string): Response | undefined => {
    const problems = documentProblems(config);
    if (problems.length > 0) return c.json({ error: `not ${verb}: ${problems[0]}`, problems }, 400);
    const size = JSON.stringify(config).length;
    if (size > limits.sessionBytes) {
      metrics.errors.inc({ kind: "session_too_large" });
      return c.json(
        { error: `not ${verb}: the notebook is ${size} bytes, more than a session keeps (${limits.sessionBytes}): clear some outputs` },
        413,
      );
    }
    return undefined;
  };
  const secretsOf = async (s: VisitorSession) => [...Object.values(await sessions.keys(s)), ...ownerSecrets];

  // ---- the editor's API, on the session ----
  app.get("/api/health", (c) => c.json({ ok: true }));
  app.get("/api/state", async (c) => {
    const s = c.get("session");
    return c.json(await state(configOf(s), s, "session"));
  });
  app.get("/api/disk", async (c) => {
    const s = c.get("session");
    await runs.flush(s.id);
    const record = (await store.getSession(s.id)) ?? s.record;
    return c.json({ config: record.config ?? original, version: "session" });
  });
  app.post("/api/models", async (c) => {
    const body = await jsonBody<{ models?: unknown; model_parsers?: unknown }>(c);
    if (!body || !Array.isArray(body.models)) return c.json({ error: "expected {models: [names], model_parsers}" }, 400);
    const parsers = (typeof body.model_parsers === "object" && body.model_parsers !== null ? body.model_parsers : {}) as Record<
      string,
      string
    >;
    const out: Record<string, string | null> = {};
    for (const m of body.models.slice(0, 2000)) if (typeof m === "string") out[m] = registry.find(m, parsers)?.id ?? null;
    return c.json(out);
  });
  app.post("/api/save", async (c) => {
    const body = await jsonBody<{ config?: unknown }>(c);
    const refused = refuseDocument(c, body?.config, "saved");
    if (refused) return refused;
    await sessions.saveConfig(c.get("session"), body!.config as AIConfig);
    return c.json({ version: "session" });
  });
  app.post("/api/reset", async (c) => {
    const s = c.get("session");
    s.record = { createdAt: s.record.createdAt, lastSeen: Date.now() };
    await store.putSession(s.id, s.record, ttlMs);
    return c.json({ config: original });
  });
  app.post("/api/open", async (c) => {
    const body = await jsonBody<{ name?: unknown; text?: unknown }>(c);
    if (!body || typeof body.text !== "string") return c.json({ error: "expected {name, text}" }, 400);
    const name = typeof body.name === "string" ? basename(body.name) : "uploaded.aiconfig.json";
    let config: unknown;
    try {
      config = parseConfigText(body.text, name).data;
    } catch (e) {
      return c.json({ error: `not opened: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` }, 400);
    }
    const refused = refuseDocument(c, config, "opened");
    if (refused) return refused;
    await sessions.saveConfig(c.get("session"), config as AIConfig);
    metrics.uploads.inc();
    return c.json({ config });
  });
  app.put("/api/keys", async (c) => {
    const body = await jsonBody<Record<string, unknown>>(c);
    if (!body || typeof body !== "object") return c.json({ error: "expected {HF_TOKEN?, OPENAI_API_KEY?, ...}" }, 400);
    const s = c.get("session");
    const keys = await sessions.keys(s);
    for (const { env } of VISITOR_KEYS) {
      const v = body[env];
      if (v === undefined) continue;
      if (v === null || v === "") delete keys[env];
      else if (typeof v === "string" && v.trim().length > 0 && v.length <= MAX_KEY_LENGTH && !/[\r\n]/.test(v)) keys[env] = v.trim();
      else return c.json({ error: `${env}: a key is one line of at most ${MAX_KEY_LENGTH} characters` }, 400);
    }
    await sessions.setKeys(s, keys);
    return c.json((await hostedState(s, "session")).keys);
  });
  app.post("/api/serialize", async (c) => {
    const body = await jsonBody<{ config?: unknown; format?: unknown }>(c);
    if (!body || (body.format !== "json" && body.format !== "yaml")) return c.json({ error: "expected {config, format: json|yaml}" }, 400);
    const problems = documentProblems(body.config);
    if (problems.length > 0) return c.json({ error: problems[0], problems }, 400);
    metrics.downloads.inc({ format: body.format });
    const s = c.get("session");
    const config = redactJSON(await withStoredAttachmentsInline(body.config as AIConfig, store), await secretsOf(s));
    return c.body(serializeConfig(config, body.format), 200, {
      "Content-Type": body.format === "json" ? "application/json" : "application/yaml; charset=utf-8",
    });
  });
  app.get("/api/download", async (c) => {
    const f = c.req.query("format") === "yaml" ? "yaml" : "json";
    const s = c.get("session");
    await runs.flush(s.id);
    const record = (await store.getSession(s.id)) ?? s.record;
    const config = redactJSON(await withStoredAttachmentsInline(record.config ?? original, store), await secretsOf(s));
    metrics.downloads.inc({ format: f });
    const name = `${fileName.replace(/(\.aiconfig)?\.(json|ya?ml)$/i, "")}.aiconfig.${f}`;
    return c.body(serializeConfig(config, f), 200, {
      "Content-Type": f === "json" ? "application/json" : "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
    });
  });
  app.post("/api/export", async (c) => {
    const body = await jsonBody<{ config?: unknown }>(c);
    const problems = documentProblems(body?.config);
    if (problems.length > 0) return c.json({ error: problems[0], problems }, 400);
    const config = redactJSON(await withStoredAttachmentsInline(body!.config as AIConfig, store), await secretsOf(c.get("session")));
    return c.body(exportNotebookHtml(config, { fileName, ...(assets ? { assets } : {}) }), 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/\.(json|ya?ml)$/i, "")}.html"`,
    });
  });

  // ---- runs ----
  app.post("/api/runs", async (c) => {
    const body = await jsonBody<RunRequest>(c);
    if (!body || !["one", "deps", "all"].includes(body.mode))
      return c.json({ error: "expected {config, mode: one|deps|all, prompt}" }, 400);
    const refused = refuseDocument(c, body.config, "run");
    if (refused) return refused;
    const config = body.config as AIConfig;
    if (body.mode !== "all" && !config.prompts.some((p) => p.name === body.prompt))
      return c.json({ error: `no prompt named "${body.prompt}" in the notebook` }, 400);
    const s = c.get("session");
    await runs.flush(s.id);
    await sessions.saveConfig(s, config);
    const what =
      body.mode === "all"
        ? { mode: "all" as const, continueOnError: body.continueOnError === true }
        : { mode: body.mode, prompt: body.prompt! };
    const started = await runs.start(s, config, what);
    if ("error" in started) {
      metrics.errors.inc({ kind: `run_${started.status}` });
      return c.json({ error: started.error }, started.status);
    }
    return c.json(started);
  });
  app.get("/api/runs/:id/events", (c) => runs.follow(c, c.get("session").id, c.req.param("id")));
  app.post("/api/runs/:id/cancel", async (c) =>
    (await runs.cancel(c.get("session").id, c.req.param("id"))) ? c.json({ ok: true }) : c.json({ error: "no such run" }, 404),
  );

  // ---- attachments: uploaded into the store, never onto the server's disk ----
  app.post("/api/attachments", async (c) => {
    const body = await jsonBody<AttachmentUpload>(c);
    if (!body || typeof body.name !== "string" || typeof body.base64 !== "string")
      return c.json({ error: "expected {name, mimeType, base64}" }, 400);
    return c.json({ file_uri: await storeAttachment(store, Buffer.from(body.base64, "base64"), body.name) });
  });
  const serveBlob = async (c: Context) => {
    const m = STORED_ATTACHMENT.exec(c.req.query("path") ?? "");
    const bytes = m ? await store.getBlob(m[1]!) : undefined;
    if (!m || !bytes) return c.json({ error: "no such file in this notebook (only uploaded files are served)" }, 404);
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": MIME_BY_EXT[(m[2] ?? "").toLowerCase()] ?? "application/octet-stream",
      "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
      "Cache-Control": "private, max-age=3600",
    });
  };
  app.get("/api/files", serveBlob);

  // ---- sharing ----
  app.post("/api/share", async (c) => {
    if (!shareOn) return c.json({ error: "sharing is turned off on this notebook" }, 403);
    const body = await jsonBody<{ config?: unknown }>(c);
    const s = c.get("session");
    let config: AIConfig;
    if (body?.config !== undefined) {
      const refused = refuseDocument(c, body.config, "shared");
      if (refused) return refused;
      config = body.config as AIConfig;
      await sessions.saveConfig(s, config);
    } else config = configOf(s);
    const snapshot = redactJSON(config, await secretsOf(s));
    const text = JSON.stringify(snapshot);
    const id = createHmac("sha256", await store.secret())
      .update(text)
      .digest("base64url")
      .slice(0, 32);
    await store.putSnapshot(id, { config: snapshot, createdAt: Date.now(), fileName });
    metrics.shares.inc();
    return c.json({ id, url: `${publicOrigin(c)}${basePath}/s/${id}/` });
  });

  const snapshots = new Hono();
  snapshots.use("/api/*", async (c, next) => {
    const s = await sessions.find(c);
    try {
      await limiter.consume(s?.id ?? `ip:${c.req.header("x-forwarded-for") ?? "direct"}`);
    } catch {
      return c.json({ error: `too many requests: at most ${limits.requestsPerMinute} a minute` }, 429);
    }
    return next();
  });
  const snapshotOf = async (c: Context) => store.getSnapshot(c.req.param("sid") ?? "");
  snapshots.get("/api/health", (c) => c.json({ ok: true }));
  snapshots.get("/api/state", async (c) => {
    const snap = await snapshotOf(c);
    if (!snap) return c.json({ error: "no such shared notebook (the link is wrong, or the owner deleted it)" }, 404);
    return c.json(await state(snap.config, await sessions.find(c), "snapshot", c.req.param("sid")));
  });
  snapshots.post("/api/models", async (c) => c.json({}));
  snapshots.get("/api/files", serveBlob);
  snapshots.post("/api/serialize", async (c) => {
    const snap = await snapshotOf(c);
    const body = await jsonBody<{ format?: unknown }>(c);
    if (!snap) return c.json({ error: "no such shared notebook" }, 404);
    const f = body?.format === "yaml" ? "yaml" : "json";
    metrics.downloads.inc({ format: f });
    return c.body(serializeConfig(await withStoredAttachmentsInline(snap.config, store), f), 200, {
      "Content-Type": f === "json" ? "application/json" : "application/yaml; charset=utf-8",
    });
  });
  snapshots.post("/api/export", async (c) => {
    const snap = await snapshotOf(c);
    if (!snap) return c.json({ error: "no such shared notebook" }, 404);
    const config = await withStoredAttachmentsInline(snap.config, store);
    return c.body(exportNotebookHtml(config, { fileName, ...(assets ? { assets } : {}) }), 200, {
      "Content-Type": "text/html; charset=utf-8",
    });
  });
  snapshots.post("/api/copy", async (c) => {
    const snap = await snapshotOf(c);
    if (!snap) return c.json({ error: "no such shared notebook" }, 404);
    const s = await sessions.findOrCreate(c);
    await sessions.saveConfig(s, snap.config);
    return c.json({ location: `${basePath}/` });
  });
  snapshots.all("/api/*", (c) => c.json({ error: "a shared notebook is read-only: open a copy to edit or run it" }, 403));

  // ---- the page ----
  const page = (c: Context) => {
    const asset = assets?.get("/index.html");
    if (!asset) return c.json({ error: "this server has no web UI" }, 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": asset.type });
  };
  const asset = (c: Context, path: string) => {
    const a = assets?.get(path);
    if (!a) return c.json({ error: `not found: ${c.req.path}` }, 404);
    return c.body(a.body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": a.type, "Cache-Control": "no-cache" });
  };
  snapshots.get("/", async (c) => {
    await sessions.findOrCreate(c);
    return page(c);
  });
  snapshots.get("/assets/*", (c) => asset(c, c.req.path.slice(c.req.path.indexOf("/assets/"))));
  app.get("/s/:sid", (c) => c.redirect(`${basePath}/s/${encodeURIComponent(c.req.param("sid"))}/`, 301));
  app.route("/s/:sid", snapshots);
  app.get("/", async (c) => {
    await sessions.findOrCreate(c);
    return page(c);
  });
  app.get("/assets/*", (c) => asset(c, c.req.path.slice(basePath.length)));
  app.all("/api/*", (c) => c.json({ error: `no such route: ${c.req.method} ${c.req.path}` }, 404));

  const root: Hono = basePath ? new Hono().route(basePath, app) : (app as unknown as Hono);
  if (basePath) root.get(basePath, (c) => c.redirect(`${basePath}/`, 302));
  return {
    fetch: (request: Request) => root.fetch(request),
    app: root,
    store,
    metrics,
    original,
    async close() {
      clearInterval(sweep);
      runs.cancelAll();
    },
  };
}
