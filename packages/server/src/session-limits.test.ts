// Per-session limits and the local model's queue, each written as the abuse it stops.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Provider } from "@aiconfig-ts/core";
import type { RunEvent } from "@aiconfig-ts/editor";
import { LocalModelBusyError, LocalModelQueue } from "./local-model-queue.js";
import { OWNER_CONFIG, startTestNotebook, testConfig, testRegistry } from "./server.test.helper.js";

const slow = (name: string, delay = 60) =>
  testConfig([{ name, input: "one two three four five", metadata: { model: { name: "slow-echo", settings: { delay_ms: delay } } } }]);

describe("per-session limits", () => {
  test("a visitor flooding requests gets 429 past the per-minute limit, and another visitor is not slowed", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { limits: { requestsPerMinute: 5 } });
    try {
      const a = t.visitor();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await a.call("/api/state")).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      assert.equal((await t.visitor().call("/api/state")).status, 200);
    } finally {
      await t.close();
    }
  });

  test("a body larger than the limit is refused with 413 before it is read", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { limits: { bodyBytes: 2000 } });
    try {
      const a = t.visitor();
      await a.state();
      const res = await a.call("/api/attachments", {
        json: { name: "big.bin", mimeType: "application/octet-stream", base64: "A".repeat(5000) },
      });
      assert.equal(res.status, 413);
    } finally {
      await t.close();
    }
  });

  test("a notebook larger than a session keeps is not stored (413)", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { limits: { sessionBytes: 1500 } });
    try {
      const a = t.visitor();
      const config = (await a.state()).config;
      const big = { ...config, description: "x".repeat(3000) };
      const res = await a.call("/api/save", { json: { config: big, baseVersion: "session" } });
      assert.equal(res.status, 413);
      assert.match(((await res.json()) as { error: string }).error, /more than a session keeps/);
    } finally {
      await t.close();
    }
  });

  test("a second run while one is going is refused past the concurrent-run limit", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { limits: { concurrentRuns: 1 } });
    try {
      const a = t.visitor();
      await a.state();
      const first = await a.call("/api/runs", { json: { config: slow("p"), mode: "one", prompt: "p" } });
      assert.equal(first.status, 200);
      const second = await a.call("/api/runs", { json: { config: slow("p"), mode: "one", prompt: "p" } });
      assert.equal(second.status, 429);
      assert.match(((await second.json()) as { error: string }).error, /already has 1 runs going/);
      await a.events(((await first.json()) as { runId: string }).runId);
    } finally {
      await t.close();
    }
  });

  test("an output larger than the limit is not kept: the prompt ends with an error", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { limits: { outputBytes: 40 } });
    try {
      const a = t.visitor();
      await a.state();
      const config = testConfig([{ name: "p", input: "word ".repeat(100), metadata: { model: "echo" } }]);
      const events = await a.run({ config, mode: "one", prompt: "p" });
      assert.ok(!events.some((e) => e.type === "outputs"));
      assert.ok(events.some((e) => e.type === "error" || e.type === "cancelled"));
      assert.equal((await a.state()).config.prompts[0]!.outputs, undefined, "nothing stored");
    } finally {
      await t.close();
    }
  });
});

describe("the local model's queue", () => {
  test("one run at a time; the next waits with its position; past the line's length a run is refused as busy", async () => {
    const queue = new LocalModelQueue({ maxWaiting: 1 });
    let release!: () => void;
    const first = queue.run(
      () => new Promise<string>((r) => (release = () => r("first"))),
      () => {},
    );
    const positions: number[] = [];
    const second = queue.run(
      async () => "second",
      (p) => positions.push(p),
    );
    await assert.rejects(
      queue.run(
        async () => "third",
        () => {},
      ),
      (e: unknown) => e instanceof LocalModelBusyError && /busy: 1 runs are waiting/.test(e.message),
    );
    release();
    assert.deepEqual(await Promise.all([first, second]), ["first", "second"]);
    assert.deepEqual(positions, [1]);
  });

  test("a wait longer than the bound ends with 'busy', and the waiting run never starts", async () => {
    const queue = new LocalModelQueue({ maxWaitMs: 50 });
    let release!: () => void;
    const first = queue.run(
      () => new Promise<void>((r) => (release = r)),
      () => {},
    );
    let started = false;
    await assert.rejects(
      queue.run(
        async () => {
          started = true;
        },
        () => {},
      ),
      /stayed busy for 0 s/,
    );
    release();
    await first;
    assert.equal(started, false);
  });

  test("visitors' runs on an offline provider go through the queue: the second visitor is told 'busy, position 1'", async () => {
    const registry = await testRegistry();
    const echo = registry.find("slow-echo") as Provider;
    registry.register(
      { ...echo, id: "local-echo", capabilities: { tasks: ["text-generation"], streams: true, chat: false, offline: true } },
      ["local-echo"],
    );
    const t = await startTestNotebook(OWNER_CONFIG, { registry, localQueue: { maxWaiting: 1 } });
    try {
      const config = testConfig([
        { name: "p", input: "a b c d e", metadata: { model: { name: "local-echo", settings: { delay_ms: 150 } } } },
      ]);
      const [a, b, c] = [t.visitor(), t.visitor(), t.visitor()];
      for (const v of [a, b, c]) await v.state();
      const ra = (await (await a.call("/api/runs", { json: { config, mode: "one", prompt: "p" } })).json()) as { runId: string };
      const rb = (await (await b.call("/api/runs", { json: { config, mode: "one", prompt: "p" } })).json()) as { runId: string };
      const refused = await c.call("/api/runs", { json: { config, mode: "one", prompt: "p" } });
      assert.equal(refused.status, 503);
      assert.match(((await refused.json()) as { error: string }).error, /the local model is busy, position 2/);
      const [ea, eb] = await Promise.all([a.events(ra.runId), b.events(rb.runId)]);
      assert.ok(!ea.some((e) => e.type === "waiting"));
      assert.deepEqual(
        eb.filter((e): e is Extract<RunEvent, { type: "waiting" }> => e.type === "waiting").map((e) => e.position),
        [1],
      );
      const endA = ea.find((e) => e.type === "outputs");
      const startB = eb.findIndex((e) => e.type === "start");
      assert.ok(endA && startB > 0, "both ran, B after waiting");
    } finally {
      await t.close();
    }
  });
});
