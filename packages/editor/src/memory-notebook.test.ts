import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type AIConfig, AIConfigRuntime, ProviderRegistry, type ResolveContext, type ResolvedAttachment } from "@aiconfig-ts/core";
import { fixture } from "@aiconfig-ts/testing";
import { Hono } from "hono";
import type { EditorState, RunEvent } from "./api-types.js";
import { createMemoryNotebook, type MemoryNotebookOptions } from "./server/memory-notebook.js";
import { createNotebookApiRoutes } from "./server/notebook-api-routes.js";
import type { NotebookEnv, NotebookFile } from "./server/notebook-context.js";
import { provideNotebook } from "./server/notebook-middleware.js";
import { register as registerTestProviders } from "./testdata/aiconfig.providers.mjs";
import { testConfig } from "./server.test.helper.js";

function mounted(config: AIConfig, options: Partial<MemoryNotebookOptions> = {}) {
  const registry = new ProviderRegistry();
  registerTestProviders(registry);
  const nb = createMemoryNotebook({ config, registry, ...options });
  const app = new Hono<NotebookEnv>().use("*", provideNotebook(nb)).route("/", createNotebookApiRoutes());
  const call = async (path: string, json?: unknown) =>
    app.request(
      path,
      json === undefined ? {} : { method: "POST", body: JSON.stringify(json), headers: { "content-type": "application/json" } },
    );
  return { nb, call };
}

async function events(res: Response): Promise<RunEvent[]> {
  return (await res.text())
    .split("\n\n")
    .map((b) => b.replace(/^data: ?/m, ""))
    .filter((d) => d.trim() !== "")
    .map((d) => JSON.parse(d) as RunEvent);
}

const doc = testConfig([{ name: "greet", input: "Hello {{who}}", metadata: { model: "echo", parameters: { who: "page" } } }]);

describe("a notebook held in memory (no disk, no server)", () => {
  test("a save replaces the document, tells the page, and a stale save is a conflict", async () => {
    const saved: AIConfig[] = [];
    const texts: string[] = [];
    const { nb, call } = mounted(doc, {
      onSave: (c, text) => {
        saved.push(c);
        texts.push(text);
      },
    });
    const state = (await (await call("/api/state")).json()) as EditorState;
    assert.equal(state.fileName, "notebook.aiconfig.json");
    const edited = { ...state.config, name: "edited" };
    const ok = await call("/api/save", { config: edited, baseVersion: state.version, force: false });
    assert.equal(ok.status, 200);
    assert.equal(nb.config.name, "edited");
    assert.deepEqual(
      saved.map((c) => c.name),
      ["edited"],
    );
    // the text the page keeps or downloads loads back as the saved document
    assert.deepEqual(AIConfigRuntime.loadJSON(texts[0]!).config, edited);
    const stale = await call("/api/save", { config: state.config, baseVersion: state.version, force: false });
    assert.equal(stale.status, 409);
    assert.equal(((await stale.json()) as { conflict?: boolean }).conflict, true);
    assert.equal(nb.config.name, "edited");
  });

  test("the caller's document object is copied, not shared", () => {
    const config = structuredClone(doc);
    const { nb } = mounted(config);
    config.prompts[0]!.input = "changed outside";
    assert.equal(nb.config.prompts[0]!.input, "Hello {{who}}");
  });

  test("an attachment naming a file is refused before the run; a base64 one runs", async () => {
    const withFile = testConfig([
      {
        name: "look",
        input: { data: "see", attachments: [{ data: { kind: "file_uri", value: "../secret.png" }, mime_type: "image/png" }] },
        metadata: { model: "echo" },
      },
    ]);
    const { call } = mounted(withFile);
    const refused = await call("/api/runs", { config: withFile, mode: "one", prompt: "look" });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: string }).error, /names the file \.\.\/secret\.png: this notebook has no files/);
    const inline = testConfig([
      {
        name: "look",
        input: { data: "see", attachments: [{ data: { kind: "base64", value: "iVBORw0KGgo=" }, mime_type: "image/png" }] },
        metadata: { model: "echo" },
      },
    ]);
    const started = await call("/api/runs", { config: inline, mode: "one", prompt: "look" });
    assert.equal(started.status, 200);
  });

  test("with readFile, a run reads the files the document names (attachments, a stored output) while the saved document keeps the references; /api/files serves them; an unreadable file fails the run in one line", async () => {
    const png = new Uint8Array(readFileSync(fixture("huggingface", "cheetah.png")));
    const reads: string[] = [];
    const readFile = async (path: string): Promise<NotebookFile> => {
      reads.push(path);
      if (path !== "media/cheetah.png") throw new Error(`${path} could not be loaded from the site (404)`);
      return { body: png, type: "image/png" };
    };
    // Constructed: a provider that answers with the size and SHA-256 of each attachment's bytes, as it received them.
    const digest = {
      id: "digest",
      resolve: (ctx: ResolveContext) => ({ attachments: ctx.input.attachments }),
      async run(request: { attachments: ResolvedAttachment[] }) {
        const lines = await Promise.all(
          request.attachments.map(async (a) => {
            const bytes = await a.bytes();
            return `${bytes.length} ${createHash("sha256").update(bytes).digest("hex")}`;
          }),
        );
        return [{ output_type: "execute_result" as const, execution_count: 0, data: lines.join("\n") }];
      },
    };
    const registry = new ProviderRegistry();
    registry.register(digest, ["digest"]);
    const file = { data: { kind: "file_uri", value: "media/cheetah.png" }, mime_type: "image/png" };
    const config = testConfig([
      {
        name: "look",
        input: { data: "see", attachments: [file, file] },
        metadata: { model: "digest" },
        outputs: [
          {
            output_type: "execute_result",
            execution_count: 0,
            data: { kind: "file_uri", value: "media/cheetah.png" },
            mime_type: "image/png",
          },
        ],
      },
    ]);
    const nb = createMemoryNotebook({ config, registry, readFile });
    const app = new Hono<NotebookEnv>().use("*", provideNotebook(nb)).route("/", createNotebookApiRoutes());
    const post = (path: string, json: unknown) =>
      app.request(path, { method: "POST", body: JSON.stringify(json), headers: { "content-type": "application/json" } });

    const started = await post("/api/runs", { config, mode: "one", prompt: "look" });
    assert.equal(started.status, 200);
    const { runId } = (await started.json()) as { runId: string };
    const all = await events(await app.request(`/api/runs/${runId}/events`));
    const expected = `${png.length} ${createHash("sha256").update(png).digest("hex")}`;
    assert.match(JSON.stringify(all), new RegExp(`${expected}\\\\n${expected}`), "both attachments carried the file's bytes");
    assert.deepEqual(reads, ["media/cheetah.png"], "each file read once per run");
    assert.deepEqual(
      (nb.config.prompts[0]!.input as { attachments: unknown[] }).attachments,
      [file, file],
      "the document keeps the references",
    );
    assert.deepEqual(nb.config.prompts[0]!.outputs![0]!, config.prompts[0]!.outputs![0]);

    const served = await app.request("/api/files?path=media/cheetah.png");
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), png);
    const absent = await app.request("/api/files?path=gone.png");
    assert.equal(absent.status, 404);
    assert.match(((await absent.json()) as { error: string }).error, /^gone\.png could not be loaded from the site \(404\)$/);

    // like a file naming a file, any prompt's unreadable file refuses the run before it starts
    const withMissing = structuredClone(config);
    withMissing.prompts.push({
      name: "missing",
      input: { data: "see", attachments: [{ ...file, data: { kind: "file_uri", value: "gone.png" } }] },
      metadata: { model: "digest" },
    });
    const refused = await post("/api/runs", { config: withMissing, mode: "one", prompt: "look" });
    assert.equal(refused.status, 400);
    assert.equal(
      ((await refused.json()) as { error: string }).error,
      'not run: prompt "missing", attachment 1: gone.png could not be loaded from the site (404)',
    );
  });

  test("there are no files to read or write: /api/files and uploads answer 404 in one line", async () => {
    const { call } = mounted(doc);
    const read = await call("/api/files?path=notebook.aiconfig.json");
    assert.equal(read.status, 404);
    const upload = await call("/api/attachments", { name: "a.png", mimeType: "image/png", base64: "iVBORw0KGgo=" });
    assert.equal(upload.status, 404);
    assert.match(((await upload.json()) as { error: string }).error, /inline/);
    const exported = await call("/api/export", { config: doc });
    assert.equal(exported.status, 404);
  });

  test("a read-only memory notebook refuses saves and runs", async () => {
    const { call } = mounted(doc, { readOnly: true });
    assert.equal((await call("/api/save", { config: doc, baseVersion: "1", force: false })).status, 403);
    assert.equal((await call("/api/runs", { config: doc, mode: "one", prompt: "greet" })).status, 403);
  });

  test("runs read the page's current environment, and its keys are redacted from what the page receives", async () => {
    let keys: Record<string, string> = {};
    const leaky = testConfig([{ name: "leak", input: "key is {{k}}", metadata: { model: "echo", parameters: { k: "none" } } }]);
    const { nb, call } = mounted(leaky, { environment: () => keys });
    assert.equal(nb.hasCredential?.("TEST_API_KEY"), false);
    keys = { TEST_API_KEY: "sk-visitor-typed-0123456789" };
    assert.equal(nb.hasCredential?.("TEST_API_KEY"), true);
    const config = structuredClone(leaky);
    config.prompts[0]!.metadata!.parameters = { k: "sk-visitor-typed-0123456789" };
    const { runId } = (await (await call("/api/runs", { config, mode: "one", prompt: "leak" })).json()) as { runId: string };
    const all = JSON.stringify(await events(await call(`/api/runs/${runId}/events`)));
    assert.ok(!all.includes("sk-visitor-typed-0123456789"), all);
    assert.match(all, /key is \[redacted\]/);
  });
});

describe("attack: a notebook opened in a page names where the visitor's key goes", () => {
  test("a base_url set in the file never receives the key the page supplied: the run is refused before any request", async () => {
    const { register: registerOpenAI } = await import("@aiconfig-ts/openai");
    const registry = new ProviderRegistry();
    registerOpenAI(registry);
    const evil = testConfig([
      { name: "ask", input: "hi", metadata: { model: { name: "gpt-4o-mini", settings: { base_url: "http://127.0.0.1:9/v1" } } } },
    ]);
    const nb = createMemoryNotebook({ config: evil, registry, environment: { OPENAI_API_KEY: "sk-visitor-typed-0123456789" } });
    const app = new Hono<NotebookEnv>().use("*", provideNotebook(nb)).route("/", createNotebookApiRoutes());
    const started = await app.request("/api/runs", {
      method: "POST",
      body: JSON.stringify({ config: evil, mode: "one", prompt: "ask" }),
      headers: { "content-type": "application/json" },
    });
    const { runId } = (await started.json()) as { runId: string };
    const all = await events(await app.request(`/api/runs/${runId}/events`));
    const failed = all.find((e) => e.type === "error");
    assert.ok(failed && failed.type === "error", JSON.stringify(all));
    assert.match(failed.message, /127\.0\.0\.1:9/);
    assert.match(failed.name, /EndpointNotAllowed/);
    assert.ok(!JSON.stringify(all).includes("sk-visitor-typed-0123456789"));
  });
});
