import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { corpusFile, repoRoot } from "@aiconfig-ts/testing";
import { namesLocalModel } from "./early-warm-up.js";

const dir = mkdtempSync(join(tmpdir(), "aiconfig-early-warm-up-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("namesLocalModel: which files start the llama engine before core loads", () => {
  test("the story example (default_model stories260K) and an old cookbook mapping its models to the parser id LLaMA", () => {
    assert.equal(namesLocalModel(join(repoRoot, "examples", "story.aiconfig.json")), true);
    assert.equal(namesLocalModel(corpusFile("cookbooks__llama__llama-aiconfig.json")), true);
  });

  test("not files on other providers' models, a YAML file, a broken or missing file", () => {
    assert.equal(namesLocalModel(corpusFile("cookbooks__LLaMA-Guard__aiconfig.json")), false);
    assert.equal(namesLocalModel(corpusFile("cookbooks__Anyscale__travel.aiconfig.json")), false);
    assert.equal(namesLocalModel(corpusFile("cookbooks__Anyscale__travel.aiconfig.yaml")), false);
    const broken = join(dir, "broken.aiconfig.json");
    writeFileSync(broken, '{ "prompts": [ { "metadata": { "model": "stories260K" } ');
    assert.equal(namesLocalModel(broken), false);
    assert.equal(namesLocalModel(join(dir, "missing.aiconfig.json")), false);
  });

  // Constructed: a prompt's own model wins over default_model, a .gguf path is a local model.
  test("a prompt's own model, as a name or {name}, is read before the root default_model", () => {
    const file = join(dir, "mixed.aiconfig.json");
    const write = (prompts: unknown[], default_model = "gpt-4o-mini") =>
      writeFileSync(file, JSON.stringify({ name: "m", schema_version: "latest", metadata: { default_model }, prompts }));
    write([{ name: "a", input: "", metadata: { model: { name: "models/tiny.GGUF" } } }]);
    assert.equal(namesLocalModel(file), true);
    write([{ name: "a", input: "", metadata: { model: "gpt-4o" } }], "stories260K");
    assert.equal(namesLocalModel(file), false);
    write([{ name: "a", input: "" }], "stories260K");
    assert.equal(namesLocalModel(file), true);
  });
});
