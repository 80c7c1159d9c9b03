// Two `aiconfig serve` processes on one real redis-server, as behind a load balancer.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type AIConfig, parseConfigText } from "@aiconfig-ts/core";
import type { RunEvent } from "@aiconfig-ts/editor";
import {
  OWNER_CONFIG,
  type ServeProcess,
  TEST_PROVIDERS_MODULE,
  Visitor,
  startServeProcess,
  tempDir,
  testConfig,
} from "./server.test.helper.js";
import { freePort, startRedisServer } from "@aiconfig-ts/testing";

/** One browser (one cookie jar) whose requests alternate between two servers. */
function alternating(a: ServeProcess, b: ServeProcess): { next(): Visitor; on(p: ServeProcess): Visitor } {
  const cookies = new Map<string, string>();
  const va = new Visitor(fetch, a.origin, "", cookies);
  const vb = new Visitor(fetch, b.origin, "", cookies);
  let i = 0;
  return { next: () => (i++ % 2 === 0 ? va : vb), on: (p) => (p === a ? va : vb) };
}

describe("two server processes on Redis", () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let file: string;
  let ownerBytes: Buffer;
  let a: ServeProcess;
  let b: ServeProcess;
  before(async () => {
    redis = await startRedisServer();
    const dir = tempDir();
    file = join(dir, "owner.aiconfig.json");
    writeFileSync(file, `${JSON.stringify(OWNER_CONFIG, null, 2)}\n`);
    ownerBytes = readFileSync(file);
    const args = async () => ["--port", String(await freePort()), "--store", redis.url, "--providers", TEST_PROVIDERS_MODULE];
    [a, b] = await Promise.all([startServeProcess(file, await args()), startServeProcess(file, await args())]);
  });
  after(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await redis?.stop();
    assert.deepEqual(readFileSync(file), ownerBytes, "the owner's file is byte-identical");
  });

  test("one visitor alternating between the processes loses nothing: edits, keys, runs, their events and outputs, shares", async () => {
    const v = alternating(a, b);
    const config = (await v.next().state()).config;
    assert.deepEqual(config, OWNER_CONFIG);
    const mine: AIConfig = {
      ...config,
      prompts: config.prompts.map((p, i) => (i === 0 ? { ...p, input: "Hi {{who}} via two servers" } : p)),
    };
    assert.equal((await v.next().call("/api/save", { json: { config: mine, baseVersion: "session" } })).status, 200);
    assert.equal((await v.next().state()).config.prompts[0]!.input, "Hi {{who}} via two servers");
    await v.next().call("/api/keys", { method: "PUT", json: { OPENAI_API_KEY: "sk-visitor-on-redis-0123456789" } });
    const keys = (await v.next().state()).hosted.keys;
    assert.deepEqual(
      keys.filter((k) => k.set).map((k) => k.env),
      ["OPENAI_API_KEY"],
      "the key set on one process is known to the other",
    );
    // the run starts on A; its events are followed from B
    const started = await v.on(a).call("/api/runs", { json: { config: mine, mode: "deps", prompt: "again" } });
    const { runId } = (await started.json()) as { runId: string };
    const events = await v.on(b).events(runId);
    assert.deepEqual(
      events.filter((e) => e.type === "outputs").map((e) => (e as Extract<RunEvent, { type: "outputs" }>).outputs[0]?.data),
      ["Hi world via two servers", "Hi world via two servers again"],
    );
    const after = (await v.next().state()).config;
    assert.equal(after.prompts[1]!.outputs?.[0]?.data, "Hi world via two servers again");
    const shared = (await (await v.on(a).call("/api/share", { json: {} })).json()) as { id: string };
    const snapshot = (await (await v.on(b).call(`/s/${shared.id}/api/state`)).json()) as { config: AIConfig };
    assert.deepEqual(snapshot.config, after);
    const download = await (await v.on(b).call("/api/download?format=json")).text();
    assert.deepEqual(parseConfigText(download, "x.json").data, after);
    assert.ok(!download.includes("sk-visitor-on-redis"));
  });

  test("the limit of runs at once (2 per session) holds across the processes: a third run is refused on either", async () => {
    const v = alternating(a, b);
    await v.on(a).state();
    const slow = testConfig([
      { name: "p", input: "one two three four five six", metadata: { model: { name: "slow-echo", settings: { delay_ms: 400 } } } },
    ]);
    const start = (p: ServeProcess) => v.on(p).call("/api/runs", { json: { config: slow, mode: "one", prompt: "p" } });
    const first = await start(a);
    const second = await start(b);
    assert.deepEqual([first.status, second.status], [200, 200], "one run on each process");
    for (const p of [a, b]) {
      const third = await start(p);
      assert.equal(third.status, 429, "a third run is refused, whichever process gets it");
      assert.match(((await third.json()) as { error: string }).error, /already has 2 runs going \(at most 2\)/);
    }
    const ids = [(await first.json()) as { runId: string }, (await second.json()) as { runId: string }].map((r) => r.runId);
    await v.on(b).call(`/api/runs/${ids[0]}/cancel`, { json: {} });
    await v.on(b).events(ids[0]!);
    assert.equal((await start(a)).status, 200, "a run that ended frees its place on both");
  });

  test("a process killed during a run: the session and the outputs of the prompts that finished are there on the other", async () => {
    const c = await startServeProcess(file, [
      "--port",
      String(await freePort()),
      "--store",
      redis.url,
      "--providers",
      TEST_PROVIDERS_MODULE,
    ]);
    const v = alternating(c, b);
    const config = testConfig(
      [
        { name: "fast", input: "done before the crash", metadata: { model: "echo" } },
        {
          name: "slow",
          input: "{{fast.output}} and this never ends",
          metadata: { model: { name: "slow-echo", settings: { delay_ms: 1000 } } },
        },
      ],
      { name: "crash test" },
    );
    await v.on(c).state();
    const { runId } = (await (await v.on(c).call("/api/runs", { json: { config, mode: "all" } })).json()) as { runId: string };
    const seen: RunEvent[] = [];
    const following = v
      .on(c)
      .events(runId, (e) => seen.push(e))
      .catch(() => seen);
    while (!seen.some((e) => e.type === "start" && e.prompt === "slow")) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    await c.kill("SIGKILL");
    await following;
    const state = await v.on(b).state();
    assert.equal(state.config.name, "crash test", "the session is there");
    assert.equal(state.config.prompts[0]!.outputs?.[0]?.data, "done before the crash", "the finished prompt's output is there");
    assert.equal(state.config.prompts[1]!.outputs, undefined);
  });
});
