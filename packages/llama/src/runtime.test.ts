import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AIConfigRuntime, type ExecuteResult, ProviderRegistry, RunAbortedError } from "@aiconfig-ts/core";
import { corpusFile, modelsDir as sharedModelsDir } from "@aiconfig-ts/testing";
import { disposeLlama } from "./llama-engine.js";
import { register } from "./provider.js";

const root = mkdtempSync(join(tmpdir(), "llama-runtime-"));
after(async () => {
  rmSync(root, { recursive: true, force: true });
  await disposeLlama();
});
const env = { ...process.env, AICONFIG_MODELS_DIR: sharedModelsDir };

/** A story in two prompts: the opening, then a continuation of the opening's text. */
function storyFile(): string {
  const path = join(root, `story-${Math.random().toString(36).slice(2)}.aiconfig.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name: "story",
      schema_version: "latest",
      metadata: {
        default_model: "stories260K",
        models: { stories260K: { temperature: 0, max_tokens: 30 } },
        parameters: { start: "Once upon a time" },
      },
      prompts: [
        { name: "opening", input: "{{start}}", metadata: { model: { name: "stories260K", settings: { max_tokens: 10 } } } },
        { name: "continuation", input: "{{start}}{{opening.output}}. One day," },
      ],
    }),
  );
  return path;
}

function load(path: string): AIConfigRuntime {
  return AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()), env });
}

const OPENING = ", there was a little girl named Lily";
// read as llama.cpp reads it: the space its first token starts with is kept (". One day," + " Lily ...")
const CONTINUATION = " Lily went to the park with her mommy. They saw a big, red ball. Lily wanted to play with it";

describe("llama provider through the runtime", () => {
  test("root model settings merge under the prompt's (the prompt wins)", async () => {
    const rt = load(storyFile());
    assert.deepEqual(await rt.resolve("opening"), {
      model_path: join(sharedModelsDir, "stories260K.gguf"),
      mode: "completion",
      prompt: "Once upon a time",
      max_tokens: 10,
      temperature: 0,
      top_k: 40,
      top_p: 0.95,
    });
    // "continuation" uses {{opening.output}}: in strict mode it needs an output of "opening" to resolve.
    rt.addOutput("opening", { output_type: "execute_result", execution_count: 0, data: "Once upon a time, Lily", metadata: {} });
    const continuation = (await rt.resolve("continuation")) as { max_tokens: number; temperature: number; prompt: string };
    assert.ok(continuation.prompt.includes("Once upon a time, Lily"));
    assert.equal(continuation.max_tokens, 30);
    assert.equal(continuation.temperature, 0);
  });

  test("a two-prompt chain at temperature 0 gives the known story, saved with its outputs", async () => {
    const path = storyFile();
    const rt = load(path);
    await rt.runWithDependencies("continuation");
    assert.equal(rt.getOutputText("opening"), OPENING);
    assert.equal(rt.getOutputText("continuation"), CONTINUATION);
    const [output] = rt.getPrompt("continuation")!.outputs as ExecuteResult[];
    assert.deepEqual(output?.metadata, {
      model: "stories260K",
      usage: { prompt_tokens: 19, completion_tokens: 30 },
      finish_reason: "length",
    });
    assert.equal(((await rt.resolve("continuation")) as { prompt: string }).prompt, `Once upon a time${OPENING}. One day,`);
    rt.save(path);
    const saved = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()), env });
    assert.equal(saved.getOutputText("continuation"), CONTINUATION);
  });

  test("streamed chunks concatenate to the stored output", async () => {
    const rt = load(storyFile());
    const chunks: { prompt: string; delta: string; index: number }[] = [];
    await rt.run("opening", {}, { onStream: (c) => chunks.push(c) });
    assert.ok(chunks.length > 3);
    assert.ok(chunks.every((c) => c.prompt === "opening" && c.index === 0));
    assert.equal(chunks.map((c) => c.delta).join(""), OPENING);
    assert.equal(rt.getOutputText("opening"), OPENING);
  });

  test("an abort mid-generation stops the run and keeps the previous outputs", async () => {
    const rt = load(storyFile());
    await rt.run("opening");
    const before = structuredClone(rt.getPrompt("opening")!.outputs);
    const controller = new AbortController();
    let chunks = 0;
    await assert.rejects(
      rt.run("opening", {}, { signal: controller.signal, onStream: () => (++chunks === 3 ? controller.abort() : undefined) }),
      RunAbortedError,
    );
    assert.equal(chunks < 10, true, `generation went on after the abort: ${chunks} chunks`);
    assert.deepEqual(rt.getPrompt("opening")!.outputs, before);
  });

  test("the old llama cookbook (model_parsers: LLaMA) runs once its model names have GGUF files", async () => {
    const file = corpusFile("cookbooks__llama__llama-aiconfig.json");
    const noFiles = AIConfigRuntime.load(file, { registry: register(new ProviderRegistry()), env });
    await assert.rejects(noFiles.resolve("prompt7b"), {
      name: "ModelNotFoundError",
      message: /set model_path in metadata\.models\["llama-2-7b-chat"\]/,
    });

    const models = mkdtempSync(join(root, "models-"));
    symlinkSync(join(sharedModelsDir, "stories260K.gguf"), join(models, "llama-2-7b-chat.gguf"));
    const rt = AIConfigRuntime.load(file, { registry: register(new ProviderRegistry()), env: { ...env, AICONFIG_MODELS_DIR: models } });
    const request = (await rt.resolve("prompt7b_chat")) as { model_path: string; mode: string; prompt: string };
    assert.equal(request.model_path, join(models, "llama-2-7b-chat.gguf"));
    assert.equal(request.mode, "completion", "a base model continues the prompt's own text");
    assert.equal(request.prompt, "Where are those things located?");
    const [output] = (await rt.run("prompt7b", {}, {})) as ExecuteResult[];
    assert.equal(output?.output_type, "execute_result");
    assert.equal(typeof output?.data, "string");
    assert.ok(output);
    assert.ok((output.data as string).length > 0);
    assert.equal((output.metadata as { model: string }).model, "llama-2-7b-chat");
  });
});
