import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { corpusFile } from "@aiconfig-ts/testing";
import {
  latestOutput,
  latestResult,
  promptModelName,
  promptOwnModelName,
  promptOwnSettings,
  promptSettingSources,
  promptSettings,
} from "@aiconfig-ts/core/document";
import type { AIConfig, Output } from "./index.js";

// A real file of the original project: a prompt on the default model, one with `{name, settings}`.
const config = JSON.parse(readFileSync(corpusFile("cookbooks__Anyscale__updated.aiconfig.json"), "utf8")) as AIConfig;
const [onDefault, withSettings, otherModel] = config.prompts as [AIConfig["prompts"][0], AIConfig["prompts"][0], AIConfig["prompts"][0]];

describe("@aiconfig-ts/core/document: a prompt's model, settings and latest output", () => {
  test("a prompt without metadata.model runs on default_model", () => {
    assert.equal(promptOwnModelName(onDefault), undefined);
    assert.equal(promptModelName(config, onDefault), "meta-llama/Llama-2-7b-chat-hf");
  });

  test("a prompt's {name, settings} names its model", () => {
    assert.equal(promptModelName(config, withSettings), "AnyscaleEndpoint");
    assert.equal(promptModelName(config, otherModel), "gpt-3.5-turbo");
  });

  test("settings are the root models[name] under the prompt's own, and say where each comes from", () => {
    assert.deepEqual(promptSettings(config, onDefault), { model: "meta-llama/Llama-2-7b-chat-hf", top_p: 1, temperature: 1 });
    assert.deepEqual(promptSettingSources(config, onDefault), { model: "model", top_p: "model", temperature: "model" });
    const own = promptOwnSettings(otherModel)!;
    const withRoot: AIConfig = { ...config, metadata: { ...config.metadata, models: { "gpt-3.5-turbo": { model: "x", temperature: 0 } } } };
    assert.deepEqual(promptSettings(withRoot, otherModel), { ...own, temperature: 0 });
    assert.deepEqual(promptSettingSources(withRoot, otherModel), { model: "prompt", temperature: "model", system_prompt: "prompt" });
  });

  test("the latest output is the last one; the latest result skips error outputs", () => {
    const result = withSettings.outputs![0]!;
    assert.equal(latestOutput(withSettings), result);
    const error: Output = { output_type: "error", ename: "E", evalue: "failed", traceback: [] };
    const failedAfter = { ...withSettings, outputs: [result, error] };
    assert.equal(latestOutput(failedAfter), error);
    assert.equal(latestResult(failedAfter), result);
    assert.equal(latestResult({ name: "none", input: "" }), undefined);
  });

  test("the module imports nothing at run time (it is loaded in the browser)", () => {
    const source = readFileSync(new URL("./document.ts", import.meta.url), "utf8");
    const imports = source.match(/^import .*$/gm) ?? [];
    assert.ok(imports.length > 0);
    for (const line of imports) assert.match(line, /^import type /);
  });
});
