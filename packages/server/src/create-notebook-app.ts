/**
 * The hosted notebook as a Hono app: the editor's routes
 * (`createNotebookRoutes` of `@aiconfig-ts/editor`) mounted over each
 * visitor's session (a `NotebookContext` per request), plus the routes of a
 * hosted notebook.
 *
 * Routes (relative to the base path; the page's own URLs are relative, so the
 * app works under any path):
 * - `GET /`: the page (creates the visitor's session and its cookie)
 * - the editor's API on the session (`packages/editor/src/api-types.ts`):
 *   `GET /api/state` (with `hosted`), `GET /api/disk`, `POST /api/save`,
 *   `POST /api/models`, `POST /api/serialize`, `POST /api/attachments` (into
 *   the store), `GET /api/files` (from the store), `POST /api/export`,
 *   `GET /api/health`; and runs (`POST /api/runs`, `GET /api/runs/:id/events`,
 *   `POST /api/runs/:id/cancel`) through `VisitorRuns`
 * - `PUT /api/keys`: the visitor's keys (answers which are set, never values)
 * - `POST /api/open`: a notebook file (JSON or YAML text) becomes the session's
 * - `GET /api/download?format=json|yaml`: the session's notebook as a file
 * - `POST /api/reset`: back to the owner's notebook
 * - `POST /api/share`: a read-only snapshot; answers `{id, url}`
 * - `GET /s/:id/`: a snapshot's page and the editor's API on it, read-only;
 *   `POST /s/:id/api/copy` opens a copy in the visitor's session
 * - owner (token): `GET /metrics` (`--metrics`), `GET /api/owner/snapshots`, `DELETE /api/owner/snapshots/:id`
 *
 * @packageDocumentation
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AIConfig,
  AIConfigRuntime,
  type ProviderRegistry,
  formatForPath,
  formatProblem,
  parseConfigText,
  readConfigFile,
  serializeConfig,
  validateConfig,
} from "@aiconfig-ts/core";
import {
  type EditorState,
  type HostedState,
  type NotebookContext,
  type NotebookEnv,
  RunRegistry,
  type RunRequest,
  type UiAsset,
  createNotebookRoutes,
  documentProblems,
  loadUiAssets,
  modelInfos,
  notebookError,
  notebookErrorHandler,
  notebookSecureHeaders,
  providerInfos,
  redactJSON,
} from "@aiconfig-ts/editor";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { LocalModelQueue, type LocalModelQueueOptions } from "./local-model-queue.js";
import { NotebookMetrics } from "./notebook-metrics.js";
import type { NotebookStore } from "./notebook-store.js";
import { MAX_KEY_LENGTH, visitorKeyNames } from "./session-keys.js";
import { STORED_ATTACHMENT, importOwnerFiles, storeAttachment, storedBlobIds, withStoredFilesInline } from "./stored-attachments.js";
import { type RunLimits, VisitorRuns } from "./visitor-runs.js";
import { credentialValues, ownerPathSettings } from "./visitor-run-policy.js";
import { SessionManager, SessionTooLargeError, type VisitorSession, isHttps } from "./visitor-session.js";
import { sweepBlobs } from "./blob-sweep.js";

/** Per-session limits. */
export interface SessionLimits extends RunLimits {
  /** Requests of one session per minute. Default 300. */
  requestsPerMinute: number;
  /** Largest request body, in bytes (attachments come as base64). Default 10 MiB. */
  bodyBytes: number;
  /**
   * Most a session holds, in bytes: its notebook's JSON (outputs included)
   * plus the files uploaded into it. Default 16 MiB (never more than `maxMemoryBytes`).
   */
  sessionBytes: number;
}

/** Default {@link SessionLimits}: 2 runs at once, 300 requests a minute, 10 MiB bodies, 8 MiB outputs, 16 MiB per session. */
export const DEFAULT_LIMITS: SessionLimits = {
  concurrentRuns: 2,
  requestsPerMinute: 300,
  bodyBytes: 10 * 1024 * 1024,
  outputBytes: 8 * 1024 * 1024,
  sessionBytes: 16 * 1024 * 1024,
};

/** Default of `maxMemoryBytes` (`--max-memory`): 256 MiB held by all sessions. */
export const DEFAULT_MAX_MEMORY_BYTES = 256 * 1024 * 1024;

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
  /**
   * Bytes all sessions hold at most (`--max-memory`): each session's notebook
   * JSON, outputs and uploaded files; past it the least recently used
   * sessions are evicted, oldest first. Default 256 MiB.
   */
  maxMemoryBytes?: number;
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
  /** How often unreferenced uploaded files are deleted, in ms. Default 10 minutes. */
  blobSweepMs?: number;
  /** How long an uploaded file is kept before any session refers to it, in ms (the page stores its reference at once). Default 10 minutes. */
  blobGraceMs?: number;
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
  /**
   * Deletes expired sessions and those past the caps, then the uploaded files
   * no session, snapshot or the owner's notebook refers to (stored more than
   * `blobGraceMs` ago). Runs on its own every minute (files every `blobSweepMs`).
   * @returns how many sessions and files went
   */
  sweep(): Promise<{ sessions: number; blobs: number }>;
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

let elementBytes: Uint8Array | null | undefined;
/** The built `<aiconfig-notebook>` script (`dist/element/aiconfig-notebook.js`), read once; `null` when not built. */
function elementScript(): Uint8Array | null {
  if (elementBytes === undefined) {
    try {
      elementBytes = readFileSync(fileURLToPath(new URL("../dist/element/aiconfig-notebook.js", import.meta.url)));
    } catch {
      elementBytes = null;
    }
  }
  return elementBytes;
}

type HostedEnv = NotebookEnv & { Variables: { session: VisitorSession } };

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
  const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const given: SessionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const limits: SessionLimits = { ...given, sessionBytes: Math.min(given.sessionBytes, maxMemoryBytes) };
  const ownerBlobs = storedBlobIds(original);
  const ttlMs = options.sessionTtlMs ?? 2 * 60 * 60 * 1000;
  const allowEmbed = [...(options.allowEmbed ?? [])];
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const shareOn = options.share !== false;
  const ownerEnv = options.ownerEnv ?? process.env;
  const shareOwnerKeys = options.shareOwnerKeys === true;
  const assets = options.assets === null ? null : (options.assets ?? loadUiAssets());
  const metrics = new NotebookMetrics({ store: options.store });
  const registry = options.registry;
  const keyNames = visitorKeyNames(registry);
  const sessions = new SessionManager({
    store,
    ttlMs,
    maxSessions: options.maxSessions ?? 1000,
    maxBytes: maxMemoryBytes,
    sessionBytes: limits.sessionBytes,
    ownerBlobs,
    cookiePath: basePath || "/",
    sameSite: allowEmbed.length > 0 ? "None" : "Lax",
    onCreate: () => metrics.sessions.inc(),
    onRemoved: (reason) => metrics.sessionsRemoved.inc({ reason }),
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
    keyNames,
    shareOwnerKeys,
    metrics,
  });
  const limiter = store.rateLimiter(limits.requestsPerMinute, 60);
  const ownerSecrets = credentialValues(ownerEnv);
  const unusedRuns = new RunRegistry();
  await sessions.sweep(true);
  const blobSweepMs = options.blobSweepMs ?? 10 * 60_000;
  const blobGraceMs = options.blobGraceMs ?? 10 * 60_000;
  let lastBlobSweep = Date.now();
  const sweepAll = async () => {
    const gone = { sessions: await sessions.sweep(true), blobs: 0 };
    lastBlobSweep = Date.now();
    gone.blobs = await sweepBlobs(store, ownerBlobs, blobGraceMs);
    metrics.blobsSwept.inc(gone.blobs);
    return gone;
  };
  const sweep = setInterval(() => {
    if (Date.now() - lastBlobSweep >= blobSweepMs) void sweepAll().catch(() => {});
    else void sessions.sweep();
  }, 60_000);
  sweep.unref();
  /** Stores a session's notebook; the 413 answer when the session would hold too much. */
  const saveOrRefuse = async (c: Context, s: VisitorSession, config: AIConfig, verb: string): Promise<Response | undefined> => {
    try {
      await sessions.saveConfig(s, config, verb);
      return undefined;
    } catch (e) {
      if (!(e instanceof SessionTooLargeError)) throw e;
      metrics.errors.inc({ kind: "session_too_large" });
      return c.json({ error: e.message }, 413);
    }
  };

  const readStored = async (path: string) => {
    const m = STORED_ATTACHMENT.exec(path);
    const bytes = m ? await store.getBlob(m[1]!) : undefined;
    if (!m || !bytes) throw notebookError(404, "no such file in this notebook (only uploaded files are served)");
    return { body: new Uint8Array(bytes), type: MIME_BY_EXT[(m[2] ?? "").toLowerCase()] ?? "application/octet-stream" };
  };
  /** The editor's view of a notebook: the session's (editable) or a snapshot's (read-only). */
  const notebookContext = (config: AIConfig, secrets: readonly string[], session: VisitorSession | undefined): NotebookContext => ({
    runtime: new AIConfigRuntime(config, { registry, env: {} }, file),
    fileName,
    format,
    readOnly: session === undefined,
    secrets,
    runs: unusedRuns,
    version: () => "session",
    runtimeFor: () => {
      throw notebookError(500, "runs of a hosted notebook go through its own route");
    },
    save: async (saved) => {
      if (!session) throw notebookError(403, "a shared notebook is read-only: open a copy to edit it");
      try {
        await sessions.saveConfig(session, saved);
      } catch (e) {
        if (!(e instanceof SessionTooLargeError)) throw e;
        metrics.errors.inc({ kind: "session_too_large" });
        throw notebookError(413, e.message);
      }
      return { version: "session" };
    },
    reload: async () => {
      if (session) await runs.flush(session.id);
      const record = session ? ((await store.getSession(session.id)) ?? session.record) : undefined;
      return { config: record?.config ?? config, version: "session" };
    },
    readFile: readStored,
    writeAttachment: async (name, _mime, bytes) => {
      if (!session) throw notebookError(403, "a shared notebook is read-only: open a copy to edit it");
      try {
        sessions.checkUpload(session, bytes.length);
      } catch (e) {
        if (!(e instanceof SessionTooLargeError)) throw e;
        metrics.errors.inc({ kind: "session_too_large" });
        throw notebookError(413, e.message);
      }
      return storeAttachment(store, Buffer.from(bytes), name);
    },
  });

  const app = new Hono<HostedEnv>();
  app.onError(notebookErrorHandler);
  app.use("*", async (c, next) => {
    await next();
    // nothing frames the notebook unless the owner allowed a site (the editor's headers allow its own origin)
    if (allowEmbed.length > 0) return;
    const csp = c.res.headers.get("Content-Security-Policy");
    if (csp?.includes("frame-ancestors 'self'"))
      c.res.headers.set("Content-Security-Policy", csp.replace("frame-ancestors 'self'", "frame-ancestors 'none'"));
    c.res.headers.set("X-Frame-Options", "DENY");
  });
  app.use("*", notebookSecureHeaders({ frameAncestors: allowEmbed }));
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
    if (c.req.header("content-length") !== "0" && c.req.raw.body && !type.startsWith("application/json"))
      return c.json({ error: "expected a JSON body (content-type: application/json)" }, 415);
    return next();
  });
  app.use("*", bodyLimit({ maxSize: limits.bodyBytes, onError: (c) => c.json({ error: "the request is too large" }, 413) }));
  // the page (the notebook's or a snapshot's) starts the visitor's session
  app.use("*", async (c, next) => {
    const path = c.req.path.slice(basePath.length);
    if (c.req.method === "GET" && (path === "/" || /^\/s\/[^/]+\/$/.test(path))) await sessions.findOrCreate(c);
    return next();
  });

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

  const hostedState = async (s: VisitorSession | undefined, mode: "session" | "snapshot", snapshotId?: string): Promise<HostedState> => {
    const keys = s ? await sessions.keys(s) : {};
    return {
      mode,
      sessionTtlMs: ttlMs,
      keys: keyNames.map((k) => ({ env: k.env, label: k.label, set: Boolean(keys[k.env]) })),
      ownerKeys: shareOwnerKeys,
      share: shareOn,
      ...(snapshotId ? { snapshotId } : {}),
    };
  };
  /**
   * The editor's state plus the hosted bar's: the pickers see a provider's key
   * as set when this visitor's runs would have it (their own keys, or the
   * owner's with --share-owner-keys), so a task's default model is the
   * offline one for a visitor without a key.
   */
  const state = async (c: Context<HostedEnv>, s: VisitorSession | undefined, mode: "session" | "snapshot", snapshotId?: string) => {
    const nb = c.var.notebook;
    const keys = s ? await sessions.keys(s) : {};
    const usable = (name: string) =>
      Boolean(keys[name]) || (shareOwnerKeys && Boolean(ownerEnv[name]) && keyNames.some((k) => k.env === name));
    const body: EditorState = {
      config: nb.runtime.config,
      fileName,
      format,
      version: "session",
      readOnly: nb.readOnly,
      providers: providerInfos(registry, usable),
      models: modelInfos(registry, nb.runtime.config),
      hosted: await hostedState(s, mode, snapshotId),
    };
    return c.json(body);
  };
  const jsonBody = async <T>(c: Context): Promise<T | undefined> => {
    try {
      return (await c.req.json()) as T;
    } catch {
      return undefined;
    }
  };
  /** Checks a notebook sent by the page; the error answer, or `undefined` when it may be kept (its size is checked as it is stored). */
  const refuseDocument = (c: Context, config: unknown, verb: string): Response | undefined => {
    const found = documentProblems(config);
    if (found.length > 0) return c.json({ error: `not ${verb}: ${found[0]}`, problems: found }, 400);
    return undefined;
  };
  const rateLimited = async (c: Context, key: string): Promise<Response | undefined> => {
    try {
      await limiter.consume(key);
      return undefined;
    } catch {
      metrics.errors.inc({ kind: "rate_limit" });
      c.header("Retry-After", "60");
      return c.json({ error: `too many requests: at most ${limits.requestsPerMinute} a minute per session` }, 429);
    }
  };

  // ---- the visitor's session: found (or, for the page and its state, created), limited, given to the editor's routes ----
  app.use("/api/*", async (c, next) => {
    const path = c.req.path.slice(basePath.length);
    if (path.startsWith("/api/owner/")) return next();
    const session = path === "/api/state" ? await sessions.findOrCreate(c) : await sessions.find(c);
    if (!session) {
      if (path === "/api/health") return c.json({ ok: true });
      return c.json({ error: "your session expired (or cookies are off): reload the page to start a new one" }, 401);
    }
    const limited = await rateLimited(c, session.id);
    if (limited) return limited;
    if (runs.storing(session.id)) {
      await runs.flush(session.id);
      session.record = (await store.getSession(session.id)) ?? session.record;
    }
    c.set("session", session);
    const secrets = [...Object.values(await sessions.keys(session)), ...ownerSecrets];
    c.set("notebook", notebookContext(session.record.config ?? original, secrets, session));
    return next();
  });
  app.get("/api/state", (c) => state(c, c.var.session, "session"));
  app.post("/api/reset", async (c) => {
    const s = c.var.session;
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
    const refused = refuseDocument(c, config, "opened") ?? (await saveOrRefuse(c, c.var.session, config as AIConfig, "opened"));
    if (refused) return refused;
    metrics.uploads.inc();
    return c.json({ config });
  });
  app.put("/api/keys", async (c) => {
    const body = await jsonBody<Record<string, unknown>>(c);
    if (!body || typeof body !== "object") return c.json({ error: "expected {HF_TOKEN?, OPENAI_API_KEY?, ...}" }, 400);
    const s = c.var.session;
    const keys = await sessions.keys(s);
    for (const { env } of keyNames) {
      const v = body[env];
      if (v === undefined) continue;
      if (v === null || v === "") delete keys[env];
      else if (typeof v === "string" && v.trim().length > 0 && v.length <= MAX_KEY_LENGTH && !/[\r\n]/.test(v)) keys[env] = v.trim();
      else return c.json({ error: `${env}: a key is one line of at most ${MAX_KEY_LENGTH} characters` }, 400);
    }
    await sessions.setKeys(s, keys);
    return c.json((await hostedState(s, "session")).keys);
  });
  app.post("/api/serialize", async (c, next) => {
    metrics.downloads.inc({ format: (await jsonBody<{ format?: string }>(c))?.format === "yaml" ? "yaml" : "json" });
    return next();
  });
  app.get("/api/download", async (c) => {
    const f = c.req.query("format") === "yaml" ? "yaml" : "json";
    const config = redactJSON(await withStoredFilesInline(c.var.notebook.runtime.config, store), c.var.notebook.secrets);
    metrics.downloads.inc({ format: f });
    const name = `${fileName.replace(/(\.aiconfig)?\.(json|ya?ml)$/i, "").replace(/["\\\r\n]/g, "_")}.aiconfig.${f}`;
    return c.body(serializeConfig(config, f), 200, {
      "Content-Type": f === "json" ? "application/json" : "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
    });
  });

  // ---- runs: the visitor's keys, attachments from the store, outputs into the session, limits, the local model's queue ----
  app.post("/api/runs", async (c) => {
    const body = await jsonBody<RunRequest>(c);
    if (!body || !["one", "deps", "all"].includes(body.mode))
      return c.json({ error: "expected {config, mode: one|deps|all, prompt}" }, 400);
    const refused = refuseDocument(c, body.config, "run");
    if (refused) return refused;
    const config = body.config as AIConfig;
    if (body.mode !== "all" && !config.prompts.some((p) => p.name === body.prompt))
      return c.json({ error: `no prompt named "${body.prompt}" in the notebook` }, 400);
    const s = c.var.session;
    const tooLarge = await saveOrRefuse(c, s, config, "run");
    if (tooLarge) return tooLarge;
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
  app.get("/api/runs/:id/events", (c) => runs.follow(c, c.var.session.id, c.req.param("id")));
  app.post("/api/runs/:id/cancel", async (c) =>
    (await runs.cancel(c.var.session.id, c.req.param("id"))) ? c.json({ ok: true }) : c.json({ error: "no such run" }, 404),
  );

  // ---- sharing ----
  app.post("/api/share", async (c) => {
    if (!shareOn) return c.json({ error: "sharing is turned off on this notebook" }, 403);
    const snapshot = redactJSON(c.var.notebook.runtime.config, c.var.notebook.secrets);
    const id = createHmac("sha256", await store.secret())
      .update(JSON.stringify(snapshot))
      .digest("base64url")
      .slice(0, 32);
    await store.putSnapshot(id, { config: snapshot, createdAt: Date.now(), fileName });
    metrics.shares.inc();
    return c.json({ id, url: `${publicOrigin(c)}${basePath}/s/${id}/` });
  });

  const notebookRoutes = createNotebookRoutes({ assets });
  const snapshots = new Hono<HostedEnv>();
  snapshots.use("*", async (c, next) => {
    const snap = await store.getSnapshot(c.req.param("sid") ?? "");
    if (!snap) return c.json({ error: "no such shared notebook (the link is wrong, or the owner deleted it)" }, 404);
    const limited = await rateLimited(c, `ip:${c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? "direct"}`);
    if (limited) return limited;
    c.set("notebook", notebookContext(snap.config, [], undefined));
    return next();
  });
  snapshots.get("/api/state", async (c) => state(c, await sessions.find(c), "snapshot", c.req.param("sid")));
  snapshots.post("/api/copy", async (c) => {
    const s = await sessions.findOrCreate(c);
    const refused = await saveOrRefuse(c, s, c.var.notebook.runtime.config, "copied");
    if (refused) return refused;
    return c.json({ location: `${basePath}/` });
  });
  snapshots.route("/", notebookRoutes as unknown as Hono<HostedEnv>);
  app.get("/s/:sid", (c) => c.redirect(`${basePath}/s/${encodeURIComponent(c.req.param("sid"))}/`, 301));
  app.route("/s/:sid", snapshots);

  // ---- the web component another app renders (<aiconfig-notebook src=".../">), when built ----
  app.get("/aiconfig-notebook.js", (c) => {
    const script = elementScript();
    if (!script) return c.json({ error: "the <aiconfig-notebook> component is not built: run `npm run build` in the repository" }, 404);
    return c.body(script as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
    });
  });

  // ---- the page ----
  app.use("/assets/*", async (c, next) => {
    c.set("notebook", notebookContext(original, [], undefined));
    return next();
  });
  app.route("/", notebookRoutes as unknown as Hono<HostedEnv>);

  const root: Hono = basePath ? new Hono().route(basePath, app) : (app as unknown as Hono);
  if (basePath) root.get(basePath, (c) => c.redirect(`${basePath}/`, 302));
  return {
    fetch: (request: Request) => root.fetch(request),
    app: root,
    store,
    metrics,
    original,
    sweep: sweepAll,
    async close() {
      clearInterval(sweep);
      runs.cancelAll();
    },
  };
}
