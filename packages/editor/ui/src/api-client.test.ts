import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AIConfig, ProviderRegistry } from "@aiconfig-ts/core";
import { Hono } from "hono";
import type { RunEvent } from "../../src/api-types.js";
import { createMemoryNotebook } from "../../src/server/memory-notebook.js";
import type { NotebookContext, NotebookEnv } from "../../src/server/notebook-context.js";
import { provideNotebook } from "../../src/server/notebook-middleware.js";
import { createNotebookApiRoutes } from "../../src/server/notebook-api-routes.js";
import { register as registerTestProviders } from "../../src/testdata/aiconfig.providers.mjs";
import { ApiError, EditorApi, IN_PAGE_BACKEND_URL } from "./api-client.js";

/** A memory notebook over the test providers (echo, slow-echo, fail-model). */
function notebook(config: AIConfig): NotebookContext {
  const registry = new ProviderRegistry();
  registerTestProviders(registry);
  return createMemoryNotebook({ config, registry, fileName: "page.aiconfig.json" });
}

/** The editor's routes answering in the process through `app.fetch`, as a page runs them: no server, no port. */
function inPageApi(config: AIConfig): { api: EditorApi; nb: NotebookContext } {
  const nb = notebook(config);
  const app = new Hono<NotebookEnv>();
  app.use("*", provideNotebook(nb));
  app.route("/", createNotebookApiRoutes());
  return { api: new EditorApi(IN_PAGE_BACKEND_URL, { fetch: (request) => Promise.resolve(app.fetch(request)) }), nb };
}

const config: AIConfig = {
  name: "in-page",
  schema_version: "latest",
  metadata: { parameters: { who: "page" } },
  prompts: [
    { name: "greet", input: "Hello {{who}}", metadata: { model: "echo" } },
    { name: "slow", input: "one two three four five six seven eight nine ten", metadata: { model: "slow-echo" } },
  ],
};

function follow(api: EditorApi, runId: string, onEvent?: (e: RunEvent, events: RunEvent[]) => void) {
  return new Promise<{ events: RunEvent[]; lost: boolean }>((resolve) => {
    const events: RunEvent[] = [];
    api.followRun(
      runId,
      (e) => {
        events.push(e);
        onEvent?.(e, events);
        if (e.type === "done") resolve({ events, lost: false });
      },
      () => resolve({ events, lost: true }),
    );
  });
}

describe("EditorApi over an in-page fetch function (no network server)", () => {
  test("loads the state, saves, and refuses a stale save with the routes' conflict answer", async () => {
    const { api, nb } = inPageApi(config);
    const state = await api.state();
    assert.equal(state.config.prompts[0]?.name, "greet");
    const saved = await api.save({ ...state.config, name: "renamed" }, state.version);
    assert.equal(nb.runtime.config.name, "renamed");
    assert.notEqual(saved.version, state.version);
    await assert.rejects(
      api.save(state.config, state.version),
      (e: unknown) => e instanceof ApiError && e.status === 409 && e.body?.conflict === true,
    );
    assert.equal(api.inPage, true);
    assert.equal(await api.health(), true);
  });

  test("a run's events are read from the streamed response body until done", async () => {
    const { api } = inPageApi(config);
    const { runId } = await api.startRun({ config, mode: "one", prompt: "greet" });
    const { events, lost } = await follow(api, runId);
    assert.equal(lost, false);
    const streamed = events.flatMap((e) => (e.type === "delta" ? [e.delta] : []));
    assert.ok(streamed.length >= 1, `expected stream events, got ${JSON.stringify(events.map((e) => e.type))}`);
    assert.equal(streamed.join(""), "Hello page");
    const outputs = events.find((e) => e.type === "outputs");
    assert.equal(outputs?.type === "outputs" ? outputs.outputs[0]?.data : undefined, "Hello page");
    assert.equal(events.at(-1)?.type, "done");
  });

  test("cancelling mid-stream through the same fetch ends the run with a cancelled prompt", async () => {
    const { api } = inPageApi(config);
    const { runId } = await api.startRun({ config, mode: "one", prompt: "slow" });
    let cancelled = false;
    const { events, lost } = await follow(api, runId, (e) => {
      if (e.type === "delta" && !cancelled) {
        cancelled = true;
        void api.cancelRun(runId, "slow");
      }
    });
    assert.equal(lost, false);
    assert.ok(cancelled);
    assert.ok(
      events.some((e) => e.type === "cancelled" && e.prompt === "slow"),
      JSON.stringify(events.map((e) => e.type)),
    );
    assert.ok(events.filter((e) => e.type === "delta").length < 10, "the stream stopped before the last word");
  });

  test("following a run the routes do not know is reported as lost, not thrown", async () => {
    const { api } = inPageApi(config);
    const { events, lost } = await follow(api, "no-such-run");
    assert.equal(lost, true);
    assert.deepEqual(events, []);
  });
});
