import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AIConfigRuntime, ProviderRegistry } from "@aiconfig-ts/core";
import { LlamaSettingsError, ModelNotFoundError } from "@aiconfig-ts/llama/portable";
import type { WllamaRequest } from "./build-request.js";
import { register } from "./provider.js";
import { chooseBrowserThreads, TINY_MODEL_BYTES } from "./threads.js";

const SITE = "http://127.0.0.1:8000/site/";
const models = { stories260K: `${SITE}models/stories260K.gguf` };

function runtime(config: object): AIConfigRuntime {
  const registry = register(new ProviderRegistry(), { models, wasmUrl: `${SITE}offline/wllama/wllama.wasm` });
  return AIConfigRuntime.loadJSON(config, { registry, env: {} });
}

// Constructed: the story example's shape (root model settings under a prompt's own, a chain).
const story = {
  name: "constructed story",
  schema_version: "latest",
  metadata: { default_model: "stories260K", models: { stories260K: { model_path: "stories260K.gguf", temperature: 0, max_tokens: 80 } } },
  prompts: [
    { name: "opening", input: "Once upon a time" },
    { name: "next", input: "{{opening.input}}", metadata: { model: { name: "stories260K", settings: { seed: 42, stop: "\n" } } } },
  ],
};

describe("wllama provider: resolve (no model loaded, nothing fetched)", () => {
  test("the request carries the site's model URL and the Node llama provider's settings", async () => {
    const request = (await runtime(story).resolve("next")) as WllamaRequest;
    assert.equal(request.model_url, models.stories260K);
    assert.equal(request.prompt, "Once upon a time");
    // for a model with a chat template: the earlier prompt of the same model (not run: no reply), then this one
    assert.deepEqual(request.messages, [
      { role: "user", content: "Once upon a time" },
      { role: "user", content: "Once upon a time" },
    ]);
    assert.equal(request.temperature, 0);
    assert.equal(request.max_tokens, 80);
    assert.equal(request.seed, 42);
    assert.deepEqual(request.stop, ["\n"]);
    assert.equal(request.top_k, 40);
    assert.equal("threads" in request, false);
  });

  test("a model the site does not hold fails at resolve, naming the models it has and the fix", async () => {
    const config = {
      ...story,
      metadata: { model_parsers: { "tiny.gguf": "llama" } },
      prompts: [{ name: "p", input: "x", metadata: { model: "tiny.gguf" } }],
    };
    await assert.rejects(runtime(config).resolve("p"), (error: unknown) => {
      assert.ok(error instanceof ModelNotFoundError);
      assert.match(
        (error as Error).message,
        /this site has no GGUF file for model "tiny.gguf" \(it has "stories260K"\): export the site again/,
      );
      return true;
    });
  });

  test("a bad setting is refused with the Node provider's one-line message", async () => {
    const config = {
      ...story,
      metadata: { models: { stories260K: { temperature: 5 } } },
      prompts: [{ name: "p", input: "x", metadata: { model: "stories260K" } }],
    };
    await assert.rejects(runtime(config).resolve("p"), (error: unknown) => {
      assert.ok(error instanceof LlamaSettingsError);
      assert.match((error as Error).message, /setting "temperature" must be a number from 0 to 2, got 5/);
      return true;
    });
  });
});

describe("chooseBrowserThreads", () => {
  test("a page that is not cross-origin isolated runs on one thread, and says so when more were asked", () => {
    assert.deepEqual(chooseBrowserThreads(undefined, false, 8, 5e9), { threads: 1 });
    const asked = chooseBrowserThreads(4, false, 8, undefined);
    assert.equal(asked.threads, 1);
    assert.match(asked.warning ?? "", /needs a cross-origin isolated page .*Cross-Origin-Embedder-Policy: require-corp/);
  });
  test("isolated: tiny models keep one thread, large ones half the processors, a setting is followed up to the processors", () => {
    assert.deepEqual(chooseBrowserThreads(undefined, true, 8, TINY_MODEL_BYTES - 1), { threads: 1 });
    assert.deepEqual(chooseBrowserThreads(undefined, true, 8, TINY_MODEL_BYTES), { threads: 4 });
    assert.deepEqual(chooseBrowserThreads(undefined, true, 8, undefined), { threads: 1 });
    assert.deepEqual(chooseBrowserThreads(2, true, 8, 1), { threads: 2 });
    const clamped = chooseBrowserThreads(16, true, 8, 1);
    assert.equal(clamped.threads, 8);
    assert.match(clamped.warning ?? "", /threads 16 is more than the 8 logical processors/);
  });
});
