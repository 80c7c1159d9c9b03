import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ProviderRegistry } from "@aiconfig-ts/core";
import { Hono } from "hono";
import type { RunEvent } from "./api-types.js";
import { type NotebookContext, type NotebookEnv, notebookError } from "./server/notebook-context.js";
import { provideNotebook } from "./server/notebook-middleware.js";
import { createNotebookRoutes, notebookSecureHeaders } from "./server/notebook-routes.js";
import { RunRegistry } from "./server/run-registry.js";
import { type TestEditor, startTestEditor, testConfig } from "./server.test.helper.js";

/**
 * A notebook held in memory (constructed for these tests, as a hosted
 * session would hold one): no file, attachments refused, runs on a registry
 * with the test providers.
 */
function memoryNotebook(config: AIConfig, registry: ProviderRegistry, readOnly = false): NotebookContext {
  const runtime = new AIConfigRuntime(structuredClone(config), { registry });
  let version = 1;
  return {
    runtime,
    fileName: "session.aiconfig.json",
    format: "json",
    readOnly,
    secrets: ["sk-session-secret-0123"],
    runs: new RunRegistry(),
    version: () => String(version),
    runtimeFor: (doc) => new AIConfigRuntime(doc, { registry }),
    save(doc, { baseVersion, force }) {
      if (baseVersion !== String(version) && !force) throw notebookError(409, "changed in another tab", { conflict: true });
      runtime.config = doc;
      version += 1;
      return { version: String(version) };
    },
  };
}

const editors: TestEditor[] = [];
after(async () => {
  for (const e of editors) await e.close();
});

async function testRegistry(): Promise<ProviderRegistry> {
  // the test providers module (echo, slow-echo, fail-model) registers into a registry of our own
  const e = await startTestEditor(testConfig([]));
  editors.push(e);
  return e.runtime.registry;
}

async function readEvents(res: Response): Promise<RunEvent[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .map((b) => b.replace(/^data: ?/m, ""))
    .filter((d) => d.trim() !== "")
    .map((d) => JSON.parse(d) as RunEvent);
}

describe("the notebook's routes over a context per request", () => {
  test("two visitors' sessions mounted on the same routes each see, save and run their own document", async () => {
    const registry = await testRegistry();
    const owner = testConfig([{ name: "greet", input: "Hello {{who}}", metadata: { model: "echo", parameters: { who: "owner" } } }]);
    const sessions = new Map([
      ["a", memoryNotebook(owner, registry)],
      ["b", memoryNotebook(owner, registry)],
    ]);
    const app = new Hono<NotebookEnv>();
    app.use(
      "*",
      provideNotebook((c) => {
        const s = sessions.get(c.req.header("x-session") ?? "");
        if (!s) throw notebookError(401, "no session");
        return s;
      }),
    );
    app.route("/notebook", createNotebookRoutes({ assets: null }));
    const call = (session: string, path: string, json?: unknown) =>
      app.request(`/notebook${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers: { "x-session": session, "content-type": "application/json" },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });

    const stateA = (await (await call("a", "/api/state")).json()) as { config: AIConfig; version: string; fileName: string };
    assert.equal(stateA.fileName, "session.aiconfig.json");
    const edited: AIConfig = { ...stateA.config, prompts: [{ ...stateA.config.prompts[0]!, input: "Bonjour {{who}}" }] };
    assert.equal((await call("a", "/api/save", { config: edited, baseVersion: stateA.version })).status, 200);
    const stale = await call("a", "/api/save", { config: edited, baseVersion: stateA.version });
    assert.equal(stale.status, 409);
    assert.deepEqual(await stale.json(), { error: "changed in another tab", conflict: true });
    const stateB = (await (await call("b", "/api/state")).json()) as { config: AIConfig };
    assert.equal(stateB.config.prompts[0]!.input, "Hello {{who}}", "B does not see A's edit");

    const started = await call("a", "/api/runs", { config: edited, mode: "one", prompt: "greet" });
    const { runId } = (await started.json()) as { runId: string };
    assert.equal((await call("b", `/api/runs/${runId}/events`)).status, 404, "B cannot follow A's run");
    const events = await readEvents(await call("a", `/api/runs/${runId}/events`));
    const outputs = events.find((e) => e.type === "outputs") as Extract<RunEvent, { type: "outputs" }>;
    assert.match(JSON.stringify(outputs.outputs), /Bonjour owner/);

    assert.equal((await call("a", "/api/disk")).status, 404, "a session has no file to reload");
    const upload = await call("a", "/api/attachments", { name: "x.png", mimeType: "image/png", base64: "AAAA" });
    assert.equal(upload.status, 404);
    assert.match(((await upload.json()) as { error: string }).error, /inline/);
    assert.equal((await call("nobody", "/api/state")).status, 401);
  });

  test("a read-only session refuses saving, running and uploads before reading the body", async () => {
    const registry = await testRegistry();
    const app = new Hono<NotebookEnv>();
    app.use("*", provideNotebook(memoryNotebook(testConfig([]), registry, true)));
    app.route("/", createNotebookRoutes({ assets: null }));
    for (const path of ["/api/save", "/api/runs", "/api/attachments"]) {
      const res = await app.request(path, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
      assert.equal(res.status, 403, path);
      assert.match(((await res.json()) as { error: string }).error, /read-only/);
    }
  });

  test("a 100,000-deep JSON body to save, export, serialize or run is a 400 JSON error, not a stack overflow", async () => {
    const registry = await testRegistry();
    const nb = memoryNotebook(testConfig([]), registry);
    const app = new Hono<NotebookEnv>();
    app.use("*", provideNotebook(nb));
    app.route("/", createNotebookRoutes({ assets: null }));
    const deep = `{"config": ${"[".repeat(100_000)}${"]".repeat(100_000)}, "baseVersion": "1", "format": "json", "mode": "all"}`;
    for (const path of ["/api/save", "/api/export", "/api/serialize", "/api/runs"]) {
      const res = await app.request(path, { method: "POST", body: deep, headers: { "content-type": "application/json" } });
      assert.equal(res.status, 400, path);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      assert.match(((await res.json()) as { error: string }).error, /nests deeper than 256 levels/);
    }
    assert.equal(nb.version(), "1", "nothing saved");
  });

  test("security headers: a strict CSP on every answer, framing only by the notebook itself unless origins are allowed", async () => {
    const registry = await testRegistry();
    const make = (frameAncestors?: string[]) => {
      const app = new Hono<NotebookEnv>();
      app.use(
        "*",
        notebookSecureHeaders(frameAncestors ? { frameAncestors } : {}),
        provideNotebook(memoryNotebook(testConfig([]), registry)),
      );
      app.route("/", createNotebookRoutes({ assets: null }));
      return app;
    };
    const res = await make().request("/api/state");
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'self'(;|$)/);
    assert.equal(res.headers.get("x-frame-options"), "SAMEORIGIN");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("cache-control"), "no-store");
    const embeddable = await make(["https://site.example"]).request("/api/state");
    assert.match(embeddable.headers.get("content-security-policy") ?? "", /frame-ancestors 'self' https:\/\/site\.example/);
    assert.equal(embeddable.headers.get("x-frame-options"), null);
  });
});
