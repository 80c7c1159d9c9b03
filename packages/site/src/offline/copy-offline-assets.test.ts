import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type AIConfig, readConfigFile } from "@aiconfig-ts/core";
import { espeakWasmPath } from "@aiconfig-ts/local-speech";
import { wllamaWasmPath } from "@aiconfig-ts/wllama/wasm-file";
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
    assert.deepEqual(assets.files, [OFFLINE_FILES.modelsDir + "stories260K.gguf", OFFLINE_FILES.notices, OFFLINE_FILES.wllamaWasm].sort());
    assert.deepEqual(readFileSync(join(dir, "models/stories260K.gguf")), readFileSync(join(modelsDir, "stories260K.gguf")));
    const gzipped = readFileSync(join(dir, OFFLINE_FILES.wllamaWasm));
    assert.deepEqual(
      gunzipSync(gzipped),
      readFileSync(wllamaWasmPath()),
      "the site's wllama.wasm.gz is the package's wllama.wasm, gzipped",
    );
    assert.ok(gzipped.length < 0.35 * statSync(wllamaWasmPath()).size, `${gzipped.length} bytes on disk`);
    assert.equal(assets.espeak, undefined);
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
        OFFLINE_FILES.notices,
      ].sort(),
    );
    // the notices name each package the offline files come from, its licence and text; espeak-ng's change is said
    const notices = readFileSync(join(dir, OFFLINE_FILES.notices), "utf8");
    for (const heading of [
      /^## @wllama\/wllama \d/m,
      /^## espeak-ng 1\./m,
      /^## tesseract\.js \d/m,
      /^## tesseract\.js-core \d/m,
      /^## @tesseract\.js-data\/eng \d/m,
    ])
      assert.match(notices, heading);
    assert.match(
      notices,
      /- Licence: GPL-3\.0-or-later\n- Source: [^\n]+\n- Files here: `offline\/espeak-ng\/espeak-ng\.js`, `offline\/espeak-ng\/espeak-ng\.wasm\.gz`\n- Changed: [^\n]*dictionaries other than en removed/,
    );
    assert.match(notices, /GNU GENERAL PUBLIC LICENSE\s+Version 3/);
    assert.doesNotMatch(notices, /stories260K/, "the model is not a package's file");
    for (const file of assets.files) assert.ok(statSync(join(dir, file)).size > 0, file);
    // espeak-ng: the default voice (en-us) needs the English dictionary only; the trimmed module is far smaller than the package's
    assert.deepEqual(assets.espeak, { dictionaries: ["en"] });
    const espeak = gunzipSync(readFileSync(join(dir, OFFLINE_FILES.espeakWasm)));
    assert.equal(espeak.subarray(0, 4).toString("latin1"), "\0asm");
    assert.ok(espeak.length < 0.1 * statSync(espeakWasmPath()).size, `${espeak.length} bytes decompressed`);
    // the language data is the gzipped file tesseract.js reads with gzip: true
    assert.deepEqual([...readFileSync(join(dir, `${OFFLINE_FILES.tesseractLangDir}eng.traineddata.gz`)).subarray(0, 2)], [0x1f, 0x8b]);
  });

  test("a speech prompt with a French voice: the site's espeak-ng holds the French dictionary beside the English one", async () => {
    const config: AIConfig = {
      name: "constructed: one espeak prompt in French",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "say", input: "Bonjour", metadata: { model: { name: "espeak-ng", settings: { voice: "fr+f3" } } } }],
    };
    const assets = await copyOfflineAssets(config, join(scratch, "fr.aiconfig.json"), siteDir("fr"));
    assert.deepEqual(assets.espeak, { dictionaries: ["en", "fr"] });
    assert.deepEqual(assets.files, [OFFLINE_FILES.espeakScript, OFFLINE_FILES.espeakWasm, OFFLINE_FILES.notices].sort());
  });

  test("a speech prompt with a voice espeak-ng does not know is refused at export, naming the file", async () => {
    const config: AIConfig = {
      name: "constructed: an unknown voice",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "say", input: "Hi", metadata: { model: { name: "espeak-ng", settings: { voice: "xx-nowhere" } } } }],
    };
    const file = join(scratch, "xx.aiconfig.json");
    await assert.rejects(copyOfflineAssets(config, file, siteDir("xx")), (error: unknown) => {
      assert.ok(error instanceof OfflineAssetError);
      assert.ok(
        (error as Error).message.startsWith(`${file}: a prompt's voice (xx-nowhere) is not one espeak-ng knows`),
        (error as Error).message,
      );
      return true;
    });
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
