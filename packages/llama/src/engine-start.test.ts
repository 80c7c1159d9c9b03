import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { after, describe, test } from "node:test";
import { startEngine, warmUpEngine } from "./engine-start.js";
import { disposeLlama, getEngine } from "./llama-engine.js";

after(() => disposeLlama());

const PENDING = Symbol("pending");
/** Whether a promise is still pending after the current turn of the event loop. */
const pending = async (promise: Promise<unknown>) =>
  (await Promise.race([promise.then(() => "settled"), new Promise((r) => setImmediate(() => r(PENDING)))])) === PENDING;

// node-llama-cpp tests its prebuilt binary in a child process on Linux only.
describe("warmUpEngine: the engine's start before a command's other work", { skip: process.platform !== "linux" }, () => {
  test("settles once the prebuilt binary's test has started in its child process, before the engine is ready; the provider's runs then use that engine", async () => {
    const children: unknown[] = [];
    const onChild = (message: unknown) => children.push(message);
    subscribe("child_process", onChild);
    try {
      await warmUpEngine();
      assert.equal(children.length, 1, "the binary test's child process was created before warmUpEngine settled");
      assert.equal(await pending(startEngine()), true, "the engine is still starting (its binary test runs)");
      const engine = await getEngine();
      assert.equal(await startEngine(), engine, "one Llama instance for the warm-up and the provider");
      assert.equal(children.length, 1, "the warm-up and the run started the engine once");
    } finally {
      unsubscribe("child_process", onChild);
    }
  });

  test("a warm-up of a ready engine settles; after disposeLlama the next start is a new engine", async () => {
    const first = await startEngine();
    await warmUpEngine();
    await disposeLlama();
    const second = await startEngine();
    assert.notEqual(second, first);
  });
});
