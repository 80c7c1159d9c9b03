/**
 * Test support for the hosted notebook: an owner's file in a new folder, a
 * notebook app on it (folder store beside the file, or a given store), and
 * visitors: cookie jars that call the app as a browser on the same origin
 * would (Origin header, JSON bodies) and follow runs over SSE.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AIConfig, ProviderRegistry, defaultRegistry } from "@aiconfig-ts/core";
import { type RunEvent, loadProvidersModule } from "@aiconfig-ts/editor";
import { after, before } from "node:test";
import { repoRoot, startRedisServer } from "@aiconfig-ts/testing";
import { type NotebookApp, type NotebookAppOptions, createNotebookApp } from "./create-notebook-app.js";
import { FolderStore } from "./folder-store.js";

/** The editor's test providers module (echo, slow-echo, fail-model, burst): no network. */
export const TEST_PROVIDERS_MODULE = join(repoRoot, "packages", "editor", "src", "testdata", "aiconfig.providers.mjs");

/** A new temporary folder. */
export function tempDir(prefix = "aiconfig-serve-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A notebook with the given prompts. */
export function testConfig(prompts: AIConfig["prompts"], extra: Partial<AIConfig> = {}): AIConfig {
  return { name: "owner notebook", schema_version: "latest", metadata: { parameters: {} }, prompts, ...extra };
}

/** The owner's two-prompt notebook on the echo provider (constructed). */
export const OWNER_CONFIG = testConfig([
  { name: "greet", input: "Hello {{who}}", metadata: { model: "echo", parameters: { who: "world" } } },
  { name: "again", input: "{{greet.output}} again", metadata: { model: "echo" } },
]);

/** A registry with the test providers, and optionally the local model and OpenAI. */
export async function testRegistry(options: { llama?: boolean; openai?: boolean } = {}): Promise<ProviderRegistry> {
  const registry = new ProviderRegistry(defaultRegistry);
  if (options.openai) (await import("@aiconfig-ts/openai")).register(registry);
  if (options.llama) (await import("@aiconfig-ts/llama")).register(registry);
  await loadProvidersModule(TEST_PROVIDERS_MODULE, registry);
  return registry;
}

/** A notebook app for a test. */
export interface TestNotebook {
  dir: string;
  file: string;
  notebook: NotebookApp;
  /** A new visitor (own cookie jar). */
  visitor(): Visitor;
  close(): Promise<void>;
}

/** The origin tests call from. */
export const TEST_ORIGIN = "http://notebook.test";

/** Starts a notebook app (not listening: called through `fetch`) on an owner's file (`files`: written beside it first). */
export async function startTestNotebook(
  config: AIConfig = OWNER_CONFIG,
  options: Partial<NotebookAppOptions> & { llama?: boolean; openai?: boolean; files?: Record<string, Buffer> } = {},
): Promise<TestNotebook> {
  const dir = tempDir();
  const file = join(dir, "owner.aiconfig.json");
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  for (const [name, bytes] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), bytes);
  const store = options.store ?? new FolderStore(join(dir, ".aiconfig-serve"));
  // OpenAI is there by default so that the keys panel offers a key, as on a real server
  const registry = options.registry ?? (await testRegistry({ llama: options.llama, openai: options.openai ?? true }));
  const notebook = await createNotebookApp({ file, registry, ownerEnv: {}, assets: null, ...options, store });
  return {
    dir,
    file,
    notebook,
    visitor: () => new Visitor((r) => notebook.fetch(r), TEST_ORIGIN),
    close: async () => {
      await notebook.close();
      await store.close();
    },
  };
}

/** A browser-like client: keeps cookies, sends its Origin on every request. */
export class Visitor {
  constructor(
    readonly fetcher: (r: Request) => Response | Promise<Response>,
    readonly origin: string,
    readonly basePath = "",
    /** The cookie jar (shared by two Visitors that are one browser calling two servers). */
    readonly cookies = new Map<string, string>(),
  ) {}

  /** Calls a path (relative to the base path) with a JSON body when `json` is given. */
  async call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has("origin")) headers.set("origin", this.origin);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const method = init.method ?? (body !== undefined && body !== null ? "POST" : "GET");
    const res = await this.fetcher(new Request(`${this.origin}${this.basePath}${path}`, { method, headers, body }));
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  }

  /** `GET /api/state` (creates the session). */
  async state(): Promise<{
    config: AIConfig;
    hosted: { keys: { env: string; set: boolean }[] };
    providers: { id: string; keySet?: boolean }[];
  }> {
    const res = await this.call("/api/state");
    if (!res.ok) throw new Error(`state: ${res.status} ${await res.text()}`);
    return (await res.json()) as never;
  }

  /** Starts a run and collects its events until `done`. */
  async run(body: unknown): Promise<RunEvent[]> {
    const started = await this.call("/api/runs", { json: body });
    if (!started.ok) throw new Error(`run refused: ${started.status} ${await started.text()}`);
    const { runId } = (await started.json()) as { runId: string };
    return this.events(runId);
  }

  /** Follows a run's events until `done`. */
  async events(runId: string, onEvent?: (e: RunEvent) => void): Promise<RunEvent[]> {
    const res = await this.call(`/api/runs/${runId}/events`);
    if (!res.ok || !res.body) throw new Error(`events refused: ${res.status}`);
    const events: RunEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const data = buffer
          .slice(0, end)
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).replace(/^ /, ""))
          .join("\n");
        buffer = buffer.slice(end + 2);
        if (data) {
          const event = JSON.parse(data) as RunEvent;
          events.push(event);
          onEvent?.(event);
          if (event.type === "done") return events;
        }
        end = buffer.indexOf("\n\n");
      }
    }
    return events;
  }
}

/** A `aiconfig serve` process started from the CLI's sources. */
export interface ServeProcess {
  port: number;
  origin: string;
  /** What it printed on stderr. */
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `aiconfig serve FILE ARGS...` (port 0 is not allowed here: give `--port`), resolving when it listens. */
export async function startServeProcess(file: string, args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const { spawn } = await import("node:child_process");
  const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", bin, "serve", file, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start in 30 s: ${err}`)), 30_000);
    child.stderr!.on("data", () => {
      const m = /^\s+(http:\/\/\S+)$/m.exec(err);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`serve exited (${code}): ${err}`));
    });
  });
  const u = new URL(url);
  return {
    port: Number(u.port),
    origin: u.origin,
    stderr: () => err,
    kill: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

/**
 * For a `describe` run once per store: on `"redis"`, starts a real
 * redis-server before its tests and stops it after (none for `"folder"`).
 * Call inside the `describe`.
 * @returns `url`: the server's `redis://` address, `undefined` for the folder store
 */
export function redisForStore(kind: "folder" | "redis"): { readonly url: string | undefined } {
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  before(async () => {
    if (kind === "redis") redis = await startRedisServer();
  });
  after(async () => {
    await redis?.stop();
  });
  return {
    get url() {
      return redis?.url;
    },
  };
}
