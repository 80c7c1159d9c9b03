import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, ProviderRegistry } from "@aiconfig-ts/core";
import { Hono } from "hono";
import type { EditorState, RunEvent } from "./api-types.js";
import { createMemoryNotebook, type MemoryNotebookOptions } from "./server/memory-notebook.js";
import { createNotebookApiRoutes } from "./server/notebook-api-routes.js";
import type { NotebookEnv } from "./server/notebook-context.js";
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
