import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AIConfigRuntime, type ExecuteResult, ProviderRegistry, type StoredData } from "@aiconfig-ts/core";
import { disposeLlama, register as registerLlama } from "@aiconfig-ts/llama";
import { readWavInfo, register as registerSpeech } from "@aiconfig-ts/local-speech";
import { modelsDir, repoRoot } from "@aiconfig-ts/testing";
import { terminateOcrWorkers } from "./ocr-engine.js";
import { register } from "./register.js";

const dir = mkdtempSync(join(tmpdir(), "multimodal-test-"));
after(async () => {
  await terminateOcrWorkers();
  await disposeLlama();
  rmSync(dir, { recursive: true, force: true });
});

const SIGN = "Once upon a time, there was a little dog named Max.";

function registry(): ProviderRegistry {
  const r = new ProviderRegistry();
  register(r);
  registerSpeech(r);
  registerLlama(r);
  return r;
}

describe("examples/multimodal.aiconfig.json: image -> OCR text -> story from the local model -> speech", () => {
  test("every prompt runs offline through the runtime, each on the output of the one before", async () => {
    // A copy, so that the example's outputs folder is not written into the repository.
    copyFileSync(join(repoRoot, "examples", "multimodal.aiconfig.json"), join(dir, "multimodal.aiconfig.json"));
    mkdirSync(join(dir, "assets"));
    copyFileSync(join(repoRoot, "examples", "assets", "sign.png"), join(dir, "assets", "sign.png"));
    const rt = AIConfigRuntime.load(join(dir, "multimodal.aiconfig.json"), {
      registry: registry(),
      outputFiles: true,
      env: { ...process.env, AICONFIG_MODELS_DIR: modelsDir },
    });
    assert.deepEqual(rt.getDependencies("read_aloud").sort(), ["read_sign", "story"]);
    const [spoken] = (await rt.runWithDependencies("read_aloud")) as ExecuteResult[];

    assert.equal(rt.getOutputText("read_sign"), SIGN);
    const story = rt.getOutputText("story");
    assert.ok(story.trim().split(/\s+/).length >= 10, `the model went on with the story: ${JSON.stringify(story)}`);
    const storyRequest = (await rt.resolve("story")) as { prompt: string; temperature: number };
    assert.equal(storyRequest.prompt, SIGN);
    assert.equal(storyRequest.temperature, 0);
    const speechRequest = (await rt.resolve("read_aloud")) as { text: string; speed: number };
    assert.equal(speechRequest.text, SIGN + story);
    assert.equal(speechRequest.speed, 160);

    assert.equal(spoken?.mime_type, "audio/wav");
    const file = spoken!.data as StoredData;
    assert.equal(file.kind, "file_uri");
    const wav = readWavInfo(readFileSync(join(dir, file.value)))!;
    assert.equal(wav.sampleRate, 22050);
    assert.ok(wav.durationSeconds > 5, `${wav.durationSeconds} s of speech for ${speechRequest.text.split(" ").length} words`);
  });

  test("the story at temperature 0 is the same on every run", async () => {
    const load = () =>
      AIConfigRuntime.load(join(repoRoot, "examples", "multimodal.aiconfig.json"), {
        registry: registry(),
        env: { ...process.env, AICONFIG_MODELS_DIR: modelsDir },
      });
    const first = load();
    await first.runWithDependencies("story");
    const second = load();
    await second.runWithDependencies("story");
    assert.equal(second.getOutputText("story"), first.getOutputText("story"));
  });
});
