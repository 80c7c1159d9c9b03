import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type AIConfig, readConfigFile } from "@aiconfig-ts/core";
import { modelsDir, repoRoot } from "@aiconfig-ts/testing";
import { copyOfflineAssets, OfflineAssetError } from "./copy-offline-assets.js";
import { OFFLINE_FILES } from "./offline-files.js";
import { siteUrl } from "./register-offline-providers.js";

const scratch = mkdtempSync(join(tmpdir(), "aiconfig-offline-assets-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function example(name: string): { config: AIConfig; path: string } {
  const path = join(repoRoot, "examples", name);
  return { config: readConfigFile(path).data as AIConfig, path };
}

function siteDir(name: string): string {
  return join(scratch, name);
}

describe("copyOfflineAssets", () => {
  test("the story chain: stories260K (found as the Node provider finds it) and wllama's wasm, nothing for speech or OCR", async () => {
    const { config, path } = example("story.aiconfig.json");
    const dir = siteDir("story");
    const assets = await copyOfflineAssets(config, path, dir);
    assert.deepEqual(assets.models, { stories260K: "models/stories260K.gguf" });
    assert.deepEqual(assets.files, [OFFLINE_FILES.modelsDir + "stories260K.gguf", OFFLINE_FILES.wllamaWasm].sort());
    assert.deepEqual(readFileSync(join(dir, "models/stories260K.gguf")), readFileSync(join(modelsDir, "stories260K.gguf")));
    assert.equal(readFileSync(join(dir, OFFLINE_FILES.wllamaWasm)).subarray(0, 4).toString("latin1"), "\0asm");
  });

  test("the OCR -> story -> speech chain: the model, wllama, espeak-ng's wasm, tesseract.js's worker, core and eng data", async () => {
    const { config, path } = example("multimodal.aiconfig.json");
    const dir = siteDir("multimodal");
    const assets = await copyOfflineAssets(config, path, dir);
    assert.deepEqual(assets.models, { stories260K: "models/stories260K.gguf" });
    assert.deepEqual(
      assets.files,
      [
        "models/stories260K.gguf",
        OFFLINE_FILES.wllamaWasm,
        OFFLINE_FILES.espeakWasm,
        OFFLINE_FILES.espeakScript,
        OFFLINE_FILES.tesseractWorker,
        OFFLINE_FILES.tesseractCore,
        OFFLINE_FILES.tesseractCoreWasm,
        `${OFFLINE_FILES.tesseractLangDir}eng.traineddata.gz`,
      ].sort(),
    );
    for (const file of assets.files) assert.ok(statSync(join(dir, file)).size > 0, file);
    // the language data is the gzipped file tesseract.js reads with gzip: true
    assert.deepEqual([...readFileSync(join(dir, `${OFFLINE_FILES.tesseractLangDir}eng.traineddata.gz`)).subarray(0, 2)], [0x1f, 0x8b]);
  });

  test("a file of key-based prompts only: nothing is copied", async () => {
    const config: AIConfig = {
      name: "constructed: one OpenAI prompt",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "ask", input: "Hi", metadata: { model: "gpt-4o-mini" } }],
    };
    const dir = siteDir("keys");
    assert.deepEqual(await copyOfflineAssets(config, join(scratch, "keys.aiconfig.json"), dir), { models: {}, files: [] });
    assert.equal(existsSync(dir), false);
  });

  test("attack: a model_path naming a file that is not GGUF (a secret beside the file) is refused, not published", async () => {
    const folder = join(scratch, "attack");
    rmSync(folder, { recursive: true, force: true });
    const secret = join(scratch, "attack-secret.txt");
    writeFileSync(secret, "not a model: the owner's notes");
    const config: AIConfig = {
      name: "constructed: model_path pointing at a non-model file",
      schema_version: "latest",
      metadata: { models: { stories260K: { model_path: secret } } },
      prompts: [{ name: "story", input: "Once", metadata: { model: "stories260K" } }],
    };
    await assert.rejects(copyOfflineAssets(config, join(folder, "a.aiconfig.json"), join(folder, "site")), (error: unknown) => {
      assert.ok(error instanceof OfflineAssetError);
      assert.match((error as Error).message, /is not a GGUF file, so it is not put in the site: fix the model_path setting/);
      return true;
    });
    assert.equal(existsSync(join(folder, "site", "models", "attack-secret.txt")), false);
  });

  test("a bad OCR lang setting (a path) is refused by the provider's settings check", async () => {
    const config: AIConfig = {
      name: "constructed: lang with a path",
      schema_version: "latest",
      metadata: { models: { tesseract: { lang: "../../etc" } } },
      prompts: [{ name: "read", input: "x", metadata: { model: "tesseract" } }],
    };
    await assert.rejects(copyOfflineAssets(config, join(scratch, "b.aiconfig.json"), siteDir("lang")), /lang/);
  });
});

describe("siteUrl (paths from site.json stay on the site)", () => {
  const root = "http://127.0.0.1:8000/notebooks/story/";
  test("a site-relative path becomes a URL below the root", () => {
    assert.equal(siteUrl("models/stories260K.gguf", root), "http://127.0.0.1:8000/notebooks/story/models/stories260K.gguf");
  });
  for (const path of [
    "https://cdn.example/x.gguf",
    "//cdn.example/x.gguf",
    "/models/x.gguf",
    "../other/x.gguf",
    "models/../../x.gguf",
    "data:,x",
    "",
    "a\\..\\..\\x",
  ]) {
    test(`attack: ${JSON.stringify(path)} is refused`, () => {
      assert.equal(siteUrl(path, root), undefined);
    });
  }
});
