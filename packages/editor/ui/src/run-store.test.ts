import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunEvent } from "../../src/api-types";
import { RunStore, applyRunEvent } from "./run-store";

const ids: Record<string, string> = { story: "c1", summary: "c2" };
const ctx = { runId: "r1", idOf: (name: string) => ids[name], now: 1000 };

/** Applies events to a store the way the page does; returns the store and the outputs stored per cell. */
function play(events: RunEvent[]) {
  const store = new RunStore();
  const stored = new Map<string, unknown>();
  const messages: string[] = [];
  for (const event of events) {
    const effect = applyRunEvent(event, ctx);
    if (effect.outputs) stored.set(effect.outputs.id, effect.outputs.outputs);
    store.apply(effect);
    if (effect.message) messages.push(effect.message);
  }
  return { store, stored, messages };
}

test("a run's events move cells through queued, running and done, and store the outputs", () => {
  const outputs = [{ output_type: "execute_result" as const, data: "Once upon a time" }];
  const { store, stored } = play([
    { type: "queued", prompts: ["story", "summary"] },
    { type: "start", prompt: "story" },
    { type: "delta", prompt: "story", index: 0, delta: "Once " },
    { type: "outputs", prompt: "story", outputs, durationMs: 42 },
  ]);
  assert.deepEqual(
    { status: store.get("c1").status, durationMs: store.get("c1").durationMs, streamed: store.get("c1").streamed },
    { status: "done", durationMs: 42, streamed: [] },
  );
  assert.equal(store.get("c2").status, "queued");
  assert.equal(store.get("c2").runId, "r1");
  assert.deepEqual(stored.get("c1"), outputs);
});

test("a cancelled streaming run keeps its streamed text, marked cancelled, and stores no outputs", () => {
  const { store, stored } = play([
    { type: "start", prompt: "story" },
    { type: "delta", prompt: "story", index: 0, delta: "Once upon" },
    { type: "delta", prompt: "story", index: 0, delta: " a time" },
    { type: "cancelled", prompt: "story" },
  ]);
  assert.equal(store.get("c1").status, "cancelled");
  assert.deepEqual(store.get("c1").streamed, ["Once upon a time"]);
  assert.equal(stored.size, 0);
});

test("an error keeps its kind (for the fix it offers) and a skipped cell its reason; a run that started nothing gives a page message", () => {
  const { store, messages } = play([
    { type: "start", prompt: "summary" },
    { type: "error", prompt: "summary", name: "MissingOutputError", message: "run story first", durationMs: 3 },
    { type: "skipped", prompt: "story", reason: "not run: summary failed" },
    { type: "done", ok: false, error: "no provider" },
  ]);
  assert.equal(store.get("c2").status, "error");
  assert.equal(store.get("c2").errorName, "MissingOutputError");
  assert.equal(store.get("c2").message, "MissingOutputError: run story first");
  assert.equal(store.get("c1").message, "not run: summary failed");
  assert.deepEqual(messages, ["not run: no provider"]);
});

test("events of prompts the page does not know change nothing", () => {
  assert.deepEqual(applyRunEvent({ type: "start", prompt: "renamed" }, ctx), { cells: [] });
});
