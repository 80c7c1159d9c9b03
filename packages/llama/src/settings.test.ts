import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import { llamaSettingsSchema, readLlamaSettings } from "./settings.js";

const where = 'prompt "p" (model "m")';

describe("llama settings schema", () => {
  test("is valid draft-07, and every setting has a type and a description", () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(llamaSettingsSchema);
    assert.equal(validate({ temperature: 0, stop: ["a"], threads: 2, model_path: "x.gguf", stream: true }), true);
    assert.equal(validate({ temperature: 3 }), false);
    assert.equal(validate({ top_k: 1.5 }), false);
    assert.equal(validate({ stop: [1] }), false);
    const properties = llamaSettingsSchema["properties"] as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(properties).sort(), [
      "context_size",
      "max_tokens",
      "model_path",
      "seed",
      "stop",
      "system_prompt",
      "temperature",
      "threads",
      "top_k",
      "top_p",
    ]);
    for (const [name, p] of Object.entries(properties)) {
      assert.ok(p["type"] || p["anyOf"], `${name} has a type`);
      assert.equal(typeof p["description"], "string", `${name} has a description`);
    }
    assert.deepEqual(Object.fromEntries(Object.entries(properties).flatMap(([k, p]) => ("default" in p ? [[k, p["default"]]] : []))), {
      temperature: 0.8,
      top_k: 40,
      top_p: 0.95,
      max_tokens: 256,
    });
  });

  test("agrees with readLlamaSettings on the corpus-like values", () => {
    assert.deepEqual(readLlamaSettings({ model: "llama-2-7b-chat", stream: true }, where), {});
    assert.deepEqual(readLlamaSettings({ stop: "\n", seed: 0, top_p: 1, temperature: null }, where), { stop: ["\n"], seed: 0, top_p: 1 });
  });
});

describe("readLlamaSettings", () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ temperature: -1 }, 'setting "temperature" must be a number from 0 to 2, got -1'],
    [{ top_k: 2.5 }, 'setting "top_k" must be an integer >= 0, got 2.5'],
    [{ max_tokens: 0 }, 'setting "max_tokens" must be an integer >= 1, got 0'],
    [{ threads: "2" }, 'setting "threads" must be an integer >= 1, got "2"'],
    [{ seed: 2 ** 32 }, 'setting "seed" must be an integer from 0 to 4294967295, got 4294967296'],
    [{ context_size: 8 }, 'setting "context_size" must be an integer >= 16, got 8'],
    [{ model_path: "" }, 'setting "model_path" must be a non-empty string, got ""'],
    [{ system_prompt: 3 }, 'setting "system_prompt" must be a string, got 3'],
    [{ stop: [""] }, 'setting "stop" must be a non-empty string or an array of them, got [""]'],
  ];
  for (const [settings, message] of bad) {
    test(`rejects ${JSON.stringify(settings)}`, () => {
      assert.throws(() => readLlamaSettings(settings as never, where), { name: "LlamaSettingsError", message: `${where}: ${message}` });
    });
  }
});
